package repo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// CheckPhase names a step of Check.
type CheckPhase string

// The phases of Check, in order.
const (
	CheckIndex     CheckPhase = "index"
	CheckPacks     CheckPhase = "packs"
	CheckSnapshots CheckPhase = "snapshots"
	CheckTrees     CheckPhase = "trees"
)

// CheckProgress reports how far Check has come in a phase.
type CheckProgress struct {
	Phase       CheckPhase
	Done, Total int // Total is 0 when unknown (trees)
}

// CheckOptions tune Check. The zero value checks the structure only.
type CheckOptions struct {
	// ReadData reads every pack completely and verifies its SHA-256, its
	// header and every blob (decryption, decompression, hash).
	ReadData bool
	// Subset, if set, reads only the packs it selects, as restic's
	// --read-data-subset does (see ParseCheckSubset). It excludes ReadData.
	Subset *CheckSubset
	// Connections is how many packs are read at once (default: the
	// backend's hint, see backend.ConnectionHinter, else twice the CPUs,
	// 4..8). Each reader holds up to two blobs, never a whole pack.
	Connections int
	// Rand picks the packs of a random Subset (default: math/rand/v2's
	// randomly seeded global source).
	Rand *rand.Rand
	// Progress, if set, is called as the check goes on; calls never
	// overlap.
	Progress func(CheckProgress)
}

// CheckResult is what Check found. Problems name the file concerned;
// UnreferencedPacks are packs no index lists (left by an interrupted
// backup; harmless, prune removes them). Damage lists the damaged or
// missing packs with the snapshots and files they affect.
type CheckResult struct {
	Problems          []error
	UnreferencedPacks []ID
	Damage            []PackDamage
	IndexFiles        int
	Packs             int
	Blobs             int
	Snapshots         int
	Trees             int
	// DuplicateBlobs counts the blobs stored in more than one pack beyond
	// their first copy, and DuplicateBytes the space those copies take:
	// what an interrupted backup uploaded twice (prune reclaims it).
	DuplicateBlobs int
	DuplicateBytes int64
	// ReadData is set when packs were read completely (all of them, or a
	// Subset); PacksRead and BytesRead count them.
	ReadData  bool
	PacksRead int
	BytesRead int64
}

// checker holds Check's state. Workers share it under mu.
type checker struct {
	r       *Repository
	opts    CheckOptions
	workers int
	mu      sync.Mutex
	res     *CheckResult
	idx     *index.Master
	packs   map[[32]byte][]pack.Entry // from the index files
	damage  map[ID]*packDamage
	snaps   []*Snapshot
}

// problem records a problem; it is safe to call from several goroutines.
func (c *checker) problem(err error) {
	c.mu.Lock()
	c.res.Problems = append(c.res.Problems, err)
	c.mu.Unlock()
}

// report calls the progress callback; the caller holds mu or is the only
// goroutine at work.
func (c *checker) report(p CheckPhase, done, total int) {
	if c.opts.Progress != nil {
		c.opts.Progress(CheckProgress{Phase: p, Done: done, Total: total})
	}
}

// Check verifies the repository's structure: every index file decodes,
// every indexed pack exists with the expected size and a header that
// agrees with the index, every snapshot loads, and every tree reachable
// from a snapshot loads, is well formed and refers only to indexed blobs.
// With opts.ReadData (or a Subset) it also reads the packs completely and
// verifies their SHA-256, headers and every blob (decryption,
// decompression, hash). Damaged and missing packs are listed in the
// result's Damage with the snapshots and files that use them.
//
// Check returns an error wrapping ErrCheckFailed when it found problems
// (listed in the result), or another error if it could not run.
func (r *Repository) Check(ctx context.Context, opts CheckOptions) (*CheckResult, error) {
	if opts.ReadData && opts.Subset != nil {
		return nil, errors.New("check: ReadData and Subset exclude each other: read all packs, or the subset")
	}
	c := &checker{r: r, opts: opts, workers: r.checkConnections(opts.Connections),
		res: &CheckResult{ReadData: opts.ReadData || opts.Subset != nil},
		idx: index.NewMaster(), packs: make(map[[32]byte][]pack.Entry), damage: make(map[ID]*packDamage)}
	for _, step := range []func(context.Context) error{c.checkIndex, c.checkPacks, c.checkSnapshots, c.findDamage} {
		if err := step(ctx); err != nil {
			return c.res, err
		}
	}
	if n := len(c.res.Problems); n > 0 {
		return c.res, fmt.Errorf("%w: %d problems in %s, the first: %w", ErrCheckFailed, n, r.be.Location(), c.res.Problems[0])
	}
	return c.res, nil
}

// checkConnections is how many packs Check reads at once: n if set, else
// the backend's hint (local storage: one per CPU, as reading is then
// CPU-bound), else twice the CPUs within 4..8 (remote storage, where a
// reader mostly waits for the network).
func (r *Repository) checkConnections(n int) int {
	if n > 0 {
		return n
	}
	if h, ok := r.be.(backend.ConnectionHinter); ok {
		return max(1, h.Connections())
	}
	return min(max(2*runtime.GOMAXPROCS(0), 4, r.opts.Connections), 8)
}

// forEach calls fn for each item with up to workers goroutines at once.
func forEach[T any](ctx context.Context, workers int, items []T, fn func(T)) {
	work := make(chan T)
	var wg sync.WaitGroup
	for range min(workers, max(len(items), 1)) {
		wg.Go(func() {
			for it := range work {
				fn(it)
			}
		})
	}
	for _, it := range items {
		select {
		case work <- it:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
}

// sortProblems orders a phase's problems by message, so that a check's
// report does not depend on which worker came first.
func sortProblems(errs []error) {
	slices.SortStableFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
}
