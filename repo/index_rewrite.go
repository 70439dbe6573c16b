package repo

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
)

// indexRewrite is what rewriteIndex found in the index files.
type indexRewrite struct {
	mu       sync.Mutex
	obsolete []ID              // files listing a dropped pack
	carried  map[ID]index.Pack // the other packs of those files
	kept     map[ID]struct{}   // packs listed by files that stay
}

// rewriteIndex replaces every index file that lists a pack in drop with
// files listing the same packs but those. The new files are saved before
// any old one is removed, so at every moment each pack that is not dropped
// is in some index file; a process killed in between leaves packs listed
// twice, which is harmless. Files in skip (just written) are left alone.
// It returns the number of files written and removed.
func (r *Repository) rewriteIndex(ctx context.Context, drop map[ID]struct{}, skip []ID) (int, int, error) {
	ids, err := listNames(ctx, r.be, backend.IndexFile)
	if err != nil {
		return 0, 0, err
	}
	ids = slices.DeleteFunc(ids, func(id ID) bool { return slices.Contains(skip, id) })
	rw := &indexRewrite{carried: map[ID]index.Pack{}, kept: map[ID]struct{}{}}
	err = r.forEachIndex(ctx, ids, func(id ID, f *index.File) error {
		rw.add(id, f, drop)
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	written, err := r.saveIndexFiles(ctx, rw.packs())
	if err != nil {
		return written, 0, fmt.Errorf("rewriting the index of %s: %w", r.be.Location(), err)
	}
	if err := r.removeFiles(ctx, backend.IndexFile, rw.obsolete); err != nil {
		return written, 0, fmt.Errorf("removing the old index files of %s: %w", r.be.Location(), err)
	}
	return written, len(rw.obsolete), nil
}

// add sorts one index file's packs.
func (rw *indexRewrite) add(id ID, f *index.File, drop map[ID]struct{}) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	lists := func(p index.Pack) bool { _, ok := drop[p.ID]; return ok }
	if !slices.ContainsFunc(f.Packs, lists) {
		for _, p := range f.Packs {
			rw.kept[p.ID] = struct{}{}
		}
		return
	}
	rw.obsolete = append(rw.obsolete, id)
	for _, p := range f.Packs {
		if !lists(p) {
			rw.carried[p.ID] = p
		}
	}
}

// packs returns the packs the new files must list: those of obsolete files
// that no remaining file lists.
func (rw *indexRewrite) packs() []index.Pack {
	var out []index.Pack
	for id, p := range rw.carried {
		if _, ok := rw.kept[id]; !ok {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b index.Pack) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	return out
}

// saveIndexFiles saves packs in index files of at most indexMaxBlobs blobs
// each and returns how many it wrote.
func (r *Repository) saveIndexFiles(ctx context.Context, packs []index.Pack) (int, error) {
	n := 0
	for len(packs) > 0 {
		i, blobs := 0, 0
		for ; i < len(packs) && (i == 0 || blobs+len(packs[i].Blobs) <= indexMaxBlobs); i++ {
			blobs += len(packs[i].Blobs)
		}
		if _, err := r.saveIndexFile(ctx, &index.File{Packs: packs[:i]}); err != nil {
			return n, err
		}
		n++
		packs = packs[i:]
	}
	return n, nil
}

// removeFiles removes files of type t with Connections workers; a file
// already gone is no error.
func (r *Repository) removeFiles(ctx context.Context, t backend.FileType, ids []ID) error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
		work = make(chan ID)
	)
	for range min(r.opts.Connections, max(len(ids), 1)) {
		wg.Go(func() {
			for id := range work {
				err := r.be.Remove(ctx, backend.Handle{Type: t, Name: id.String()})
				if err != nil && !backend.IsNotExist(err) {
					mu.Lock()
					errs = append(errs, fmt.Errorf("removing %s/%s: %w", t, id, err))
					mu.Unlock()
				}
			}
		})
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		work <- id
	}
	close(work)
	wg.Wait()
	return firstError(ctx, errs)
}
