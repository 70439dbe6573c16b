package walker

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/cairn-backup/cairn/repo"
)

// TreeLoader loads tree blobs; *repo.Repository implements it.
type TreeLoader interface {
	LoadTree(ctx context.Context, id repo.ID) (*repo.Tree, error)
}

// SkipDir, returned by a WalkFunc for a directory, skips its contents.
var SkipDir = errors.New("skip this directory")

// WalkFunc is called for each node with its absolute path inside the
// snapshot. The node (and its tree) must not be modified.
type WalkFunc func(p string, n *repo.Node) error

// Walk calls fn for every node below the tree root, depth-first in tree
// (name) order: a directory before its contents. dir is the path the root
// tree has inside the snapshot ("/" for a snapshot's tree). An error from
// fn other than SkipDir stops the walk and is returned.
func Walk(ctx context.Context, r TreeLoader, root repo.ID, dir string, fn WalkFunc) error {
	err := walk(ctx, r, root, Clean(dir), fn)
	if errors.Is(err, SkipDir) {
		return nil
	}
	return err
}

func walk(ctx context.Context, r TreeLoader, id repo.ID, dir string, fn WalkFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t, err := r.LoadTree(ctx, id)
	if err != nil {
		return fmt.Errorf("loading tree of %s: %w", dir, err)
	}
	for i := range t.Nodes {
		n := &t.Nodes[i]
		if err := CheckName(n.Name); err != nil {
			return fmt.Errorf("tree of %s: %w", dir, err)
		}
		p := path.Join(dir, n.Name)
		err := fn(p, n)
		if errors.Is(err, SkipDir) {
			continue
		} else if err != nil {
			return err
		}
		if n.Type == repo.NodeTypeDir {
			if n.Subtree == nil {
				return fmt.Errorf("directory %s has no subtree: %w", p, repo.ErrInvalidData)
			}
			if err := walk(ctx, r, *n.Subtree, p, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckName rejects node names that are not a single path element.
func CheckName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsRune(name, '/') {
		return fmt.Errorf("%w: invalid node name %q", repo.ErrInvalidData, name)
	}
	return nil
}

// Clean returns p as a clean absolute slash path.
func Clean(p string) string {
	return path.Clean("/" + p)
}
