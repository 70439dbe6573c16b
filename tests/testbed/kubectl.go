package testbed

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Kubectl runs the pinned kubectl against the bed's apiserver and returns
// its output; a failure fails the test.
func (b *Bed) Kubectl(t testing.TB, ctx context.Context, args ...string) string {
	t.Helper()
	bin, err := Tool("kubectl")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(ctx, bin, append([]string{"--kubeconfig", b.Kubeconfig}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// ApplyVeleroCRDs installs the velero.io/v1 CRDs of deploy/crds and waits
// until the apiserver serves them.
func (b *Bed) ApplyVeleroCRDs(t testing.TB, ctx context.Context) {
	t.Helper()
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	crds := filepath.Join(root, "deploy", "crds")
	b.Kubectl(t, ctx, "apply", "-k", crds)
	files, err := filepath.Glob(filepath.Join(crds, "velero.io_*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in %s (%v)", crds, err)
	}
	wait := []string{"wait", "--for=condition=Established", "--timeout=60s"}
	for _, f := range files { // velero.io_<plural>.yaml holds CRD <plural>.velero.io
		plural := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "velero.io_"), ".yaml")
		wait = append(wait, "crd/"+plural+".velero.io")
	}
	b.Kubectl(t, ctx, wait...)
}
