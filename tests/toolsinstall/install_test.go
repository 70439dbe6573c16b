// Package toolsinstall tests tests/tools/install.sh, the script that puts the
// test bed's pinned tools into .tools/bin.
package toolsinstall

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestEtcdLinkWithToolsFirstOnPath runs the etcd step the way a shell with
// .dev/env sourced does (.tools/bin first on PATH), starting from no link,
// from a link to itself and from a dangling link, and wants a link to the
// system's etcd by its absolute path each time.
func TestEtcdLinkWithToolsFirstOnPath(t *testing.T) {
	system, err := exec.LookPath("etcd")
	if err != nil {
		t.Fatalf("no etcd on PATH: run `make tools` first: %v", err)
	}
	system, _ = filepath.EvalSymlinks(system)
	root := scriptRoot(t)
	bin := filepath.Join(root, ".tools", "bin")
	link := filepath.Join(bin, "etcd")
	for _, start := range []string{"none", "self", "dangling", "again"} {
		switch start {
		case "self":
			relink(t, link, link)
		case "dangling":
			relink(t, link, filepath.Join(root, "gone", "etcd"))
		}
		runInstall(t, root, bin)
		target, err := os.Readlink(link)
		if err != nil {
			t.Fatalf("%s: .tools/bin/etcd is not a link: %v", start, err)
		}
		if target != system || !filepath.IsAbs(target) {
			t.Fatalf("%s: .tools/bin/etcd -> %q, want %q", start, target, system)
		}
	}
}

func scriptRoot(t *testing.T) string {
	t.Helper()
	src, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(src, "tests", "tools", "install.sh"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	dir := filepath.Join(root, "tests", "tools")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "install.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, ".tools", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

func relink(t *testing.T, link, target string) {
	t.Helper()
	os.Remove(link)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func runInstall(t *testing.T, root, bin string) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(root, "tests", "tools", "install.sh"), "etcd")
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "ready") {
		t.Fatalf("install.sh etcd: %v\n%s", err, out)
	}
}
