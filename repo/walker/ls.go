package walker

import (
	"context"
	"io/fs"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// Entry is one line of a listing.
type Entry struct {
	Path    string // absolute inside the snapshot
	Type    repo.NodeType
	Mode    fs.FileMode
	Size    uint64
	ModTime time.Time
	// LinkTarget is a symlink's target.
	LinkTarget string
}

func entry(p string, n *repo.Node) Entry {
	return Entry{Path: p, Type: n.Type, Mode: n.Mode, Size: n.Size, ModTime: n.ModTime, LinkTarget: n.LinkTarget}
}

// Ls lists the snapshot's node at dir (the snapshot root for "/" or "",
// which is not listed itself) and the nodes below it: all of them when
// recursive, else only a directory's direct children, in tree order.
func Ls(ctx context.Context, r TreeLoader, sn *repo.Snapshot, dir string, recursive bool) ([]Entry, error) {
	dir = Clean(dir)
	n, err := Find(ctx, r, *sn.Tree, dir)
	if err != nil {
		return nil, err
	}
	var out []Entry
	if dir != "/" {
		out = append(out, entry(dir, n))
	}
	if n.Type != repo.NodeTypeDir {
		return out, nil
	}
	err = Walk(ctx, r, *n.Subtree, dir, func(p string, n *repo.Node) error {
		out = append(out, entry(p, n))
		if !recursive && n.Type == repo.NodeTypeDir {
			return SkipDir
		}
		return nil
	})
	return out, err
}
