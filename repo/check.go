package repo

import (
	"context"
	"fmt"

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

// CheckResult is what Check found. Problems name the file concerned;
// UnreferencedPacks are packs no index lists (left by an interrupted
// backup; harmless, prune removes them).
type CheckResult struct {
	Problems          []error
	UnreferencedPacks []ID
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
	ReadData       bool
}

// checker holds Check's state.
type checker struct {
	r        *Repository
	progress func(CheckProgress)
	res      *CheckResult
	idx      *index.Master
	packs    map[[32]byte][]pack.Entry // from the index files
}

func (c *checker) problem(err error) { c.res.Problems = append(c.res.Problems, err) }

func (c *checker) report(p CheckPhase, done, total int) {
	if c.progress != nil {
		c.progress(CheckProgress{Phase: p, Done: done, Total: total})
	}
}

// Check verifies the repository's structure: every index file decodes,
// every indexed pack exists with the expected size and a header that
// agrees with the index, every snapshot loads, and every tree reachable
// from a snapshot loads, is well formed and refers only to indexed blobs.
// With readData it also reads every pack completely and verifies its
// SHA-256 and every blob (decryption, decompression, hash).
//
// progress, if set, is called from Check's goroutine. Check returns an
// error wrapping ErrCheckFailed when it found problems (listed in the
// result), or another error if it could not run.
func (r *Repository) Check(ctx context.Context, readData bool, progress func(CheckProgress)) (*CheckResult, error) {
	c := &checker{r: r, progress: progress, res: &CheckResult{ReadData: readData},
		idx: index.NewMaster(), packs: make(map[[32]byte][]pack.Entry)}
	steps := []func(context.Context) error{c.checkIndex, func(ctx context.Context) error {
		return c.checkPacks(ctx, readData)
	}, c.checkSnapshots}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return c.res, err
		}
	}
	if n := len(c.res.Problems); n > 0 {
		return c.res, fmt.Errorf("%w: %d problems in %s, the first: %w", ErrCheckFailed, n, r.be.Location(), c.res.Problems[0])
	}
	return c.res, nil
}

// checkIndex loads every index file, recording the packs they list.
func (c *checker) checkIndex(ctx context.Context) error {
	ids, err := listNames(ctx, c.r.be, backend.IndexFile)
	if err != nil {
		return err
	}
	c.report(CheckIndex, 0, len(ids))
	for i, id := range ids {
		f, err := c.r.loadIndexFile(ctx, id)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.report(CheckIndex, i+1, len(ids))
		if err != nil {
			c.problem(err)
			continue
		}
		c.res.IndexFiles++
		for _, p := range f.Packs {
			c.addIndexPack(id, p)
		}
	}
	return nil
}

func (c *checker) addIndexPack(file ID, p index.Pack) {
	c.idx.AddPack(p.ID, p.Blobs)
	for _, b := range p.Blobs {
		if b.Compressed() && c.r.cfg.Version < 2 {
			c.problem(fmt.Errorf("index %v: pack %v: %v blob %v is compressed in a version 1 repository",
				file.Str(), ID(p.ID).Str(), b.Type, ID(b.ID).Str()))
		}
	}
	old, seen := c.packs[p.ID]
	if !seen {
		c.packs[p.ID] = p.Blobs
		return
	}
	if !sameEntries(old, p.Blobs) {
		c.problem(fmt.Errorf("index %v: pack %v is listed with different blobs in another index file",
			file.Str(), ID(p.ID).Str()))
	}
}

func sameEntries(a, b []pack.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	set := make(map[pack.Entry]struct{}, len(a))
	for _, e := range a {
		set[e] = struct{}{}
	}
	for _, e := range b {
		if _, ok := set[e]; !ok {
			return false
		}
	}
	return true
}
