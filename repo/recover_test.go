package repo_test

import (
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// TestRecoverPacks drops the index files a write session left, as if it had
// been killed before writing them, and checks that RecoverPacks indexes
// every pack again so that nothing needs uploading twice.
func TestRecoverPacks(t *testing.T) {
	ctx := t.Context()
	r := repo.TestRepository(t, 2)
	buildSnapshot(t, r)
	packs := packFiles(t, r)
	for _, fi := range listFiles(t, r.Backend(), backend.IndexFile) {
		if err := r.Backend().Remove(ctx, backend.Handle{Type: backend.IndexFile, Name: fi.Name}); err != nil {
			t.Fatal(err)
		}
	}
	r2 := reopen(t, r)
	if r2.HasBlob(repo.DataBlob, repo.Hash(randomBytes(500, 900<<10))) {
		t.Fatal("blob indexed before recovery")
	}
	// A session that does not know the packs stores a blob again.
	if _, _, err := r2.SaveBlob(ctx, repo.DataBlob, randomBytes(501, 900<<10), nil); err != nil {
		t.Fatal(err)
	}
	if err := r2.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := r2.RecoverPacks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, p := range packs {
		size += p.Size
	}
	if rec.Packs != len(packs) || rec.Bytes != size || rec.Blobs != 8 {
		t.Fatalf("recovered %+v, want %d packs of %d bytes, 8 blobs", rec, len(packs), size)
	}
	if !r2.HasBlob(repo.DataBlob, repo.Hash(randomBytes(500, 900<<10))) {
		t.Fatal("blob not indexed after recovery")
	}
	res, err := reopen(t, r2).Check(ctx, repo.CheckOptions{ReadData: true})
	if err != nil || len(res.Problems) != 0 || len(res.UnreferencedPacks) != 0 {
		t.Fatalf("check after recovery: %v %+v", err, res)
	}
	if res.DuplicateBlobs != 1 || res.DuplicateBytes < 900<<10 {
		t.Errorf("%d duplicate blobs of %d bytes, want the one saved again", res.DuplicateBlobs, res.DuplicateBytes)
	}
	if again, err := r2.RecoverPacks(ctx); err != nil || again.Packs != 0 {
		t.Fatalf("second recovery: %+v %v", again, err)
	}
}
