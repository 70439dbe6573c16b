package repo_test

import (
	"context"
	"io"
	"sync/atomic"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// countingBackend counts the reads of packs.
type countingBackend struct {
	backend.Backend
	packReads atomic.Int64
}

func (c *countingBackend) Load(ctx context.Context, h backend.Handle, off, n int64) (io.ReadCloser, error) {
	if h.Type == backend.PackFile {
		c.packReads.Add(1)
	}
	return c.Backend.Load(ctx, h, off, n)
}

// TestTreesReadOncePerPack loads every tree of a snapshot twice and
// checks that their pack was read once.
func TestTreesReadOncePerPack(t *testing.T) {
	ctx := t.Context()
	r := repo.TestRepository(t, 2)
	var ids []repo.ID
	for i := range 20 {
		id, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{{Name: string(rune('a' + i)), Type: repo.NodeTypeFile, Content: []repo.ID{}}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	cb := &countingBackend{Backend: r.Backend()}
	r2, err := repo.Open(ctx, cb, repo.TestPassword, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	for range 2 {
		for i, id := range ids {
			tr, err := r2.LoadTree(ctx, id)
			if err != nil || len(tr.Nodes) != 1 || tr.Nodes[0].Name != string(rune('a'+i)) {
				t.Fatalf("tree %d: %+v %v", i, tr, err)
			}
		}
	}
	if n := cb.packReads.Load(); n != 1 {
		t.Errorf("%d pack reads for 40 tree loads from one pack, want 1", n)
	}
}
