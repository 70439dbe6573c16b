package repo

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// checkSnapshots loads every snapshot and walks the trees they reach.
func (c *checker) checkSnapshots(ctx context.Context) error {
	start := len(c.res.Problems)
	ids, err := listNames(ctx, c.r.be, backend.SnapshotFile)
	if err != nil {
		return err
	}
	c.report(CheckSnapshots, 0, len(ids))
	done := 0
	forEach(ctx, c.workers, ids, func(id ID) {
		sn, err := c.r.LoadSnapshot(ctx, id)
		c.mu.Lock()
		defer c.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		done++
		c.report(CheckSnapshots, done, len(ids))
		if err != nil {
			c.res.Problems = append(c.res.Problems, err)
			return
		}
		c.res.Snapshots++
		c.snaps = append(c.snaps, sn)
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	roots := make([]ID, len(c.snaps))
	for i, sn := range c.snaps {
		roots[i] = *sn.Tree
	}
	err = c.walkTrees(ctx, roots)
	sortProblems(c.res.Problems[start:])
	return err
}

// walkTrees checks each tree reachable from roots once, with c.workers
// workers (decoding trees is CPU-bound; tree packs are cached).
func (c *checker) walkTrees(ctx context.Context, roots []ID) error {
	w := newTreeWalk(roots)
	for range c.workers {
		w.wg.Go(func() {
			buf := getBuf(0)
			defer putBuf(buf)
			for {
				id, ok := w.next(ctx)
				if !ok {
					return
				}
				w.done(c.visitTree(ctx, id, buf))
			}
		})
	}
	w.wg.Wait()
	return ctx.Err()
}

// visitTree loads and checks one tree and returns its subtrees.
func (c *checker) visitTree(ctx context.Context, id ID, buf *[]byte) []ID {
	t, failed, err := c.loadTree(ctx, id, buf)
	for _, f := range failed {
		c.treeCopyFailed(f)
	}
	var subtrees []ID
	if err != nil {
		c.problem(err)
	} else {
		subtrees = c.checkTree(id, t)
	}
	c.mu.Lock()
	c.res.Trees++
	c.report(CheckTrees, c.res.Trees, 0)
	c.mu.Unlock()
	return subtrees
}

// copyFailure is a stored copy of a blob that failed to load.
type copyFailure struct {
	loc index.Location
	err error
}

// treeCopyFailed reports a stored copy of a tree that failed to load; one
// whose data is bad damages its pack.
func (c *checker) treeCopyFailed(f copyFailure) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.res.Problems = append(c.res.Problems, f.err)
	if errors.Is(f.err, ErrInvalidData) { // not a missing pack, reported as such
		var res packCheck
		res.badBlob(f.loc.Entry, f.err)
		c.recordDamage(f.loc.Pack, res)
	}
}

// loadTree loads a tree through the index built by Check, trying each
// stored copy until one loads; it returns the copies that failed too.
func (c *checker) loadTree(ctx context.Context, id ID, buf *[]byte) (*Tree, []copyFailure, error) {
	locs := c.idx.LookupAll(pack.TreeBlob, id)
	if len(locs) == 0 {
		return nil, nil, fmt.Errorf("tree %v: %w in the index", id.Str(), ErrNotFound)
	}
	var failed []copyFailure
	for _, loc := range locs {
		data, err := c.r.loadBlobAt(ctx, loc, (*buf)[:0])
		if err != nil {
			failed = append(failed, copyFailure{loc, err})
			continue
		}
		*buf = data
		t, err := DecodeTree(data)
		if err != nil {
			return nil, failed, fmt.Errorf("tree %v in %v: %w", id.Str(), packHandle(loc.Pack), err)
		}
		return t, failed, nil
	}
	return nil, failed, fmt.Errorf("tree %v: none of its %d stored copies loads", id.Str(), len(locs))
}

// checkTree validates a tree's nodes as restic's checker does and returns
// its subtrees.
func (c *checker) checkTree(id ID, t *Tree) []ID {
	bad := func(format string, args ...any) {
		c.problem(fmt.Errorf("tree %v: "+format, append([]any{id.Str()}, args...)...))
	}
	if err := t.checkOrder(); err != nil {
		bad("%v", err)
	}
	var subtrees []ID
	for _, n := range t.Nodes {
		if n.Name == "" {
			bad("node with an empty name")
		}
		switch n.Type {
		case NodeTypeFile:
			if n.Content == nil {
				bad("file %q has no content list", n.Name)
			}
			for i, b := range n.Content {
				if b.IsNull() {
					bad("file %q blob %d has a null id", n.Name, i)
				} else if !c.idx.Has(pack.DataBlob, b) {
					bad("file %q data blob %v is not in the index", n.Name, b.Str())
				}
			}
		case NodeTypeDir:
			if n.Subtree == nil || n.Subtree.IsNull() {
				bad("directory %q has no subtree", n.Name)
				continue
			}
			subtrees = append(subtrees, *n.Subtree)
		case NodeTypeSymlink, NodeTypeSocket, NodeTypeCharDev, NodeTypeDev, NodeTypeFifo:
		case NodeTypeIrregular:
			if n.Error == "" {
				bad("irregular node %q has no error message", n.Name)
			}
		default:
			bad("node %q has invalid type %q", n.Name, n.Type)
		}
	}
	return subtrees
}
