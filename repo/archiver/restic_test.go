package archiver_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
	"github.com/cairn-backup/cairn/repo/backend/backendtest"
	"github.com/cairn-backup/cairn/repo/backend/local"
)

// resticBin returns the test bed's restic; it fails (saying to run `make
// tools`) when it is missing, and skips under -short.
func resticBin(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the restic binary")
	}
	return backendtest.Tool(t, "restic")
}

func runRestic(t testing.TB, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"--no-cache", "-r", dir}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+repo.TestPassword)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// localRepo creates a repository in a temporary directory.
func localRepo(t testing.TB) (string, *repo.Repository) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	be, err := local.Create(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := repo.Init(t.Context(), be, repo.TestPassword, repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return dir, r
}

// TestResticChecksAndRestores backs up the fixture twice (the second with
// a parent) and has restic check every byte and restore the latest
// snapshot, which must reproduce contents, modes, times, symlinks and hard
// links.
func TestResticChecksAndRestores(t *testing.T) {
	bin := resticBin(t)
	src := t.TempDir()
	makeFixture(t, src)
	dir, r := localRepo(t)
	first, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(src, "a", "new.txt"), text(77, 2000), 0o644)
	if _, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{Parent: first.SnapshotID.String()}); err != nil {
		t.Fatal(err)
	}
	out := runRestic(t, bin, dir, "check", "--read-data")
	if !strings.Contains(out, "no errors were found") {
		t.Fatalf("restic check:\n%s", out)
	}
	out = runRestic(t, bin, dir, "snapshots", "--json")
	if !strings.Contains(out, src) || !strings.Contains(out, `"parent"`) {
		t.Fatalf("restic snapshots:\n%s", out)
	}
	target := t.TempDir()
	runRestic(t, bin, dir, "restore", "latest", "--target", target)
	compareRestored(t, src, filepath.Join(target, src))
}

// compareRestored compares a restored tree with its source.
func compareRestored(t *testing.T, src, dst string) {
	t.Helper()
	inodes := map[uint64]uint64{} // source inode -> restored inode
	n := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		q := filepath.Join(dst, rel)
		want, err := os.Lstat(p)
		if err != nil {
			return err
		}
		got, err := os.Lstat(q)
		if err != nil {
			t.Errorf("%s not restored: %v", rel, err)
			return nil
		}
		n++
		if got.Mode() != want.Mode() {
			t.Errorf("%s: mode %v, want %v", rel, got.Mode(), want.Mode())
		}
		if !got.ModTime().Equal(want.ModTime()) {
			t.Errorf("%s: mtime %v, want %v", rel, got.ModTime(), want.ModTime())
		}
		switch {
		case want.Mode().IsRegular():
			a, _ := os.ReadFile(p)
			b, _ := os.ReadFile(q)
			if !bytes.Equal(a, b) {
				t.Errorf("%s: content differs", rel)
			}
			ws, gs := want.Sys().(*syscall.Stat_t), got.Sys().(*syscall.Stat_t)
			if ws.Nlink > 1 {
				if prev, ok := inodes[ws.Ino]; ok && prev != gs.Ino {
					t.Errorf("%s: hard link not restored", rel)
				}
				inodes[ws.Ino] = gs.Ino
			}
		case want.Mode()&fs.ModeSymlink != 0:
			a, _ := os.Readlink(p)
			b, _ := os.Readlink(q)
			if a != b {
				t.Errorf("%s: link %q, want %q", rel, b, a)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Fatalf("compared only %d entries", n)
	}
}
