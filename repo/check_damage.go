package repo

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// PackDamage is a damaged or missing pack and the data lost with it.
type PackDamage struct {
	Pack ID
	// Err says what is wrong: the pack's problems, joined.
	Err error
	// Whole is set when the pack's blobs could not be verified one by
	// one: the pack is missing, has the wrong size or could not be read,
	// or (in a check that reads no data) its header is unreadable. All
	// its blobs then count as damaged; otherwise Blobs lists the damaged
	// ones (none if only the pack's hash or header is wrong).
	Whole bool
	Blobs []BlobHandle
	// Snapshots are the snapshots that lose data with this pack, oldest
	// first. A blob with an intact copy in another pack loses nothing.
	Snapshots []DamagedSnapshot
	// Files is the union of the snapshots' Files, sorted.
	Files []string
}

// DamagedSnapshot is a snapshot that uses a damaged pack, with its paths
// that do: files whose content uses a damaged blob, and folders (a path
// ending in "/") whose tree is damaged, so nothing below them can be
// listed.
type DamagedSnapshot struct {
	Snapshot *Snapshot
	Files    []string
}

// packDamage collects what the check found wrong with one pack.
type packDamage struct {
	errs  []error
	whole bool
	bad   map[BlobHandle]struct{}
}

// recordDamage adds a pack's problems to its damage; the caller holds mu
// (or is the only goroutine at work).
func (c *checker) recordDamage(id ID, res packCheck) {
	d := c.damage[id]
	if d == nil {
		d = &packDamage{bad: make(map[BlobHandle]struct{})}
		c.damage[id] = d
	}
	d.errs = append(d.errs, res.errs...)
	d.whole = d.whole || res.whole
	for _, h := range res.bad {
		d.bad[h] = struct{}{}
	}
}

// packDamaged records a problem that damages a pack.
func (c *checker) packDamaged(id ID, res packCheck) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.res.Problems = append(c.res.Problems, res.errs...)
	c.recordDamage(id, res)
}

// damaged reports whether the copy of blob h in pack id is damaged.
func (c *checker) damaged(id ID, h BlobHandle) bool {
	d := c.damage[id]
	if d == nil {
		return false
	}
	_, bad := d.bad[h]
	return d.whole || bad
}

// lostBlobs maps each damaged blob without an intact copy to the damaged
// packs that hold it.
func (c *checker) lostBlobs() map[BlobHandle][]ID {
	lost := make(map[BlobHandle][]ID)
	add := func(id ID, h BlobHandle) {
		for _, loc := range c.idx.LookupAll(pack.BlobType(h.Type), h.ID) {
			if !c.damaged(loc.Pack, h) {
				return // an intact copy
			}
		}
		if !slices.Contains(lost[h], id) {
			lost[h] = append(lost[h], id)
		}
	}
	for id, d := range c.damage {
		if d.whole {
			for _, e := range c.packs[id] {
				add(id, BlobHandle{BlobType(e.Type), e.ID})
			}
		}
		for h := range d.bad {
			add(id, h)
		}
	}
	return lost
}

// findDamage fills the result's Damage: each damaged pack with the
// snapshots and paths that use its lost blobs, found by walking every
// snapshot's trees (only when something is damaged).
func (c *checker) findDamage(ctx context.Context) error {
	if len(c.damage) == 0 {
		return nil
	}
	w := &damageWalk{c: c, lost: c.lostBlobs(), memo: make(map[ID][]damageHit)}
	byPack := make(map[ID][]DamagedSnapshot)
	slices.SortFunc(c.snaps, func(a, b *Snapshot) int { return a.Time.Compare(b.Time) })
	for _, sn := range c.snaps {
		hits, err := w.snapshot(ctx, sn)
		if err != nil {
			return err
		}
		for id, files := range hits {
			byPack[id] = append(byPack[id], DamagedSnapshot{Snapshot: sn, Files: files})
		}
	}
	for _, id := range slices.SortedFunc(maps.Keys(c.damage), func(a, b ID) int { return bytes.Compare(a[:], b[:]) }) {
		c.res.Damage = append(c.res.Damage, c.packDamageReport(id, byPack[id]))
	}
	return nil
}

