package repo

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-backup/cairn/repo/backend"
)

// PruneOptions are restic 0.18's prune options.
type PruneOptions struct {
	// MaxUnused is how much unused space may stay after the prune:
	// ParseMaxUnused("5%") (restic's default), "unlimited", or a size.
	MaxUnused MaxUnused
	// MaxRepackBytes bounds the bytes repacked (0: no bound).
	MaxRepackBytes uint64
	// RepackSmall repacks packs under 80% of the target pack size;
	// RepackSmallerThan sets that threshold itself (0: 4% of the target,
	// restic's default).
	RepackSmall       bool
	RepackSmallerThan uint64
	// RepackUncompressed repacks packs holding uncompressed data blobs
	// (version 2). Packs of uncompressed trees are always repacked.
	RepackUncompressed bool
	// RepackCacheableOnly repacks only tree packs.
	RepackCacheableOnly bool
	// DryRun plans and reports without changing anything.
	DryRun bool
	// Progress, if set, is called as the prune goes on.
	Progress func(PruneProgress)
}

// PrunePhase names a step of Prune.
type PrunePhase string

// The phases of Prune, in order.
const (
	PruneUsedBlobs    PrunePhase = "finding used blobs"
	PrunePlanning     PrunePhase = "planning"
	PruneUnreferenced PrunePhase = "removing unreferenced packs"
	PruneRepacking    PrunePhase = "repacking"
	PruneIndex        PrunePhase = "rewriting the index"
	PruneRemoving     PrunePhase = "removing packs"
)

// PruneProgress reports how far Prune has come in a phase.
type PruneProgress struct {
	Phase       PrunePhase
	Done, Total int
}

// MaxUnused computes the unused bytes tolerated after a prune from the
// bytes in use.
type MaxUnused struct {
	text    string
	percent float64 // < 0 for an absolute size
	bytes   uint64
}

// ParseMaxUnused parses restic's --max-unused: "unlimited", a percentage
// ("5%") of the used size, or a size ("100M", "2G"; K, M, G, T are powers
// of 1024; a plain number is bytes).
func ParseMaxUnused(s string) (MaxUnused, error) {
	t := strings.TrimSpace(s)
	switch {
	case t == "unlimited":
		return MaxUnused{text: t, percent: -1, bytes: ^uint64(0)}, nil
	case strings.HasSuffix(t, "%"):
		p, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
		if err != nil || p < 0 || p >= 100 {
			return MaxUnused{}, fmt.Errorf("invalid --max-unused %q: a percentage must be at least 0%% and under 100%%", s)
		}
		return MaxUnused{text: t, percent: p}, nil
	}
	n, err := ParseSize(t)
	if err != nil {
		return MaxUnused{}, fmt.Errorf("invalid --max-unused %q: use a percentage (5%%), a size (100M) or unlimited", s)
	}
	return MaxUnused{text: t, percent: -1, bytes: n}, nil
}

// DefaultMaxUnused is restic's default, 5%.
func DefaultMaxUnused() MaxUnused { return MaxUnused{text: "5%", percent: 5} }

// Bytes returns the unused bytes tolerated when used bytes are in use.
func (m MaxUnused) Bytes(used uint64) uint64 {
	if m.text == "" {
		m = DefaultMaxUnused()
	}
	if m.percent < 0 {
		return m.bytes
	}
	// unused / (used + unused) <= p  <=>  unused <= used * p / (1 - p)
	p := m.percent / 100
	return uint64(p / (1 - p) * float64(used))
}

func (m MaxUnused) String() string {
	if m.text == "" {
		return "5%"
	}
	return m.text
}

