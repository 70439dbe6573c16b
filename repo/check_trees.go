package repo

import (
	"context"
	"fmt"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// checkSnapshots loads every snapshot and walks the trees they reach.
func (c *checker) checkSnapshots(ctx context.Context) error {
	ids, err := listNames(ctx, c.r.be, backend.SnapshotFile)
	if err != nil {
		return err
	}
	c.report(CheckSnapshots, 0, len(ids))
	var roots []ID
	for i, id := range ids {
		sn, err := c.r.LoadSnapshot(ctx, id)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.report(CheckSnapshots, i+1, len(ids))
		if err != nil {
			c.problem(err)
			continue
		}
		c.res.Snapshots++
		roots = append(roots, *sn.Tree)
	}
	return c.walkTrees(ctx, roots)
}

// walkTrees checks each tree reachable from roots once.
func (c *checker) walkTrees(ctx context.Context, roots []ID) error {
	seen := make(map[ID]struct{})
	queue := roots
	buf := getBuf(0)
	defer putBuf(buf)
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		id := queue[0]
		queue = queue[1:]
		if _, ok := seen[id]; ok {
			continue
		}
		seen[id] = struct{}{}
		c.res.Trees++
		c.report(CheckTrees, c.res.Trees, 0)
		t, err := c.loadTree(ctx, id, buf)
		if err != nil {
			c.problem(err)
			continue
		}
		queue = append(queue, c.checkTree(id, t)...)
	}
	return nil
}

// loadTree loads a tree through the index built by Check.
func (c *checker) loadTree(ctx context.Context, id ID, buf *[]byte) (*Tree, error) {
	locs := c.idx.LookupAll(pack.TreeBlob, id)
	if len(locs) == 0 {
		return nil, fmt.Errorf("tree %v: %w in the index", id.Str(), ErrNotFound)
	}
	var err error
	for _, loc := range locs {
		var data []byte
		if data, err = c.r.loadBlobAt(ctx, loc, (*buf)[:0]); err != nil {
			continue
		}
		*buf = data
		var t *Tree
		if t, err = DecodeTree(data); err != nil {
			return nil, fmt.Errorf("tree %v in %v: %w", id.Str(), packHandle(loc.Pack), err)
		}
		return t, nil
	}
	return nil, err
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
