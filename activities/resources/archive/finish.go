package archive

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/repo"
)

// Meta describes the snapshot Finish writes.
type Meta struct {
	Time     time.Time
	Hostname string
	Tags     []string
	// Paths default to "/resources".
	Paths  []string
	Parent *repo.ID
}

// Result is what Finish stored.
type Result struct {
	SnapshotID repo.ID
	TreeID     repo.ID
	Items      int    // objects added with AddItem
	Files      int    // files in the tree (each object counts twice)
	Bytes      uint64 // total size of the objects' JSON
}

// nodeTime is the time of every node, so that trees only change when their
// content does.
var nodeTime = time.Unix(0, 0).UTC()

type dir struct {
	files map[string]file
	dirs  map[string]*dir
}

func newDir() *dir { return &dir{files: map[string]file{}, dirs: map[string]*dir{}} }

// Finish writes the metadata/version file and the trees, flushes the
// repository and saves the snapshot.
func (w *Writer) Finish(ctx context.Context, meta Meta) (Result, error) {
	if err := w.AddFile(ctx, VersionFile, []byte(FormatVersion+"\n")); err != nil {
		return Result{}, err
	}
	w.mu.Lock()
	root := newDir()
	for p, f := range w.files {
		d := root
		parts := strings.Split(p, "/")
		for _, el := range parts[:len(parts)-1] {
			sub, ok := d.dirs[el]
			if !ok {
				sub = newDir()
				d.dirs[el] = sub
			}
			d = sub
		}
		d.files[parts[len(parts)-1]] = f
	}
	res := Result{Items: w.items, Files: len(w.files), Bytes: w.bytes}
	w.mu.Unlock()

	treeID, err := w.saveDir(ctx, root, "/")
	if err != nil {
		return Result{}, err
	}
	if err := w.repo.Flush(ctx); err != nil {
		return Result{}, fmt.Errorf("flushing the repository: %w", err)
	}
	paths := meta.Paths
	if len(paths) == 0 {
		paths = []string{"/resources"}
	}
	sn := &repo.Snapshot{
		Time: meta.Time, Tree: &treeID, Paths: paths, Hostname: meta.Hostname,
		Tags: meta.Tags, Parent: meta.Parent, ProgramVersion: "cairn",
	}
	id, err := w.repo.SaveSnapshot(ctx, sn)
	if err != nil {
		return Result{}, fmt.Errorf("saving the snapshot: %w", err)
	}
	res.SnapshotID, res.TreeID = id, treeID
	return res, nil
}

// saveDir saves d's subtrees and then d's tree, and returns its ID.
func (w *Writer) saveDir(ctx context.Context, d *dir, p string) (repo.ID, error) {
	t := &repo.Tree{Nodes: make([]repo.Node, 0, len(d.files)+len(d.dirs))}
	for name, sub := range d.dirs {
		id, err := w.saveDir(ctx, sub, p+name+"/")
		if err != nil {
			return repo.ID{}, err
		}
		t.Nodes = append(t.Nodes, repo.Node{
			Name: name, Type: repo.NodeTypeDir, Mode: fs.ModeDir | 0o755,
			ModTime: nodeTime, AccessTime: nodeTime, ChangeTime: nodeTime, Subtree: &id,
		})
	}
	for name, f := range d.files {
		t.Nodes = append(t.Nodes, repo.Node{
			Name: name, Type: repo.NodeTypeFile, Mode: 0o644, Size: f.size, Links: 1,
			ModTime: nodeTime, AccessTime: nodeTime, ChangeTime: nodeTime, Content: f.content,
		})
	}
	slices.SortFunc(t.Nodes, func(a, b repo.Node) int { return strings.Compare(a.Name, b.Name) })
	id, err := w.repo.SaveTree(ctx, t)
	if err != nil {
		return repo.ID{}, fmt.Errorf("saving the tree of %s: %w", p, err)
	}
	return id, nil
}
