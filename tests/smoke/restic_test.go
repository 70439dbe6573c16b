package smoke

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestResticVersion checks that the interoperability oracle is the pinned restic.
func TestResticVersion(t *testing.T) {
	bin, err := testbed.Tool("restic")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("restic version: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "restic 0.18.1 ") {
		t.Fatalf("restic version printed %q, want restic 0.18.1", out)
	}
}
