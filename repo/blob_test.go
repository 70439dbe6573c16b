package repo_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

func randomBytes(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := rng.Uint64()
		for k := range 8 {
			b[i+k] = byte(v >> (8 * k))
		}
	}
	for i := n &^ 7; i < n; i++ {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func compressible(n int) []byte {
	return bytes.Repeat([]byte("cairn backs up kubernetes volumes. "), n/35+1)[:n]
}

func reopen(t *testing.T, r *repo.Repository) *repo.Repository {
	t.Helper()
	r2, err := repo.Open(t.Context(), r.Backend(), repo.TestPassword, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r2.Close() })
	return r2
}

func listFiles(t *testing.T, be backend.Backend, ft backend.FileType) []backend.FileInfo {
	t.Helper()
	var fis []backend.FileInfo
	if err := be.List(t.Context(), ft, func(fi backend.FileInfo) error {
		fis = append(fis, fi)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return fis
}

func TestBlobRoundTrip(t *testing.T) {
	blobs := map[string][]byte{
		"empty":          {},
		"one byte":       {42},
		"compressible":   compressible(100 << 10),
		"incompressible": randomBytes(1, 100<<10),
		"8 MiB":          randomBytes(2, 8<<20),
		"8 MiB text":     compressible(8 << 20),
	}
	for _, version := range []int{1, 2} {
		r := repo.TestRepository(t, version)
		ctx := t.Context()
		ids := map[string]repo.ID{}
		for name, data := range blobs {
			id, known, err := r.SaveBlob(ctx, repo.DataBlob, data, nil)
			if err != nil || known || id != repo.Hash(data) {
				t.Fatalf("v%d %s: known=%v %v", version, name, known, err)
			}
			ids[name] = id
		}
		if err := r.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		st := r.SaveStats()
		if st.DataBlobs != len(blobs) {
			t.Fatalf("stats %+v", st)
		}
		if version == 2 && st.DataAddedPacked >= st.DataAdded {
			t.Fatalf("v2 did not compress: %+v", st)
		}
		if version == 1 && st.DataAddedPacked != st.DataAdded+uint64(32*len(blobs)) {
			t.Fatalf("v1 stored %d bytes for %d", st.DataAddedPacked, st.DataAdded)
		}
		for _, rr := range []*repo.Repository{r, reopen(t, r)} {
			var buf []byte
			for name, data := range blobs {
				if n, ok := rr.BlobSize(repo.DataBlob, ids[name]); !ok || int(n) != len(data) || !rr.HasBlob(repo.DataBlob, ids[name]) {
					t.Fatalf("v%d %s: size %d, %v", version, name, n, ok)
				}
				got, err := rr.LoadBlob(ctx, repo.DataBlob, ids[name], buf)
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("v%d %s: %v", version, name, err)
				}
				buf = got
			}
		}
		if _, err := r.Check(ctx, repo.CheckOptions{ReadData: true}); err != nil {
			t.Fatalf("v%d check: %v", version, err)
		}
	}
}

func TestDedup(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	data := randomBytes(3, 1000)
	id, known, err := r.SaveBlob(ctx, repo.DataBlob, data, nil)
	if err != nil || known {
		t.Fatal(known, err)
	}
	// pending in this session
	if _, known, _ := r.SaveBlob(ctx, repo.DataBlob, data, &id); !known {
		t.Fatal("pending blob not deduplicated")
	}
	// the same bytes as a tree are a different blob
	if _, known, _ := r.SaveBlob(ctx, repo.TreeBlob, data, nil); known {
		t.Fatal("tree deduplicated against data")
	}
	if _, err := r.LoadBlob(ctx, repo.DataBlob, id, nil); !errors.Is(err, repo.ErrNotFlushed) {
		t.Fatalf("loading an unflushed blob: %v", err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, known, _ := r.SaveBlob(ctx, repo.DataBlob, data, nil); !known {
		t.Fatal("indexed blob not deduplicated")
	}
	r2 := reopen(t, r)
	if _, known, _ := r2.SaveBlob(ctx, repo.DataBlob, data, nil); !known {
		t.Fatal("blob not deduplicated after reopening")
	}
	if st := r.SaveStats(); st.DataBlobs != 1 || st.TreeBlobs != 1 {
		t.Fatalf("stats %+v", st)
	}
	if _, err := r2.LoadBlob(ctx, repo.DataBlob, repo.Hash([]byte("nope")), nil); !errors.Is(err, repo.ErrNotFound) {
		t.Fatalf("missing blob: %v", err)
	}
}

func TestConcurrentSave(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for i := range 40 {
				// half of the blobs are shared between goroutines
				seed := uint64(g*1000 + i)
				if i%2 == 0 {
					seed = uint64(i)
				}
				if _, _, err := r.SaveBlob(ctx, repo.DataBlob, randomBytes(seed, 64<<10), nil); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if st := r.SaveStats(); st.DataBlobs != 20+8*20 {
		t.Fatalf("saved %d blobs, want %d", st.DataBlobs, 20+8*20)
	}
	res, err := r.Check(ctx, repo.CheckOptions{ReadData: true})
	if err != nil || res.Blobs != 180 {
		t.Fatalf("check: %+v %v", res, err)
	}
}

func TestPackSplitting(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	const blob = 1 << 20
	for i := range 30 {
		if _, _, err := r.SaveBlob(ctx, repo.DataBlob, randomBytes(uint64(100+i), blob), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.SaveTree(ctx, &repo.Tree{}); err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	packs := listFiles(t, r.Backend(), backend.PackFile)
	small := 0
	for _, p := range packs {
		if p.Size > repo.MinPackSize+blob+4096 {
			t.Errorf("pack %s has %d bytes, above target plus one blob", p.Name, p.Size)
		}
		// a full pack is one the next blob did not fit in
		if p.Size < repo.MinPackSize-blob-4096 {
			small++
		}
	}
	// a tree pack, plus at most one partial data pack per packer (merged if they fit)
	if small > 3 || len(packs) < 7 {
		t.Fatalf("%d packs, %d below the target", len(packs), small)
	}
	if cp := r.Checkpoint(); cp.PacksUploaded != len(packs) || cp.PacksIndexed != len(packs) || len(cp.IndexIDs) == 0 {
		t.Fatalf("checkpoint %+v for %d packs", cp, len(packs))
	}
}

func TestCorruptPack(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	data := randomBytes(5, 5000)
	id, _, _ := r.SaveBlob(ctx, repo.DataBlob, data, nil)
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	be := r.Backend()
	p := listFiles(t, be, backend.PackFile)[0]
	h := backend.Handle{Type: backend.PackFile, Name: p.Name}
	orig, err := backend.LoadAll(ctx, be, h)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(orig)
	bad[100] ^= 0x55
	if err := be.Save(ctx, h, bad); err != nil {
		t.Fatal(err)
	}
	_, err = r.LoadBlob(ctx, repo.DataBlob, id, nil)
	if !errors.Is(err, repo.ErrInvalidData) || !strings.Contains(err.Error(), p.Name) {
		t.Fatalf("corrupt blob: %v", err)
	}
	if err := be.Save(ctx, h, orig[:50]); err != nil {
		t.Fatal(err)
	}
	if _, err = r.LoadBlob(ctx, repo.DataBlob, id, nil); err == nil || !strings.Contains(err.Error(), p.Name) {
		t.Fatalf("truncated pack: %v", err)
	}
	if err := be.Remove(ctx, h); err != nil {
		t.Fatal(err)
	}
	if _, err = r.LoadBlob(ctx, repo.DataBlob, id, nil); !backend.IsNotExist(err) || !strings.Contains(err.Error(), p.Name) {
		t.Fatalf("missing pack: %v", err)
	}
}

func TestTruncatedFiles(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx := t.Context()
	id, _, _ := r.SaveBlob(ctx, repo.DataBlob, []byte("x"), nil)
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SaveSnapshot(ctx, &repo.Snapshot{Tree: &id, Paths: []string{"/"}}); err != nil {
		t.Fatal(err)
	}
	be := r.Backend()
	for _, ft := range []backend.FileType{backend.IndexFile, backend.SnapshotFile, backend.KeyFile} {
		fi := listFiles(t, be, ft)[0]
		h := backend.Handle{Type: ft, Name: fi.Name}
		data, _ := backend.LoadAll(ctx, be, h)
		if err := be.Save(ctx, h, data[:len(data)-1]); err != nil {
			t.Fatal(err)
		}
	}
	_, err := repo.Open(ctx, be, repo.TestPassword, testOpts)
	if !errors.Is(err, repo.ErrWrongPassword) || !strings.Contains(err.Error(), "unreadable key files") {
		t.Fatalf("truncated key file: %v", err)
	}
	if err := r.LoadIndex(ctx); !errors.Is(err, repo.ErrInvalidData) {
		t.Fatalf("truncated index: %v", err)
	}
	if _, err := r.ListSnapshots(ctx); !errors.Is(err, repo.ErrInvalidData) {
		t.Fatalf("truncated snapshot: %v", err)
	}
}

func TestSaveBlobCancelled(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := r.SaveBlob(ctx, repo.DataBlob, []byte("x"), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled save: %v", err)
	}
	if err := r.Flush(t.Context()); err != nil {
		t.Fatalf("flush after nothing was saved: %v", err)
	}
}
