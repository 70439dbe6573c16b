package repo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
)

// TestPruneResticRepository prunes repositories restic wrote (both
// format versions), after restic forget, and has restic check every byte
// and restore the kept snapshot; then restic prunes what Cairn wrote.
func TestPruneResticRepository(t *testing.T) {
	bin := resticBinary(t)
	for _, version := range []string{"1", "2"} {
		src, dir := t.TempDir(), t.TempDir()
		restic(t, bin, dir, "init", "--repository-version", version)
		var last map[string][]byte
		for i := range 3 {
			last = map[string][]byte{"big": randomBytes(uint64(20+i), 6<<20), "text": compressible(2<<20 + i)}
			for name, data := range last {
				if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			restic(t, bin, dir, "backup", "--host", "h", src)
		}
		restic(t, bin, dir, "forget", "--keep-last", "1")
		st, err := prune(t, dirBackend{dir}, repo.PruneOptions{})
		if err != nil {
			t.Fatalf("v%s: %v", version, err)
		}
		if st.Packs.Remove+st.Packs.Repack == 0 {
			t.Fatalf("v%s: prune removed nothing: %+v", version, st.Packs)
		}
		if out := restic(t, bin, dir, "check", "--read-data"); !strings.Contains(out, "no errors were found") {
			t.Fatalf("v%s: restic check after Cairn's prune:\n%s", version, out)
		}
		dst := t.TempDir()
		restic(t, bin, dir, "restore", "latest", "--target", dst)
		for name, data := range last {
			got, err := os.ReadFile(filepath.Join(dst, src, name))
			if err != nil || string(got) != string(data) {
				t.Fatalf("v%s: restored %s differs (%v)", version, name, err)
			}
		}
		restic(t, bin, dir, "prune")
		restic(t, bin, dir, "check", "--read-data")
	}
}