// packDamageReport assembles the PackDamage of pack id.
func (c *checker) packDamageReport(id ID, snaps []DamagedSnapshot) PackDamage {
	d := c.damage[id]
	pd := PackDamage{Pack: id, Err: errors.Join(d.errs...), Whole: d.whole, Snapshots: snaps}
	pd.Blobs = slices.SortedFunc(maps.Keys(d.bad), func(a, b BlobHandle) int {
		if a.Type != b.Type {
			return int(a.Type) - int(b.Type)
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	for _, s := range snaps {
		pd.Files = append(pd.Files, s.Files...)
	}
	slices.Sort(pd.Files)
	pd.Files = slices.Compact(pd.Files)
	return pd
}

// damageHit is a path (relative to a tree) that uses a lost blob of pack.
type damageHit struct {
	pack ID
	path string
}

// damageWalk finds the paths that use lost blobs, remembering each
// tree's hits, as snapshots share most of their trees.
type damageWalk struct {
	c    *checker
	lost map[BlobHandle][]ID
	memo map[ID][]damageHit
	buf  []byte
}

// snapshot returns the paths of sn that use lost blobs, by pack.
func (w *damageWalk) snapshot(ctx context.Context, sn *Snapshot) (map[ID][]string, error) {
	var hits []damageHit
	if packs := w.lost[BlobHandle{TreeBlob, *sn.Tree}]; len(packs) > 0 {
		for _, p := range packs {
			hits = append(hits, damageHit{p, ""})
		}
	} else {
		var err error
		if hits, err = w.tree(ctx, *sn.Tree); err != nil {
			return nil, err
		}
	}
	out := make(map[ID][]string)
	for _, h := range hits {
		out[h.pack] = append(out[h.pack], "/"+h.path)
	}
	for _, files := range out {
		slices.Sort(files)
	}
	return out, nil
}

// tree returns the hits below tree id. A tree that does not load (which
// the walk before reported) adds none.
func (w *damageWalk) tree(ctx context.Context, id ID) ([]damageHit, error) {
	if hits, ok := w.memo[id]; ok {
		return hits, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.memo[id] = nil // a cycle adds nothing
	buf := &w.buf
	t, _, err := w.c.loadTree(ctx, id, buf)
	if err != nil {
		return nil, nil
	}
	var hits []damageHit
	for _, n := range t.Nodes {
		switch {
		case n.Type == NodeTypeFile:
			for _, p := range w.filePacks(n.Content) {
				hits = append(hits, damageHit{p, n.Name})
			}
		case n.Type == NodeTypeDir && n.Subtree != nil:
			sub, err := w.dir(ctx, *n.Subtree)
			if err != nil {
				return nil, err
			}
			for _, h := range sub {
				hits = append(hits, damageHit{h.pack, n.Name + "/" + h.path})
			}
		}
	}
	w.memo[id] = hits
	return hits, nil
}

// dir returns the hits of a folder's tree: the folder itself (path "")
// if its tree is lost, else what lies below.
func (w *damageWalk) dir(ctx context.Context, id ID) ([]damageHit, error) {
	packs := w.lost[BlobHandle{TreeBlob, id}]
	if len(packs) == 0 {
		return w.tree(ctx, id)
	}
	hits := make([]damageHit, len(packs))
	for i, p := range packs {
		hits[i] = damageHit{p, ""}
	}
	return hits, nil
}

// filePacks returns the damaged packs holding lost blobs of a file's
// content, each once.
func (w *damageWalk) filePacks(content []ID) []ID {
	var packs []ID
	for _, b := range content {
		for _, p := range w.lost[BlobHandle{DataBlob, b}] {
			if !slices.Contains(packs, p) {
				packs = append(packs, p)
			}
		}
	}
	return packs
}
