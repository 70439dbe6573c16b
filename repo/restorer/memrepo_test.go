package restorer_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/restorer"
)

// TestRestoreMemRepo restores a tree written with package repo (no restic
// binary needed): content split over blobs, a repeated blob, an empty
// file, a crafted bad name.
func TestRestoreMemRepo(t *testing.T) {
	ctx := t.Context()
	r := repo.TestRepository(t, 2)
	mt := time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
	save := func(data []byte) repo.ID {
		id, _, err := r.SaveBlob(ctx, repo.DataBlob, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b := randomBytes(9, 300<<10), textBytes(9, 200<<10)
	ida, idb := save(a), save(b)
	fileNode := func(name string, ids ...repo.ID) repo.Node {
		return repo.Node{Name: name, Type: repo.NodeTypeFile, Mode: 0o640, ModTime: mt, Content: ids}
	}
	sub, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{fileNode("aba", ida, idb, ida), fileNode("empty")}})
	if err != nil {
		t.Fatal(err)
	}
	root, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{
		fileNode("b", idb),
		{Name: "d", Type: repo.NodeTypeDir, Mode: fs.ModeDir | 0o750, ModTime: mt, Subtree: &sub},
	}})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{fileNode("..", ida)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	res, err := restorer.Restore(ctx, r, &repo.Snapshot{Tree: &root}, restorer.Options{Target: target, Sparse: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 3 || res.Dirs != 1 || res.BytesDone != uint64(2*len(a)+2*len(b)) {
		t.Errorf("result %+v", *res)
	}
	want := map[string][]byte{"b": b, "d/aba": append(append(append([]byte{}, a...), b...), a...), "d/empty": {}}
	for name, data := range want {
		p := filepath.Join(target, name)
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: content differs: %v", name, err)
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Mode() != 0o640 || !fi.ModTime().Equal(mt) {
			t.Errorf("%s: %v %v %v", name, fi.Mode(), fi.ModTime(), err)
		}
	}
	fi, err := os.Stat(filepath.Join(target, "d"))
	if err != nil || fi.Mode() != fs.ModeDir|0o750 || !fi.ModTime().Equal(mt) {
		t.Errorf("d: %v %v %v", fi.Mode(), fi.ModTime(), err)
	}
	_, err = restorer.Restore(ctx, r, &repo.Snapshot{Tree: &bad}, restorer.Options{Target: t.TempDir()})
	if !errors.Is(err, repo.ErrInvalidData) {
		t.Errorf("restoring a node named ..: %v", err)
	}
}
