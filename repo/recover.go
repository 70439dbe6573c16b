package repo

import (
	"context"
	"fmt"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// Recovered counts the packs RecoverPacks indexed.
type Recovered struct {
	Packs int
	Blobs int
	Bytes int64
}

// RecoverPacks indexes the packs in data/ that no loaded index lists: the
// ones an interrupted write session uploaded after its last index file (a
// process killed before it could write one). It reads each such pack's
// header, which is authenticated with the repository key, adds its blobs to
// the in-memory index and saves one index file listing them, so that a
// resumed backup reuses every pack that landed instead of uploading it
// again. A pack whose header cannot be read is left alone (restic's prune
// removes it). Packs are stored whole or not at all, so a listed pack is
// complete. The repository must have its index loaded.
func (r *Repository) RecoverPacks(ctx context.Context) (Recovered, error) {
	if r.opts.NoIndex {
		return Recovered{}, fmt.Errorf("recovering packs: the repository was opened without its index")
	}
	type candidate struct {
		id   ID
		size int64
	}
	var todo []candidate
	err := r.be.List(ctx, backend.PackFile, func(fi backend.FileInfo) error {
		id, err := ParseID(fi.Name)
		if err != nil || r.index().HasPack(id) {
			return nil
		}
		todo = append(todo, candidate{id, fi.Size})
		return nil
	})
	if err != nil {
		return Recovered{}, fmt.Errorf("listing packs in %s: %w", r.be.Location(), err)
	}
	if len(todo) == 0 {
		return Recovered{}, nil
	}
	var (
		mu    sync.Mutex
		file  index.File
		rec   Recovered
		wg    sync.WaitGroup
		work  = make(chan candidate)
		owner = r.key
	)
	for range r.opts.Connections {
		wg.Go(func() {
			for c := range work {
				entries, _, err := pack.ReadHeader(owner, packReaderAt{ctx: ctx, be: r.be, h: packHandle(c.id)}, c.size)
				if err != nil || len(entries) == 0 {
					continue
				}
				mu.Lock()
				file.Packs = append(file.Packs, index.Pack{ID: c.id, Blobs: entries})
				rec.Packs++
				rec.Blobs += len(entries)
				rec.Bytes += c.size
				mu.Unlock()
			}
		})
	}
	for _, c := range todo {
		select {
		case work <- c:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Recovered{}, err
	}
	if len(file.Packs) == 0 {
		return rec, nil
	}
	if _, err := r.saveIndexFile(ctx, &file); err != nil {
		return Recovered{}, fmt.Errorf("saving the index of %d recovered packs: %w", len(file.Packs), err)
	}
	for _, p := range file.Packs {
		r.index().AddPack(p.ID, p.Blobs)
	}
	return rec, nil
}
