package archiver

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync/atomic"

	"github.com/cairn-backup/cairn/repo"
)

// entry is a directory entry to back up.
type entry struct {
	name, path string
	fi         fs.FileInfo
	trie       *trieNode // set for the targets and the directories above them
}

// dirState is a directory whose tree is being built. Each child node
// completes once (files when saved, directories when their tree is saved,
// others at once); the last completion saves the tree and completes the
// directory's node in its parent.
type dirState struct {
	path    string
	nodes   []repo.Node
	skip    []bool // nodes left out after a warning
	pending atomic.Int64
	parent  *dirState // nil for the root tree
	idx     int       // node index in parent
	prev    *repo.Node
}

// walkDir fills ds from entries and starts saving its children; prev is
// the parent snapshot's tree for this directory (may be nil).
func (a *archiver) walkDir(ds *dirState, entries []entry, prev *repo.Tree) {
	ds.nodes = make([]repo.Node, 0, len(entries))
	kept := entries[:0]
	for _, e := range entries {
		n, err := a.newNode(e.name, e.path, e.fi)
		if err != nil {
			a.warn(e.path, err)
			continue
		}
		ds.nodes = append(ds.nodes, n)
		kept = append(kept, e)
	}
	ds.skip = make([]bool, len(ds.nodes))
	ds.pending.Store(int64(len(ds.nodes)) + 1)
	for i, e := range kept {
		if a.ctx.Err() != nil {
			ds.skip[i] = true
			a.dirDone(ds)
			continue
		}
		pn := findNode(prev, e.name)
		if a.moved && e.trie != nil && e.trie.target {
			pn = a.movedFrom
		}
		switch ds.nodes[i].Type {
		case repo.NodeTypeFile:
			a.file(ds, i, e.path, pn)
		case repo.NodeTypeDir:
			a.subdir(ds, i, e, pn)
		default:
			a.dirDone(ds)
		}
	}
	a.dirDone(ds)
}

// subdir walks the directory at node i of ds.
func (a *archiver) subdir(ds *dirState, i int, e entry, pn *repo.Node) {
	child := &dirState{path: e.path, parent: ds, idx: i, prev: pn}
	var prev *repo.Tree
	if pn != nil && pn.Type == repo.NodeTypeDir && pn.Subtree != nil {
		t, err := a.repo.LoadTree(a.ctx, *pn.Subtree)
		if err != nil {
			a.warn(e.path, err) // back it up without a parent
		}
		prev = t
	}
	if e.trie != nil && !e.trie.target {
		a.walkDir(child, e.trie.entries(), prev)
		return
	}
	a.walkDir(child, a.readDir(e.path), prev)
}

// readDir lists a directory's entries, sorted by name, without the
// excluded ones. Errors are warnings: what could be read is backed up.
func (a *archiver) readDir(dir string) []entry {
	f, err := os.Open(dir)
	if err != nil {
		a.warn(dir, err)
		return nil
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		a.warn(dir, err)
	}
	slices.Sort(names)
	es := make([]entry, 0, len(names))
	for _, name := range names {
		p := filepath.Join(dir, name)
		if a.excludes.Match(p) {
			continue
		}
		fi, err := os.Lstat(p)
		if err != nil {
			a.warn(p, err)
			continue
		}
		es = append(es, entry{name: name, path: p, fi: fi})
	}
	return es
}

// findNode returns the node named name in the sorted tree t, or nil.
func findNode(t *repo.Tree, name string) *repo.Node {
	if t == nil {
		return nil
	}
	i := sort.Search(len(t.Nodes), func(i int) bool { return t.Nodes[i].Name >= name })
	if i < len(t.Nodes) && t.Nodes[i].Name == name {
		return &t.Nodes[i]
	}
	return nil
}

// dirDone completes one child of ds; the last one saves its tree.
func (a *archiver) dirDone(ds *dirState) {
	if ds.pending.Add(-1) != 0 {
		return
	}
	t := &repo.Tree{Nodes: ds.nodes[:0:0]}
	for i := range ds.nodes {
		if !ds.skip[i] {
			t.Nodes = append(t.Nodes, ds.nodes[i])
		}
	}
	var id repo.ID
	var err error
	if a.ctx.Err() == nil {
		id, err = a.repo.SaveTree(a.ctx, t)
		if err != nil {
			a.fail(err)
		}
	}
	ds.nodes = nil
	if ds.parent == nil {
		a.rootID = id
		close(a.rootDone)
		return
	}
	if a.ctx.Err() == nil {
		a.countDir(ds, id)
		ds.parent.nodes[ds.idx].Subtree = &id
	} else {
		ds.parent.skip[ds.idx] = true
	}
	a.dirDone(ds.parent)
}

func (a *archiver) countDir(ds *dirState, id repo.ID) {
	a.st.dirsDone.Add(1)
	switch {
	case ds.prev == nil || ds.prev.Type != repo.NodeTypeDir:
		a.st.dirsNew.Add(1)
	case ds.prev.Subtree != nil && *ds.prev.Subtree == id:
		a.st.dirsUnmodified.Add(1)
	default:
		a.st.dirsChanged.Add(1)
	}
}
