package repo

import (
	"context"
	"fmt"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
)

// LoadIndex (re)loads every index file into a fresh master index, reading
// Connections files at a time. Blobs saved by a write session in progress
// stay known.
func (r *Repository) LoadIndex(ctx context.Context) error {
	ids, err := listNames(ctx, r.be, backend.IndexFile)
	if err != nil {
		return err
	}
	m := index.NewMaster()
	err = r.forEachIndex(ctx, ids, func(id ID, f *index.File) error {
		for _, p := range f.Packs {
			m.AddPack(p.ID, p.Blobs)
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.sessMu.Lock()
	defer r.sessMu.Unlock()
	if r.sess != nil {
		r.sess.mu.Lock()
		for _, p := range r.sess.uploaded {
			m.AddPack(p.ID, p.Blobs)
		}
		r.sess.mu.Unlock()
	}
	r.idxMu.Lock()
	r.idx = m
	r.idxMu.Unlock()
	return nil
}

// loadIndexFile loads and decodes one index file.
func (r *Repository) loadIndexFile(ctx context.Context, id ID) (*index.File, error) {
	h := backend.Handle{Type: backend.IndexFile, Name: id.String()}
	plain, err := r.loadUnpacked(ctx, h)
	if err != nil {
		return nil, err
	}
	f, err := index.Decode(plain)
	if err != nil {
		return nil, fmt.Errorf("%w: %v: %w", ErrInvalidData, h, err)
	}
	return f, nil
}

// forEachIndex loads the index files ids with Connections workers and calls
// fn for each, one call at a time. The first error stops the work.
func (r *Repository) forEachIndex(ctx context.Context, ids []ID, fn func(ID, *index.File) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan ID)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(r.opts.Connections+2, max(len(ids), 1)) {
		wg.Go(func() {
			for id := range work {
				f, err := r.loadIndexFile(ctx, id)
				mu.Lock()
				if err == nil && ctx.Err() == nil {
					err = fn(id, f)
				}
				mu.Unlock()
				if err != nil {
					cancel(err)
				}
			}
		})
	}
	for _, id := range ids {
		select {
		case work <- id:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("loading index of %s: %w", r.be.Location(), err)
	}
	return nil
}
