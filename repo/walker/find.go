package walker

import (
	"context"
	"fmt"
	"strings"

	"github.com/cairn-backup/cairn/repo"
)

// Find returns the node at path p below the tree root; "/" gives a
// directory node (named "/") whose Subtree is root. A missing path is an
// error wrapping repo.ErrNotFound that names it.
func Find(ctx context.Context, r TreeLoader, root repo.ID, p string) (*repo.Node, error) {
	p = Clean(p)
	node := &repo.Node{Name: "/", Type: repo.NodeTypeDir, Subtree: &root}
	if p == "/" {
		return node, nil
	}
	done := ""
	for elem := range strings.SplitSeq(p[1:], "/") {
		if node.Type != repo.NodeTypeDir || node.Subtree == nil {
			return nil, fmt.Errorf("%s: %w: %s is not a directory", p, repo.ErrNotFound, Clean(done))
		}
		t, err := r.LoadTree(ctx, *node.Subtree)
		if err != nil {
			return nil, fmt.Errorf("loading tree of %s: %w", Clean(done), err)
		}
		done += "/" + elem
		node = nil
		for i := range t.Nodes {
			if t.Nodes[i].Name == elem {
				node = &t.Nodes[i]
				break
			}
		}
		if node == nil {
			return nil, fmt.Errorf("%s: %w in the snapshot", done, repo.ErrNotFound)
		}
	}
	return node, nil
}
