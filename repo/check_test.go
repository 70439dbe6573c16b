package repo_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// buildSnapshot saves a small tree of files and a snapshot.
func buildSnapshot(t *testing.T, r *repo.Repository) {
	t.Helper()
	ctx := t.Context()
	var content []repo.ID
	for i := range 6 {
		id, _, err := r.SaveBlob(ctx, repo.DataBlob, randomBytes(uint64(500+i), 900<<10), nil)
		if err != nil {
			t.Fatal(err)
		}
		content = append(content, id)
	}
	sub, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{
		{Name: "big", Type: repo.NodeTypeFile, Content: content},
		{Name: "empty", Type: repo.NodeTypeFile, Content: []repo.ID{}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	root, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{{Name: "d", Type: repo.NodeTypeDir, Subtree: &sub}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SaveSnapshot(ctx, &repo.Snapshot{Tree: &root, Paths: []string{"/d"}}); err != nil {
		t.Fatal(err)
	}
}

func TestCheckClean(t *testing.T) {
	for _, version := range []int{1, 2} {
		r := repo.TestRepository(t, version)
		buildSnapshot(t, r)
		var phases []repo.CheckPhase
		res, err := r.Check(t.Context(), repo.CheckOptions{ReadData: true, Progress: func(p repo.CheckProgress) {
			if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
				phases = append(phases, p.Phase)
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Snapshots != 1 || res.Trees != 2 || res.Blobs != 8 || res.IndexFiles == 0 || len(res.UnreferencedPacks) != 0 {
			t.Fatalf("v%d result %+v", version, res)
		}
		if len(phases) != 4 {
			t.Fatalf("phases %v", phases)
		}
	}
}

func packFiles(t *testing.T, r *repo.Repository) []backend.FileInfo {
	return listFiles(t, r.Backend(), backend.PackFile)
}

func TestCheckMissingPack(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	ctx := t.Context()
	victim := dataPack(t, r)
	if err := r.Backend().Remove(ctx, backend.Handle{Type: backend.PackFile, Name: victim}); err != nil {
		t.Fatal(err)
	}
	res, err := r.Check(ctx, repo.CheckOptions{})
	if !errors.Is(err, repo.ErrCheckFailed) {
		t.Fatalf("check: %v", err)
	}
	found := false
	for _, p := range res.Problems {
		if strings.Contains(p.Error(), victim) && strings.Contains(p.Error(), "missing") {
			found = true
		}
	}
	if !found {
		t.Fatalf("problems do not name the missing pack: %v", res.Problems)
	}
}

// dataPack returns a pack holding data blobs (tree packs are small).
func dataPack(t *testing.T, r *repo.Repository) string {
	t.Helper()
	for _, p := range packFiles(t, r) {
		if p.Size > 1<<20 {
			return p.Name
		}
	}
	t.Fatal("no data pack")
	return ""
}

func corruptPack(t *testing.T, r *repo.Repository, name string, at func(size int) int) {
	t.Helper()
	h := backend.Handle{Type: backend.PackFile, Name: name}
	data, err := backend.LoadAll(t.Context(), r.Backend(), h)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Clone(data)
	data[at(len(data))] ^= 1
	if err := r.Backend().Save(t.Context(), h, data); err != nil {
		t.Fatal(err)
	}
}

func TestCheckCorruptBlob(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	victim := dataPack(t, r)
	corruptPack(t, r, victim, func(int) int { return 40 })
	if _, err := r.Check(t.Context(), repo.CheckOptions{}); err != nil {
		t.Fatalf("a structure check does not read blobs: %v", err)
	}
	res, err := r.Check(t.Context(), repo.CheckOptions{ReadData: true})
	if !errors.Is(err, repo.ErrCheckFailed) {
		t.Fatalf("read-data check: %v", err)
	}
	if len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Error(), victim) {
		t.Fatalf("problems %v do not name %s", res.Problems, victim)
	}
}

func TestCheckCorruptHeader(t *testing.T) {
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	victim := packFiles(t, r)[0].Name
	corruptPack(t, r, victim, func(n int) int { return n - 10 })
	res, err := r.Check(t.Context(), repo.CheckOptions{})
	if !errors.Is(err, repo.ErrCheckFailed) || !strings.Contains(res.Problems[0].Error(), victim) {
		t.Fatalf("check: %v", err)
	}
}

func TestCheckMissingBlobAndOrphan(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	missing := repo.Hash([]byte("never saved"))
	root, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{
		{Name: "f", Type: repo.NodeTypeFile, Content: []repo.ID{missing}},
		{Name: "g", Type: repo.NodeTypeDir},
		{Name: "h", Type: "bogus"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SaveSnapshot(ctx, &repo.Snapshot{Tree: &root}); err != nil {
		t.Fatal(err)
	}
	for _, f := range listFiles(t, r.Backend(), backend.IndexFile) {
		_ = r.Backend().Remove(ctx, backend.Handle{Type: backend.IndexFile, Name: f.Name})
	}
	res, err := r.Check(ctx, repo.CheckOptions{})
	if !errors.Is(err, repo.ErrCheckFailed) || len(res.UnreferencedPacks) != 1 {
		t.Fatalf("check: %+v %v", res, err)
	}
	if !strings.Contains(res.Problems[0].Error(), "not found") {
		t.Fatalf("problems %v", res.Problems)
	}
	r2 := reopen(t, r)
	if _, err := r2.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{
		{Name: "f", Type: repo.NodeTypeFile, Content: []repo.ID{missing}}, {Name: "g", Type: repo.NodeTypeDir}, {Name: "h", Type: "bogus"},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := r2.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	res, _ = r2.Check(ctx, repo.CheckOptions{})
	var msgs []string
	for _, p := range res.Problems {
		msgs = append(msgs, p.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"is not in the index", "has no subtree", "invalid type"} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}
