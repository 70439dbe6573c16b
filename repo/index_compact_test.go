package repo_test

import (
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// TestCompactIndex writes one index file per small backup, merges them and
// checks that the repository opens with every blob and checks clean.
func TestCompactIndex(t *testing.T) {
	ctx := t.Context()
	r := repo.TestRepository(t, 2)
	var ids []repo.ID
	for i := range 12 {
		id, _, err := r.SaveBlob(ctx, repo.DataBlob, randomBytes(uint64(900+i), 4096), nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if err := r.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(listFiles(t, r.Backend(), backend.IndexFile)); n != 12 {
		t.Fatalf("%d index files, want 12", n)
	}
	if n, err := r.CompactIndex(ctx, 20); err != nil || n != 0 {
		t.Fatalf("below the threshold: merged %d, %v", n, err)
	}
	lock, err := r.Lock(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.CompactIndex(ctx, 8); err != nil || n != 12 {
		t.Fatalf("merged %d, %v; want 12", n, err)
	}
	if err := lock.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(listFiles(t, r.Backend(), backend.IndexFile)); n != 1 {
		t.Fatalf("%d index files after merging, want 1", n)
	}
	r2 := reopen(t, r)
	for i, id := range ids {
		if b, err := r2.LoadBlob(ctx, repo.DataBlob, id, nil); err != nil || len(b) != 4096 {
			t.Fatalf("blob %d: %v", i, err)
		}
	}
	res, err := r2.Check(ctx, repo.CheckOptions{ReadData: true})
	if err != nil || len(res.Problems) > 0 || res.IndexFiles != 1 || len(res.UnreferencedPacks) != 0 {
		t.Fatalf("check: %v %+v", err, res)
	}
}
