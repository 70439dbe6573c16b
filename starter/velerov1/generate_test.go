package velerov1_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/starter/velerov1"
)

// moduleRoot walks up from the working directory to Cairn's checkout: the
// folder with go.mod and the Makefile (tools modules have a go.mod only).
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if fileExists(filepath.Join(dir, "go.mod")) && fileExists(filepath.Join(dir, "Makefile")) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no Cairn checkout (go.mod and Makefile) above the working directory")
		}
		dir = parent
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// controllerGen is the pinned controller-gen: in $CAIRN_TOOLS_BIN, else the
// checkout's .tools/bin.
func controllerGen(t *testing.T, root string) string {
	t.Helper()
	dir := os.Getenv("CAIRN_TOOLS_BIN")
	if dir == "" {
		dir = filepath.Join(root, ".tools", "bin")
	}
	bin := filepath.Join(dir, "controller-gen")
	if !fileExists(bin) {
		t.Fatalf("controller-gen is not installed in %s: run `make tools` (or tests/tools/install.sh controllergen)", dir)
	}
	return bin
}

// crdFiles lists the names of the CRD files in dir.
func crdFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "velero.io_*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		files[i] = filepath.Base(f)
	}
	return files
}

// TestGeneratedFilesAreCurrent runs controller-gen on the package into a
// temporary folder, as `make crds` does into the checkout, and wants the
// committed deep copies and CRDs (deploy/crds and the chart's crds/) to be
// byte for byte what it writes, with no CRD more or less, and deploy/crds'
// kustomization to list exactly the CRDs.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	root := moduleRoot(t)
	bin := controllerGen(t, root)
	out := t.TempDir()
	cmd := exec.Command(bin,
		"object", "paths=./starter/velerov1/...", "output:object:dir="+out,
		"crd:crdVersions=v1", "paths=./starter/velerov1/...", "output:crd:artifacts:config="+out)
	cmd.Dir = root
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("controller-gen: %v\n%s", err, msg)
	}

	same(t, filepath.Join(out, "zz_generated.deepcopy.go"), filepath.Join(root, "starter", "velerov1", "zz_generated.deepcopy.go"))
	want := crdFiles(t, out)
	if len(want) != len(velerov1.Kinds()) {
		t.Errorf("controller-gen wrote %d CRDs, want one for each of the %d kinds: %v", len(want), len(velerov1.Kinds()), want)
	}
	for _, dir := range []string{filepath.Join(root, "deploy", "crds"), filepath.Join(root, "deploy", "helm", "cairn", "crds")} {
		if got := crdFiles(t, dir); !slices.Equal(got, want) {
			t.Errorf("%s has the CRDs %v, controller-gen writes %v: run `make crds`", dir, got, want)
		}
		for _, name := range want {
			same(t, filepath.Join(out, name), filepath.Join(dir, name))
		}
	}

	data, err := os.ReadFile(filepath.Join(root, "deploy", "crds", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct{ Resources []string }
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	if listed := slices.Sorted(slices.Values(k.Resources)); !slices.Equal(listed, want) {
		t.Errorf("deploy/crds/kustomization.yaml lists %v, want the CRDs %v", listed, want)
	}
}

// same fails the test when the committed file differs from the generated one.
func same(t *testing.T, generated, committed string) {
	t.Helper()
	want, err := os.ReadFile(generated)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Errorf("%v: run `make crds`", err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what controller-gen generates (%s): run `make crds`", committed, firstDiff(got, want))
	}
}

// firstDiff says where two files first differ, by line.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) && i < len(w); i++ {
		if !bytes.Equal(g[i], w[i]) {
			return fmt.Sprintf("line %d is %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
