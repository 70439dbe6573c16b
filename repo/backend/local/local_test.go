package local_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/backendtest"
	"github.com/cairn-backup/cairn/repo/backend/local"
)

func TestSuite(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backend.Backend {
		be, err := local.Create(t.Context(), filepath.Join(t.TempDir(), "repo"))
		if err != nil {
			t.Fatal(err)
		}
		return be
	})
}

// TestSuiteOpened runs the suite on a bare folder opened without Create:
// Save makes the folders it needs.
func TestSuiteOpened(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backend.Backend {
		be, err := local.Open(t.Context(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return be
	})
}

func TestCreateLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "repo")
	if _, err := local.Create(t.Context(), dir); err != nil {
		t.Fatal(err)
	}
	want := []string{"keys", "locks", "snapshots", "index", "data", "data/00", "data/7f", "data/ff"}
	for _, d := range want {
		fi, err := os.Stat(filepath.Join(dir, d))
		if err != nil {
			t.Errorf("after Create: %v", err)
			continue
		}
		if !fi.IsDir() || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want a folder with mode 0700", d, fi.Mode())
		}
	}
	subs, err := os.ReadDir(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 256 {
		t.Errorf("data/ has %d subfolders, want 256", len(subs))
	}
}

func TestCreateRefusesExistingRepository(t *testing.T) {
	dir := t.TempDir()
	be, err := local.Create(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := be.Save(t.Context(), backend.Handle{Type: backend.ConfigFile}, []byte("cfg")); err != nil {
		t.Fatal(err)
	}
	_, err = local.Create(t.Context(), dir)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Create over an existing repository: err = %v, want \"already exists\"", err)
	}
}

func TestOpenMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nowhere")
	_, err := local.Open(t.Context(), dir)
	if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("Open(%s) = %v, want an error naming the folder and saying it does not exist", dir, err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := local.Open(t.Context(), file); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("Open of a plain file = %v, want \"not a folder\"", err)
	}
	if _, err := local.Open(t.Context(), ""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
}

// TestFilesReadOnly checks restic's permissions: saved files are 0400 and
// nothing else (no temporary file) is left in their folder.
func TestFilesReadOnly(t *testing.T) {
	dir := t.TempDir()
	be, err := local.Create(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("ab", 32)
	for _, h := range []backend.Handle{
		{Type: backend.ConfigFile},
		{Type: backend.PackFile, Name: name},
		{Type: backend.KeyFile, Name: name},
	} {
		for range 2 { // the second save replaces a read-only file
			if err := be.Save(t.Context(), h, []byte("contents")); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, filepath.FromSlash(h.Path()))
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o400 {
			t.Errorf("%s: mode %v, want 0400", h.Path(), fi.Mode().Perm())
		}
		entries, err := os.ReadDir(filepath.Dir(p))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.Contains(e.Name(), "tmp") {
				t.Errorf("temporary file %s left behind", e.Name())
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "ab", name)); err != nil {
		t.Errorf("pack not stored in data/ab: %v", err)
	}
}

// TestGroupReadableRepository follows restic: when config is readable by
// the group, new files and folders are too.
func TestGroupReadableRepository(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte("cfg"), 0o640); err != nil {
		t.Fatal(err)
	}
	be, err := local.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	h := backend.Handle{Type: backend.PackFile, Name: strings.Repeat("cd", 32)}
	if err := be.Save(t.Context(), h, []byte("x")); err != nil {
		t.Fatal(err)
	}
	checkMode(t, filepath.Join(dir, "data", "cd"), fs.ModeDir|0o750)
	checkMode(t, filepath.Join(dir, filepath.FromSlash(h.Path())), 0o440)
}

func checkMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode() &^ (fs.ModeSetgid | fs.ModeSticky); got != want {
		t.Errorf("%s: mode %v, want %v", path, got, want)
	}
}

// TestListSkipsStrays checks that List ignores temporary files of an
// interrupted Save, folders, and files at the wrong depth.
func TestListSkipsStrays(t *testing.T) {
	dir := t.TempDir()
	be, err := local.Create(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.Repeat("ef", 32)
	for _, ft := range []backend.FileType{backend.KeyFile, backend.PackFile} {
		if err := be.Save(t.Context(), backend.Handle{Type: ft, Name: name}, []byte("12345")); err != nil {
			t.Fatal(err)
		}
	}
	strays := []string{
		"keys/" + name + "-tmp-123456",
		"data/ef/" + name + "-tmp-99",
		"data/stray-at-wrong-depth",
	}
	for _, s := range strays {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(s)), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "keys", "subfolder"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, ft := range []backend.FileType{backend.KeyFile, backend.PackFile} {
		var got []string
		err := be.List(t.Context(), ft, func(fi backend.FileInfo) error {
			got = append(got, fmt.Sprintf("%s:%d", fi.Name, fi.Size))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := name + ":5"; len(got) != 1 || got[0] != want {
			t.Errorf("List(%s) = %v, want [%s]", ft, got, want)
		}
	}
}

// TestLocation checks that Location names the absolute folder.
func TestLocation(t *testing.T) {
	dir := t.TempDir()
	be, err := local.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := be.Location(), "local:"+dir; got != want {
		t.Errorf("Location() = %q, want %q", got, want)
	}
}

// TestRestic checks with the real restic that the folder is a restic
// repository, both ways.
func TestRestic(t *testing.T) {
	be, err := local.Create(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	backendtest.ResticCompat(t, be, backendtest.ResticRepo{})
}
