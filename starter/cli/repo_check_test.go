package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// largestPack returns the path of the largest pack file under repoDir.
func largestPack(t *testing.T, repoDir string) string {
	t.Helper()
	var best string
	var size int64
	err := filepath.Walk(filepath.Join(repoDir, "data"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && fi.Size() > size {
			best, size = p, fi.Size()
		}
		return err
	})
	if err != nil || best == "" {
		t.Fatalf("no pack in %s: %v", repoDir, err)
	}
	return best
}

// TestRepoCheckNamesDamage corrupts a byte of a pack and expects `cairn
// repo check` to name the file that loses data, and reads subsets.
func TestRepoCheckNamesDamage(t *testing.T) {
	dir := t.TempDir()
	repoDir, src := filepath.Join(dir, "repo"), filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 3<<20)
	for i := range data {
		data[i] = byte(i*7 + i/4096)
	}
	if err := os.WriteFile(filepath.Join(src, "victim.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CAIRN_REPO_PASSWORD", "pw")
	mustCairn(t, "repo", "init", "-r", repoDir)
	mustCairn(t, "repo", "backup", "-q", "-r", repoDir, "--tag", "nightly", src)
	if out := mustCairn(t, "repo", "check", "-r", repoDir, "--read-data-subset", "1/1"); !strings.Contains(out, "group 1 of 1") {
		t.Fatalf("subset check printed:\n%s", out)
	}

	pack := largestPack(t, repoDir)
	b, err := os.ReadFile(pack)
	if err != nil {
		t.Fatal(err)
	}
	b[100] ^= 1
	if err := os.Chmod(pack, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pack, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := cairn(t, "repo", "check", "-r", repoDir, "--read-data")
	for _, want := range []string{"damaged pack " + filepath.Base(pack), "tags nightly", src + "/victim.bin", "restic repair packs"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Fatalf("check exited %d without %q:\n%s", code, want, out)
		}
	}

	code, _, errOut := cairn(t, "repo", "check", "-r", repoDir, "--read-data-subset", "7")
	if code == 0 || !strings.Contains(errOut, "n/t") || !strings.Contains(errOut, "percentage") {
		t.Fatalf("a bad subset: exit %d, %q", code, errOut)
	}
}
