package repo_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// TestCancelWritesIndex cancels a write session after some packs were
// uploaded: their index must be written so that a new session reuses them,
// and Flush must report the lost blobs.
func TestCancelWritesIndex(t *testing.T) {
	var mu sync.Mutex
	var cps []repo.Checkpoint
	r := repo.TestRepository(t, 2, func(o *repo.Options) {
		o.OnCheckpoint = func(cp repo.Checkpoint) {
			mu.Lock()
			cps = append(cps, cp)
			mu.Unlock()
		}
	})
	ctx, cancel := context.WithCancel(t.Context())
	var ids []repo.ID
	for i := range 13 { // full packs, and a remainder in the packers
		id, _, err := r.SaveBlob(ctx, repo.DataBlob, randomBytes(uint64(200+i), 1<<20), nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	cancel()
	err := r.Flush(t.Context())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("flush after cancel: %v", err)
	}
	if err := r.Flush(t.Context()); err != nil {
		t.Fatalf("the error is reported once: %v", err)
	}
	cp := r.Checkpoint()
	if cp.PacksUploaded == 0 || cp.PacksIndexed != cp.PacksUploaded || len(cp.IndexIDs) != 1 {
		t.Fatalf("checkpoint %+v", cp)
	}
	mu.Lock()
	if len(cps) != 1 || cps[0].PacksIndexed != cp.PacksIndexed {
		t.Fatalf("OnCheckpoint calls: %+v", cps)
	}
	mu.Unlock()
	r2 := reopen(t, r)
	reused := 0
	for _, id := range ids {
		if _, known, err := r2.SaveBlob(t.Context(), repo.DataBlob, nil, &id); err != nil {
			t.Fatal(err)
		} else if known {
			reused++
		}
	}
	if reused == 0 || reused == len(ids) {
		t.Fatalf("%d of %d blobs reused after the cancelled session", reused, len(ids))
	}
	// the blobs dropped with the cancelled session are not "known" in r
	fresh := 0
	for _, id := range ids {
		if _, err := r.LoadBlob(t.Context(), repo.DataBlob, id, nil); errors.Is(err, repo.ErrNotFound) {
			fresh++
		}
	}
	if fresh != len(ids)-reused {
		t.Fatalf("%d blobs unknown in the old handle, want %d", fresh, len(ids)-reused)
	}
}

// TestPeriodicIndex checks that a long session writes index files on its
// own.
func TestPeriodicIndex(t *testing.T) {
	r := repo.TestRepository(t, 2, func(o *repo.Options) { o.IndexInterval = 20 * time.Millisecond })
	ctx := t.Context()
	for i := range 9 { // one of the two packers gets at least 5: a full pack
		if _, _, err := r.SaveBlob(ctx, repo.DataBlob, randomBytes(uint64(300+i), 1<<20), nil); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(r.Checkpoint().IndexIDs) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no index written while the session ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := len(listFiles(t, r.Backend(), backend.IndexFile)); n == 0 {
		t.Fatal("index file missing")
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Check(ctx, repo.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
}

// failingBackend fails every pack upload.
type failingBackend struct{ backend.Backend }

func (f failingBackend) Save(ctx context.Context, h backend.Handle, data []byte) error {
	if h.Type == backend.PackFile {
		return errors.New("disk full")
	}
	return f.Backend.Save(ctx, h, data)
}

func TestUploadFailure(t *testing.T) {
	r0 := repo.TestRepository(t, 2)
	r, err := repo.Open(t.Context(), failingBackend{r0.Backend()}, repo.TestPassword, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := t.Context()
	var saveErr error
	for i := 0; i < 20 && saveErr == nil; i++ {
		_, _, saveErr = r.SaveBlob(ctx, repo.DataBlob, randomBytes(uint64(400+i), 1<<20), nil)
	}
	err = r.Flush(ctx)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("flush after failed uploads: %v", err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatalf("second flush: %v", err)
	}
}

// TestCloseIndexesUploads closes a repository in the middle of a session:
// the uploaded packs must be indexed, and Close must not fail.
func TestCloseIndexesUploads(t *testing.T) {
	r0 := repo.TestRepository(t, 2)
	r, err := repo.Open(t.Context(), r0.Backend(), repo.TestPassword, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 9 {
		if _, _, err := r.SaveBlob(t.Context(), repo.DataBlob, randomBytes(uint64(600+i), 1<<20), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := r0.LoadIndex(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := r0.Check(t.Context(), repo.CheckOptions{ReadData: true}); err != nil {
		t.Fatalf("check after close: %v", err)
	}
	if len(listFiles(t, r0.Backend(), backend.IndexFile)) == 0 {
		t.Fatal("no index written on close")
	}
}
