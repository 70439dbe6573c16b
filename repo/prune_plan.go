package repo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/crypto"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// Errors that stop a prune before it changes anything.
var (
	// ErrIndexIncomplete: a blob a snapshot needs is in no index.
	ErrIndexIncomplete = errors.New("the index is incomplete")
	// ErrPacksMissing: a pack holding needed blobs is not in data/.
	ErrPacksMissing = errors.New("packs the index lists are missing")
	// ErrPackSize: a needed pack's size differs from what the index implies.
	ErrPackSize = errors.New("a pack's size does not match the index")
)

// packKind is the kind of blobs a pack holds.
type packKind int8

const (
	kindUnset packKind = iota
	kindData
	kindTree
	kindMixed
)

// packInfo sums up a pack's blobs for planning. The header counts as used.
type packInfo struct {
	id                                     ID
	usedBlobs, unusedBlobs, duplicateBlobs int
	usedSize, unusedSize                   uint64
	kind                                   packKind
	uncompressed                           bool
	mustCompress                           bool
}

func (p *packInfo) size() uint64 { return p.usedSize + p.unusedSize }

// prunePlan is what a prune removes and repacks.
type prunePlan struct {
	unreferenced []ID               // packs in no index: removed first
	repack       map[ID]*packInfo   // packs whose used blobs are copied out
	remove       map[ID]struct{}    // packs removed after the index rewrite
	ignore       map[ID]struct{}    // missing packs nobody needs: dropped from the index
	keep         map[BlobHandle]int // used blobs only repacked packs hold (value unused)
	stats        PruneStats
}

// planPrune decides, as restic 0.18 does, which packs to remove and which
// to repack so that every used blob stays and the unused space left is at
// most opts.MaxUnused.
func (r *Repository) planPrune(ctx context.Context, opts PruneOptions, used usedBlobs) (*prunePlan, error) {
	if err := opts.validate(r); err != nil {
		return nil, err
	}
	idx := r.index()
	if err := countCopies(idx, used); err != nil {
		return nil, fmt.Errorf("%w: %v in %s; prune will not start, to keep from losing data (run restic repair index)",
			ErrIndexIncomplete, err, r.be.Location())
	}
	plan := &prunePlan{repack: map[ID]*packInfo{}, remove: map[ID]struct{}{}, ignore: map[ID]struct{}{}}
	infos := packInfos(idx, used, &plan.stats)
	if err := r.decidePacks(ctx, opts, infos, plan); err != nil {
		return nil, err
	}
	if len(plan.repack) > 0 {
		plan.keep = keepBlobs(idx, used, plan)
	}
	st := &plan.stats
	st.Packs.Unreferenced, st.Packs.Repack, st.Packs.Remove = len(plan.unreferenced), len(plan.repack), len(plan.remove)
	if r.cfg.Version < 2 {
		st.Size.Uncompressed = 0
	}
	return plan, nil
}

// validate checks the options against the repository.
func (o PruneOptions) validate(r *Repository) error {
	if o.RepackUncompressed && r.cfg.Version < 2 {
		return fmt.Errorf("--repack-uncompressed needs repository format version 2; %s is version %d", r.be.Location(), r.cfg.Version)
	}
	if o.RepackSmallerThan > uint64(r.opts.PackSize) {
		return fmt.Errorf("--repack-smaller-than %d exceeds the pack size %d", o.RepackSmallerThan, r.opts.PackSize)
	}
	return nil
}

