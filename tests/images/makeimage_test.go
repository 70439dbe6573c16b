package images

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Stamped into the image runMakeImage builds: not release.Version, so
// that it does not replace CairnRef in the containerd.
const (
	stampedVersion = "v9.8.7-imagetest"
	stampedCommit  = "0123456789ab"
)

// runMakeImage builds the production image as `make image` does, imports
// it and runs `cairn version` in it, which prints the stamped build.
func runMakeImage(t *testing.T, c *containerd) {
	out := filepath.Join(t.TempDir(), "cairn-image.tar")
	cmd := exec.Command("go", "run", "./deploy/cmd/image", "-version", stampedVersion, "-commit", stampedCommit, "-o", out)
	cmd.Dir = "../.."
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("deploy/cmd/image: %v\n%s", err, msg)
	}
	if msg, err := c.ctr("images", "import", out); err != nil {
		t.Fatalf("ctr images import: %v\n%s", err, msg)
	}
	ref := "ghcr.io/cairn-backup/cairn:" + stampedVersion
	got := c.run(t, ref, "stamped", "/usr/local/bin/cairn", "version", "--client-only")
	if !strings.Contains(got, "Version: "+stampedVersion) || !strings.Contains(got, stampedCommit) {
		t.Errorf("cairn version in %s printed %q, want %s and commit %s", ref, got, stampedVersion, stampedCommit)
	}
}
