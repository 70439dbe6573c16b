package repo

import (
	"context"
	"fmt"
	"sync"
)

// usedBlobs maps every blob the snapshots reach to a count that planning
// uses for its copies (see countCopies). Trees and their data blobs are
// found by walking every snapshot's tree.
type usedBlobs map[BlobHandle]uint8

// pruneTreeWorkers is how many trees are loaded at once while finding the
// used blobs; loading is mostly decryption and JSON decoding (and waiting
// for the storage on S3).
const pruneTreeWorkers = 8

// findUsedBlobs walks the trees of every snapshot, level by level, loading
// each level's trees in parallel. A tree that cannot be loaded stops the
// prune: nothing may be removed while it is unknown what that tree needs.
func (r *Repository) findUsedBlobs(ctx context.Context, progress func(PruneProgress)) (usedBlobs, int, error) {
	sns, err := r.ListSnapshots(ctx)
	if err != nil {
		return nil, 0, err
	}
	used := usedBlobs{}
	var level []ID
	for _, sn := range sns {
		level = append(level, *sn.Tree)
	}
	trees := 0
	for len(level) > 0 {
		level = used.addTrees(level)
		trees += len(level)
		next, err := r.loadTreeLevel(ctx, level, used)
		if err != nil {
			return nil, 0, err
		}
		report(progress, PruneUsedBlobs, trees, 0)
		level = next
	}
	return used, len(sns), nil
}

// addTrees marks the trees used and returns those not seen before.
func (u usedBlobs) addTrees(ids []ID) []ID {
	var fresh []ID
	for _, id := range ids {
		h := BlobHandle{Type: TreeBlob, ID: id}
		if _, ok := u[h]; !ok {
			u[h] = 0
			fresh = append(fresh, id)
		}
	}
	return fresh
}

// loadTreeLevel loads the trees ids, marks the data blobs of their files
// used and returns their subtrees.
func (r *Repository) loadTreeLevel(ctx context.Context, ids []ID, used usedBlobs) ([]ID, error) {
	var (
		mu   sync.Mutex
		next []ID
		errs []error
		wg   sync.WaitGroup
		work = make(chan ID)
	)
	for range min(pruneTreeWorkers, len(ids)) {
		wg.Go(func() {
			for id := range work {
				t, err := r.LoadTree(ctx, id)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					next = append(next, used.addNodes(t)...)
				}
				mu.Unlock()
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	if len(errs) > 0 {
		return nil, fmt.Errorf("finding the blobs the snapshots use in %s: %w (nothing was removed)", r.be.Location(), errs[0])
	}
	return next, ctx.Err()
}

// addNodes marks the data blobs of t's files used and returns its subtrees.
func (u usedBlobs) addNodes(t *Tree) []ID {
	var subtrees []ID
	for _, n := range t.Nodes {
		if n.Type == NodeTypeDir && n.Subtree != nil {
			subtrees = append(subtrees, *n.Subtree)
		}
		for _, id := range n.Content {
			u[BlobHandle{Type: DataBlob, ID: id}] = 0
		}
	}
	return subtrees
}

func report(progress func(PruneProgress), p PrunePhase, done, total int) {
	if progress != nil {
		progress(PruneProgress{Phase: p, Done: done, Total: total})
	}
}