// countCopies sets each used blob's count to its number of copies in the
// index (at most 255) and fails if a used blob has none.
func countCopies(idx *index.Master, used usedBlobs) error {
	idx.Each(func(l index.Location) bool {
		h := BlobHandle{Type: BlobType(l.Type), ID: l.ID}
		if n, ok := used[h]; ok && n < math.MaxUint8 {
			used[h] = n + 1
		}
		return true
	})
	var missing []string
	for h, n := range used {
		if n == 0 {
			missing = append(missing, h.String())
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("%d blobs are in no index file, the first %s", len(missing), missing[0])
	}
	return nil
}

// packInfos sums up every indexed pack. A blob with several copies is first
// counted unused everywhere; then one copy is chosen as restic does: one in
// a pack that has other used blobs or holds only duplicates (what an
// interrupted prune wrote), else the last copy. Afterwards every used
// blob's count is 1.
func packInfos(idx *index.Master, used usedBlobs, st *PruneStats) map[ID]*packInfo {
	infos := map[ID]*packInfo{}
	dups := false
	idx.Each(func(l index.Location) bool {
		p := infos[l.Pack]
		if p == nil {
			p = &packInfo{id: l.Pack, usedSize: crypto.Extension + 4}
			infos[l.Pack] = p
		}
		p.addEntry(l.Entry, used[BlobHandle{Type: BlobType(l.Type), ID: l.ID}], st)
		dups = dups || used[BlobHandle{Type: BlobType(l.Type), ID: l.ID}] >= 2
		return true
	})
	if dups {
		chooseCopies(idx, used, infos, st)
	}
	return infos
}

// addEntry counts one blob of the pack; copies is the blob's count in used
// (0: unused).
func (p *packInfo) addEntry(e pack.Entry, copies uint8, st *PruneStats) {
	k := kindData
	if e.Type == pack.TreeBlob {
		k = kindTree
	}
	if p.kind == kindUnset {
		p.kind = k
	} else if p.kind != k {
		p.kind = kindMixed
	}
	p.usedSize += uint64(pack.HeaderSize([]pack.Entry{e}))
	size := uint64(e.Length)
	switch {
	case copies >= 2:
		p.unusedSize += size
		p.unusedBlobs++
		p.duplicateBlobs++
		st.Size.Duplicate += size
		st.Blobs.Duplicate++
	case copies == 1:
		p.usedSize += size
		p.usedBlobs++
		st.Size.Used += size
		st.Blobs.Used++
	default:
		p.unusedSize += size
		p.unusedBlobs++
		st.Size.Unused += size
		st.Blobs.Unused++
	}
	p.uncompressed = p.uncompressed || !e.Compressed()
}

// chooseCopies turns one copy of each duplicated used blob into a used one.
// A count of 0 marks a blob whose last remaining copy must be chosen.
func chooseCopies(idx *index.Master, used usedBlobs, infos map[ID]*packInfo, st *PruneStats) {
	idx.Each(func(l index.Location) bool {
		h := BlobHandle{Type: BlobType(l.Type), ID: l.ID}
		n, ok := used[h]
		if !ok || n == 1 {
			return true
		}
		p := infos[l.Pack]
		if p.usedBlobs > 0 || p.duplicateBlobs == p.unusedBlobs || n == 0 {
			size := uint64(l.Length)
			p.usedSize += size
			p.usedBlobs++
			p.unusedSize -= size
			p.unusedBlobs--
			st.Size.Used += size
			st.Blobs.Used++
			st.Size.Duplicate -= size
			st.Blobs.Duplicate--
			used[h] = 1
			return true
		}
		if n--; n == 1 {
			n = 0
		}
		used[h] = n
		return true
	})
}

// smallPackLimit is the size under which a fully used pack is a candidate
// for repacking: 4% of the pack size by default, 80% with RepackSmall.
func (o PruneOptions) smallPackLimit(packSize int) uint64 {
	switch {
	case o.RepackSmallerThan > 0:
		return o.RepackSmallerThan
	case o.RepackSmall:
		return uint64(packSize) / 5 * 4
	}
	return uint64(packSize) / 25
}

// decidePacks compares the index with the packs in data/ and fills the
// plan's sets.
func (r *Repository) decidePacks(ctx context.Context, opts PruneOptions, infos map[ID]*packInfo, plan *prunePlan) error {
	limit := opts.smallPackLimit(r.opts.PackSize)
	var candidates, small []*packInfo
	st := &plan.stats
	err := r.be.List(ctx, backend.PackFile, func(fi backend.FileInfo) error {
		id, err := ParseID(fi.Name)
		if err != nil {
			return nil
		}
		st.SizeBefore += uint64(fi.Size)
		p, ok := infos[id]
		if !ok {
			plan.unreferenced = append(plan.unreferenced, id)
			st.Size.Unreferenced += uint64(fi.Size)
			st.RemovedBytes += uint64(fi.Size)
			return nil
		}
		delete(infos, id)
		if p.size() != uint64(fi.Size) && p.usedBlobs > 0 {
			return fmt.Errorf("%w: %v is %d bytes, the index implies %d; run restic repair index",
				ErrPackSize, packHandle(id), fi.Size, p.size())
		}
		st.countPack(p)
		p.mustCompress = r.cfg.Version >= 2 && p.uncompressed && (p.kind == kindTree || opts.RepackUncompressed)
		switch {
		case p.usedBlobs == 0:
			plan.remove[id] = struct{}{}
			st.Blobs.Remove += p.unusedBlobs
			st.Size.Remove += p.unusedSize
			st.RemovedBytes += uint64(fi.Size)
		case opts.RepackCacheableOnly && p.kind == kindData:
			st.keep(p)
		case p.unusedBlobs == 0 && p.kind != kindMixed && !p.mustCompress:
			if uint64(fi.Size) >= limit {
				st.keep(p)
			} else {
				small = append(small, p)
			}
		default:
			candidates = append(candidates, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("planning the prune of %s: %w", r.be.Location(), err)
	}
	if err := plan.missingPacks(infos); err != nil {
		return err
	}
	if len(small) < 10 {
		for _, p := range small { // too few to be worth it, and a lone small pack would be repacked forever
			st.keep(p)
		}
	} else {
		candidates = append(candidates, small...)
	}
	plan.chooseRepacks(opts, candidates, limit)
	return nil
}

// missingPacks handles the indexed packs data/ does not have: unneeded
// ones are dropped from the index, needed ones stop the prune.
func (plan *prunePlan) missingPacks(missing map[ID]*packInfo) error {
	var needed []string
	for id, p := range missing {
		if p.usedBlobs == 0 {
			plan.ignore[id] = struct{}{}
			plan.stats.Blobs.Remove += p.unusedBlobs
			plan.stats.Size.Remove += p.unusedSize
			continue
		}
		needed = append(needed, id.Str())
	}
	if len(needed) > 0 {
		slices.Sort(needed)
		return fmt.Errorf("%w: %d packs holding needed blobs, %v; prune will not start (run restic repair index, then restic check)",
			ErrPacksMissing, len(needed), needed)
	}
	return nil
}

// chooseRepacks repacks candidates, tree packs, small packs and the ones
// with the most unused space first, until the unused space left is within
// the limit or MaxRepackBytes would be passed.
func (plan *prunePlan) chooseRepacks(opts PruneOptions, candidates []*packInfo, limit uint64) {
	slices.SortStableFunc(candidates, func(a, b *packInfo) int { return compareRepack(a, b, limit) })
	st := &plan.stats
	maxAfter := opts.MaxUnused.Bytes(st.Size.Used)
	maxRepack := opts.MaxRepackBytes
	if maxRepack == 0 {
		maxRepack = math.MaxUint64
	}
	for _, p := range candidates {
		left := st.Size.Duplicate + st.Size.Unused - st.Size.Remove - st.Size.RepackRemove
		switch {
		case st.Size.Repack+p.size() >= maxRepack:
			st.keep(p)
		case p.kind != kindData || p.mustCompress:
			plan.addRepack(p)
		case left < maxAfter && p.size() >= limit:
			st.keep(p)
		default:
			plan.addRepack(p)
		}
	}
}

// compareRepack orders repack candidates: packs that are not pure data
// first, then packs under the small-pack limit, then by the share of
// unused space, highest first (ties by id, for a stable plan).
func compareRepack(a, b *packInfo, limit uint64) int {
	aData, bData := a.kind == kindData, b.kind == kindData
	if aData != bData {
		if !aData {
			return -1
		}
		return 1
	}
	aSmall, bSmall := a.size() < limit, b.size() < limit
	if aSmall != bSmall {
		if aSmall {
			return -1
		}
		return 1
	}
	l, r := a.unusedSize*b.usedSize, b.unusedSize*a.usedSize
	switch {
	case l > r:
		return -1
	case l < r:
		return 1
	}
	return bytes.Compare(a.id[:], b.id[:])
}

func (plan *prunePlan) addRepack(p *packInfo) {
	plan.repack[p.id] = p
	st := &plan.stats
	st.Blobs.Repack += p.usedBlobs + p.unusedBlobs
	st.Size.Repack += p.size()
	st.Blobs.RepackRemove += p.unusedBlobs
	st.Size.RepackRemove += p.unusedSize
	st.RepackedBytes += p.size()
	st.RemovedBytes += p.size()
	if p.uncompressed {
		st.Size.Uncompressed -= p.size()
	}
}

// countPack adds a pack to the statistics of used, partly used and unused
// packs.
func (st *PruneStats) countPack(p *packInfo) {
	switch {
	case p.usedBlobs == 0:
		st.Packs.Unused++
	case p.unusedBlobs == 0:
		st.Packs.Used++
	default:
		st.Packs.PartlyUsed++
	}
	if p.uncompressed {
		st.Size.Uncompressed += p.size()
	}
}

func (st *PruneStats) keep(p *packInfo) {
	st.Packs.Keep++
	st.KeptBytes += p.size()
}

// keepBlobs returns the used blobs that only packs being repacked, removed
// or missing hold: the ones the repack must copy.
func keepBlobs(idx *index.Master, used usedBlobs, plan *prunePlan) map[BlobHandle]int {
	keep := make(map[BlobHandle]int, len(used))
	for h := range used {
		keep[h] = 0
	}
	idx.Each(func(l index.Location) bool {
		_, repack := plan.repack[l.Pack]
		_, remove := plan.remove[l.Pack]
		_, missing := plan.ignore[l.Pack]
		if !repack && !remove && !missing {
			delete(keep, BlobHandle{Type: BlobType(l.Type), ID: l.ID})
		}
		return true
	})
	return keep
}
