package archiver_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
)

// TestBackupRoundTrip backs up the fixture into a memory repository and
// compares every node with the file system.
func TestBackupRoundTrip(t *testing.T) {
	src := t.TempDir()
	makeFixture(t, src)
	r := repo.TestRepository(t, 2)
	var progress []archiver.Progress
	res, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{
		Hostname: "host", Tags: []string{"t1"},
		OnProgress: func(p archiver.Progress) { progress = append(progress, p) },
		OnWarning:  func(p string, err error) { t.Errorf("warning %s: %v", p, err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	sn := res.Snapshot
	if sn.Hostname != "host" || len(sn.Tags) != 1 || len(sn.Paths) != 1 || sn.Paths[0] != src ||
		!strings.HasPrefix(sn.ProgramVersion, "cairn ") || sn.Summary == nil {
		t.Fatalf("snapshot fields: %+v", sn)
	}
	if s := sn.Summary; s.FilesNew != 10 || s.FilesUnmodified != 0 || s.DataAdded == 0 || s.TotalFilesProcessed != 10 {
		t.Fatalf("summary: %+v", s)
	}
	last := progress[len(progress)-1]
	if !last.ScanDone || last.TotalFiles != 10 || last.FilesDone != 10 || last.BytesDone != last.TotalBytes {
		t.Fatalf("final progress: %+v", last)
	}
	nodes := flatten(t, r, *sn.Tree)
	prefix := strings.TrimPrefix(src, "/")
	// the root tree reproduces the path
	comps := strings.Split(prefix, "/")
	for i := range comps {
		p := strings.Join(comps[:i+1], "/")
		if n, ok := nodes[p]; !ok || n.Type != repo.NodeTypeDir {
			t.Fatalf("path component %s missing: %+v", p, n)
		}
	}
	compareTree(t, r, src, prefix, nodes)
}

// compareTree checks every entry under src against nodes[prefix/...].
func compareTree(t *testing.T, r *repo.Repository, src, prefix string, nodes map[string]repo.Node) {
	t.Helper()
	count := 0
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == src {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		n, ok := nodes[prefix+"/"+filepath.ToSlash(rel)]
		if !ok {
			t.Errorf("%s: not in snapshot", rel)
			return nil
		}
		count++
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		if n.Mode != fi.Mode()&repo.ModeMask || !n.ModTime.Equal(fi.ModTime()) || n.Inode != st.Ino ||
			n.UID != st.Uid || n.DeviceID != uint64(st.Dev) {
			t.Errorf("%s: node %+v, file mode %v mtime %v", rel, n, fi.Mode(), fi.ModTime())
		}
		switch {
		case fi.Mode().IsRegular():
			if n.Links != uint64(st.Nlink) || n.Size != uint64(fi.Size()) {
				t.Errorf("%s: links %d size %d", rel, n.Links, n.Size)
			}
			want, _ := os.ReadFile(p)
			if got := content(t, r, n); !bytes.Equal(got, want) {
				t.Errorf("%s: content differs (%d vs %d bytes)", rel, len(got), len(want))
			}
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			if n.Type != repo.NodeTypeSymlink || n.LinkTarget != target {
				t.Errorf("%s: symlink %+v", rel, n)
			}
		case fi.Mode()&fs.ModeNamedPipe != 0:
			if n.Type != repo.NodeTypeFifo {
				t.Errorf("%s: fifo %+v", rel, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count < 15 {
		t.Fatalf("compared only %d entries", count)
	}
}

func TestBackupMissingPath(t *testing.T) {
	r := repo.TestRepository(t, 2)
	src := t.TempDir()
	missing := filepath.Join(src, "nope")
	_, err := archiver.Backup(t.Context(), r, []string{src, missing}, archiver.Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Fatalf("got %v, want a not-exist error naming %s", err, missing)
	}
	if st := r.SaveStats(); st.DataBlobs+st.TreeBlobs != 0 {
		t.Fatalf("saved blobs before failing: %+v", st)
	}
}

// TestBackupMultipleTargets checks the root tree for targets sharing a
// prefix, one of them a file.
func TestBackupMultipleTargets(t *testing.T) {
	src := t.TempDir()
	write(t, filepath.Join(src, "x", "one"), []byte("1"), 0o644)
	write(t, filepath.Join(src, "y", "two"), []byte("2"), 0o644)
	write(t, filepath.Join(src, "z"), []byte("3"), 0o644)
	r := repo.TestRepository(t, 2)
	res, err := archiver.Backup(t.Context(), r, []string{filepath.Join(src, "y"), filepath.Join(src, "x"), filepath.Join(src, "z")}, archiver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	nodes := flatten(t, r, *res.Snapshot.Tree)
	p := strings.TrimPrefix(src, "/")
	for _, want := range []string{"x", "x/one", "y", "y/two", "z"} {
		if _, ok := nodes[p+"/"+want]; !ok {
			t.Errorf("%s missing from %v", want, keys(nodes))
		}
	}
	if _, err := archiver.Backup(t.Context(), r, []string{src, filepath.Join(src, "x")}, archiver.Options{}); err == nil {
		t.Fatal("nested targets accepted")
	}
}

func keys(m map[string]repo.Node) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestExcludes(t *testing.T) {
	src := t.TempDir()
	for _, p := range []string{"keep.txt", "drop.log", "sub/drop.log", "sub/keep", "cache/x", "sub/cache/y", "anchored/z"} {
		write(t, filepath.Join(src, p), []byte(p), 0o644)
	}
	r := repo.TestRepository(t, 2)
	res, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{
		Excludes: []string{"*.log", "cache", filepath.Join(src, "anchored")},
	})
	if err != nil {
		t.Fatal(err)
	}
	nodes := flatten(t, r, *res.Snapshot.Tree)
	p := strings.TrimPrefix(src, "/") + "/"
	for _, keep := range []string{"keep.txt", "sub", "sub/keep"} {
		if _, ok := nodes[p+keep]; !ok {
			t.Errorf("%s excluded", keep)
		}
	}
	for _, drop := range []string{"drop.log", "sub/drop.log", "cache", "sub/cache", "anchored"} {
		if _, ok := nodes[p+drop]; ok {
			t.Errorf("%s not excluded", drop)
		}
	}
	if len(res.Snapshot.Excludes) != 3 {
		t.Errorf("snapshot excludes %v", res.Snapshot.Excludes)
	}
	if _, err := archiver.CompileExcludes([]string{"[x"}); err == nil {
		t.Error("bad pattern accepted")
	}
}

func TestExcludesMatch(t *testing.T) {
	e, err := archiver.CompileExcludes([]string{"*.tmp", "/var/cache", "a/**/z", "b/c"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"/home/u/x.tmp": true, "/x.tmp/inner": true, "/var/cache": true, "/var/cache/q": true,
		"/srv/var/cache": false, "/a/z": true, "/q/a/1/2/z": true, "/a/y": false,
		"/x/b/c": true, "/x/b/c/d": true, "/x/b/cc": false, "/home/u/x.txt": false,
	} {
		if got := e.Match(p); got != want {
			t.Errorf("Match(%s) = %v, want %v", p, got, want)
		}
	}
}

// TestVanishedFile deletes a file after the walk listed it and before it is
// read: the backup warns, leaves it out and completes.
func TestVanishedFile(t *testing.T) {
	src := t.TempDir()
	write(t, filepath.Join(src, "stays"), []byte("here"), 0o644)
	gone := filepath.Join(src, "goes")
	write(t, gone, text(9, 100), 0o644)
	archiver.SetTestHookOpen(func(p string) {
		if p == gone {
			os.Remove(p)
		}
	})
	defer archiver.SetTestHookOpen(nil)
	r := repo.TestRepository(t, 2)
	var mu sync.Mutex
	var warned []string
	res, err := archiver.Backup(t.Context(), r, []string{src}, archiver.Options{
		OnWarning: func(p string, err error) {
			mu.Lock()
			warned = append(warned, p)
			mu.Unlock()
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("warning for %s: %v", p, err)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Warnings != 1 || len(warned) != 1 || warned[0] != gone {
		t.Fatalf("warnings %d %v", res.Warnings, warned)
	}
	nodes := flatten(t, r, *res.Snapshot.Tree)
	p := strings.TrimPrefix(src, "/") + "/"
	if _, ok := nodes[p+"goes"]; ok {
		t.Error("vanished file in snapshot")
	}
	if _, ok := nodes[p+"stays"]; !ok {
		t.Error("other file missing")
	}
}