// ParseSize parses a size as restic's flags take it: a number of bytes,
// or one followed by K, M, G or T (powers of 1024, an optional B or iB).
func ParseSize(s string) (uint64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "IB"), "B")
	mult := uint64(1)
	if n := len(t); n > 0 {
		if i := strings.IndexByte("KMGT", t[n-1]); i >= 0 {
			mult = 1 << (10 * (i + 1))
			t = t[:n-1]
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil || (mult > 1 && n > ^uint64(0)/mult) {
		return 0, fmt.Errorf("invalid size %q: use a number of bytes, or one followed by K, M, G or T", s)
	}
	return n * mult, nil
}

// PruneStats is what a prune found and did (or, in a dry run, would do).
// Sizes are stored bytes (packs on storage).
type PruneStats struct {
	Blobs struct {
		Used, Duplicate, Unused, Remove, Repack, RepackRemove int
	}
	Size struct {
		Used, Duplicate, Unused, Remove, Repack, RepackRemove, Unreferenced, Uncompressed uint64
	}
	Packs struct {
		// Used: every blob used; PartlyUsed; Unused: none used;
		// Unreferenced: in no index.
		Used, PartlyUsed, Unused, Unreferenced int
		// What the plan does with them.
		Keep, Repack, Remove int
	}
	// KeptBytes is the size of the packs kept as they are, RemovedBytes of
	// the packs removed (unused, unreferenced and repacked ones),
	// RepackedBytes of the packs repacked and WrittenBytes of the packs
	// their blobs went to.
	KeptBytes, RemovedBytes, RepackedBytes, WrittenBytes uint64
	// IndexFilesWritten and IndexFilesRemoved count the index rewrite.
	IndexFilesWritten, IndexFilesRemoved int
	// SizeBefore and SizeAfter are the total size of the packs before and
	// after (planned, in a dry run).
	SizeBefore, SizeAfter uint64
	DryRun                bool
}

// Prune removes what no snapshot needs, with restic 0.18's semantics: it
// finds every blob the snapshots' trees reach, removes the packs that hold
// none of them and the packs no index lists, and repacks packs whose unused
// share would leave more unused space than MaxUnused allows (and packs of
// uncompressed trees, small packs when there are at least ten, and what
// the options add). The order makes it safe to kill at any point: packs no
// index lists go first; repacked blobs are copied into new packs and
// indexed; then index files without the dropped packs are saved, the old
// index files removed, and the dropped packs removed last. A killed prune
// leaves at worst blobs stored twice or packs no index lists, which the
// next prune removes. The caller must hold an exclusive lock; Prune loads
// the index and the snapshots after it, so the repository may be opened
// without its index.
func (r *Repository) Prune(ctx context.Context, opts PruneOptions) (*PruneStats, error) {
	// what was written before the caller's lock must be known: a pack
	// indexed after Open would otherwise look unreferenced
	if err := r.LoadIndex(ctx); err != nil {
		return nil, err
	}
	used, _, err := r.findUsedBlobs(ctx, opts.Progress)
	if err != nil {
		return nil, err
	}
	report(opts.Progress, PrunePlanning, 0, 0)
	plan, err := r.planPrune(ctx, opts, used)
	if err != nil {
		return nil, err
	}
	st := &plan.stats
	st.DryRun = opts.DryRun
	st.SizeAfter = st.SizeBefore - st.RemovedBytes + (st.Size.Repack - st.Size.RepackRemove)
	if opts.DryRun {
		return st, nil
	}
	if err := r.executePrune(ctx, plan, opts.Progress); err != nil {
		return st, err
	}
	return st, nil
}

// executePrune carries out a plan, in the order Prune describes.
func (r *Repository) executePrune(ctx context.Context, plan *prunePlan, progress func(PruneProgress)) error {
	st := &plan.stats
	report(progress, PruneUnreferenced, 0, len(plan.unreferenced))
	if err := r.removeFiles(ctx, backend.PackFile, plan.unreferenced); err != nil {
		return err
	}
	written, err := r.repack(ctx, plan, progress)
	if err != nil {
		return err
	}
	st.WrittenBytes = written
	drop := plan.dropped()
	report(progress, PruneIndex, 0, 0)
	if len(drop) > 0 {
		st.IndexFilesWritten, st.IndexFilesRemoved, err = r.rewriteIndex(ctx, drop, r.Checkpoint().IndexIDs)
		if err != nil {
			return err
		}
	}
	doomed := plan.packsToRemove()
	report(progress, PruneRemoving, 0, len(doomed))
	if err := r.removeFiles(ctx, backend.PackFile, doomed); err != nil {
		return err
	}
	if err := r.LoadIndex(ctx); err != nil {
		return err
	}
	st.SizeAfter, err = r.packBytes(ctx)
	return err
}

// dropped returns the packs the new index leaves out: removed, repacked
// and missing ones.
func (plan *prunePlan) dropped() map[ID]struct{} {
	drop := make(map[ID]struct{}, len(plan.remove)+len(plan.repack)+len(plan.ignore))
	for id := range plan.remove {
		drop[id] = struct{}{}
	}
	for id := range plan.repack {
		drop[id] = struct{}{}
	}
	for id := range plan.ignore {
		drop[id] = struct{}{}
	}
	return drop
}

// packsToRemove returns the packs removed after the index rewrite, sorted.
func (plan *prunePlan) packsToRemove() []ID {
	ids := make([]ID, 0, len(plan.remove)+len(plan.repack))
	for id := range plan.remove {
		ids = append(ids, id)
	}
	for id := range plan.repack {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b ID) int { return bytes.Compare(a[:], b[:]) })
	return ids
}

// packBytes returns the total size of the packs in data/.
func (r *Repository) packBytes(ctx context.Context) (uint64, error) {
	var n uint64
	err := r.be.List(ctx, backend.PackFile, func(fi backend.FileInfo) error {
		n += uint64(fi.Size)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("listing packs in %s: %w", r.be.Location(), err)
	}
	return n, nil
}

// MustParseMaxUnused is ParseMaxUnused for constants; it panics on error.
func MustParseMaxUnused(s string) MaxUnused {
	m, err := ParseMaxUnused(s)
	if err != nil {
		panic(err)
	}
	return m
}
