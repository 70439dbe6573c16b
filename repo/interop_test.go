package repo_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// resticBinary returns the restic binary the test bed installs, or skips.
func resticBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("interoperability tests run the restic binary")
	}
	p := os.Getenv("CAIRN_RESTIC")
	if p == "" {
		p, _ = filepath.Abs("../.tools/bin/restic")
	}
	if _, err := os.Stat(p); err != nil {
		t.Skipf("restic binary not found at %s", p)
	}
	return p
}

func restic(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"--no-cache", "-r", dir}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+repo.TestPassword)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("restic %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestResticReadsCairn writes a repository with Cairn and has restic
// check every byte of it and restore it.
func TestResticReadsCairn(t *testing.T) {
	bin := resticBinary(t)
	for _, version := range []int{1, 2} {
		dir := t.TempDir()
		opts := testOpts
		opts.Version = version
		r, err := repo.Init(t.Context(), dirBackend{dir}, repo.TestPassword, opts)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{
			"big":   randomBytes(7, 3<<20+123),
			"text":  compressible(2 << 20),
			"empty": {},
		}
		saveFiles(t, r, files)
		r.Close()

		out := restic(t, bin, dir, "check", "--read-data")
		if !strings.Contains(out, "no errors were found") || strings.Contains(out, "warn") {
			t.Fatalf("restic check:\n%s", out)
		}
		t.Logf("v%d restic check:\n%s", version, out)
		target := t.TempDir()
		restic(t, bin, dir, "restore", "latest", "--target", target)
		for name, data := range files {
			got, err := os.ReadFile(filepath.Join(target, "data", name))
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("v%d: restored %s differs: %v", version, name, err)
			}
		}
		if link, err := os.Readlink(filepath.Join(target, "data", "link")); err != nil || link != "big" {
			t.Fatalf("restored symlink %q: %v", link, err)
		}
		fi, err := os.Stat(filepath.Join(target, "data", "text"))
		if err != nil || fi.Mode().Perm() != 0o640 || !fi.ModTime().Equal(testMtime) {
			t.Fatalf("restored metadata %v %v: %v", fi.Mode(), fi.ModTime(), err)
		}
	}
}

var testMtime = time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)

// saveFiles stores files under /data, with a symlink, and a snapshot.
func saveFiles(t *testing.T, r *repo.Repository, files map[string][]byte) {
	t.Helper()
	ctx := t.Context()
	var nodes []repo.Node
	for _, name := range []string{"big", "empty", "text"} {
		data := files[name]
		content := []repo.ID{}
		for off := 0; off < len(data); off += 1 << 20 {
			id, _, err := r.SaveBlob(ctx, repo.DataBlob, data[off:min(off+1<<20, len(data))], nil)
			if err != nil {
				t.Fatal(err)
			}
			content = append(content, id)
		}
		nodes = append(nodes, repo.Node{Name: name, Type: repo.NodeTypeFile, Mode: 0o640, ModTime: testMtime,
			AccessTime: testMtime, ChangeTime: testMtime, UID: uint32(os.Getuid()), GID: uint32(os.Getgid()),
			Size: uint64(len(data)), Links: 1, Content: content})
	}
	nodes = append(nodes, repo.Node{Name: "link", Type: repo.NodeTypeSymlink, Mode: fs.ModeSymlink | 0o777,
		ModTime: testMtime, AccessTime: testMtime, ChangeTime: testMtime, LinkTarget: "big"})
	slices.SortFunc(nodes, func(a, b repo.Node) int { return strings.Compare(a.Name, b.Name) })
	sub, err := r.SaveTree(ctx, &repo.Tree{Nodes: nodes})
	if err != nil {
		t.Fatal(err)
	}
	root, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{{Name: "data", Type: repo.NodeTypeDir,
		Mode: fs.ModeDir | 0o750, ModTime: testMtime, AccessTime: testMtime, ChangeTime: testMtime, Subtree: &sub}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, err := r.SaveSnapshot(ctx, &repo.Snapshot{Time: now, Tree: &root, Paths: []string{"/data"}, Hostname: "cairn-test",
		ProgramVersion: "cairn test", Summary: &repo.SnapshotSummary{BackupStart: now, BackupEnd: now}}); err != nil {
		t.Fatal(err)
	}
}

// TestCairnReadsRestic backs up a folder with restic, reads it back with
// Cairn, adds a snapshot with Cairn and has restic check the result.
func TestCairnReadsRestic(t *testing.T) {
	bin := resticBinary(t)
	src := t.TempDir()
	files := map[string][]byte{
		"big":   randomBytes(8, 5<<20),
		"text":  compressible(3 << 20),
		"empty": {},
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(src, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, version := range []string{"1", "2"} {
		dir := t.TempDir()
		restic(t, bin, dir, "init", "--repository-version", version)
		restic(t, bin, dir, "backup", "--host", "h", src)

		r, err := repo.Open(t.Context(), dirBackend{dir}, repo.TestPassword, repo.Options{KDF: repo.TestKDFParams, PackSize: repo.MinPackSize})
		if err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		sn, err := r.FindSnapshot(ctx, "latest")
		if err != nil {
			t.Fatal(err)
		}
		if sn.Hostname != "h" || len(sn.Paths) != 1 || sn.Paths[0] != src {
			t.Fatalf("v%s snapshot %+v", version, sn)
		}
		node := findNode(t, r, *sn.Tree, strings.Split(strings.TrimPrefix(src, "/"), "/"))
		tree, err := r.LoadTree(ctx, *node.Subtree)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range tree.Nodes {
			var got []byte
			for _, id := range n.Content {
				b, err := r.LoadBlob(ctx, repo.DataBlob, id, nil)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, b...)
			}
			if !bytes.Equal(got, files[n.Name]) || n.Mode != 0o644 || n.Content == nil {
				t.Fatalf("v%s: file %s differs (mode %v)", version, n.Name, n.Mode)
			}
		}
		if _, err := r.Check(ctx, repo.CheckOptions{ReadData: true}); err != nil {
			t.Fatalf("v%s: cairn check of a restic repository: %v", version, err)
		}
		if version == "1" {
			r.Close()
			continue
		}
		saveFiles(t, r, map[string][]byte{"big": files["big"], "text": randomBytes(9, 1<<20), "empty": {}})
		if st := r.SaveStats(); st.DataBlobs == 0 {
			t.Fatalf("stats %+v", st)
		}
		r.Close()
		out := restic(t, bin, dir, "check", "--read-data")
		if !strings.Contains(out, "no errors were found") {
			t.Fatalf("restic check after Cairn wrote:\n%s", out)
		}
	}
}

// findNode walks path from the tree root and returns the final node.
func findNode(t *testing.T, r *repo.Repository, root repo.ID, path []string) repo.Node {
	t.Helper()
	id := root
	var found repo.Node
	for _, name := range path {
		tree, err := r.LoadTree(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		ok := false
		for _, n := range tree.Nodes {
			if n.Name == name {
				found, ok = n, true
				if n.Subtree != nil {
					id = *n.Subtree
				}
			}
		}
		if !ok {
			t.Fatalf("%s not found in tree %v", name, id.Str())
		}
	}
	return found
}
