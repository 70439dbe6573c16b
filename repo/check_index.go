package repo

import (
	"context"
	"fmt"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// checkIndex loads every index file (several at once, as decoding them
// is CPU-bound), recording the packs they list. A file that does not load
// is a problem; the others are still used.
func (c *checker) checkIndex(ctx context.Context) error {
	ids, err := listNames(ctx, c.r.be, backend.IndexFile)
	if err != nil {
		return err
	}
	c.report(CheckIndex, 0, len(ids))
	done := 0
	forEach(ctx, c.workers, ids, func(id ID) {
		f, err := c.r.loadIndexFile(ctx, id)
		c.mu.Lock()
		defer c.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		c.addIndexFile(id, f, err)
		done++
		c.report(CheckIndex, done, len(ids))
	})
	sortProblems(c.res.Problems)
	return ctx.Err()
}

// addIndexFile records one loaded index file (or its error); the caller
// holds mu.
func (c *checker) addIndexFile(id ID, f *index.File, err error) {
	if err != nil {
		c.res.Problems = append(c.res.Problems, err)
		return
	}
	c.res.IndexFiles++
	for _, p := range f.Packs {
		c.addIndexPack(id, p)
	}
}

func (c *checker) addIndexPack(file ID, p index.Pack) {
	c.idx.AddPack(p.ID, p.Blobs)
	for _, b := range p.Blobs {
		if b.Compressed() && c.r.cfg.Version < 2 {
			c.res.Problems = append(c.res.Problems, fmt.Errorf("index %v: pack %v: %v blob %v is compressed in a version 1 repository",
				file.Str(), ID(p.ID).Str(), b.Type, ID(b.ID).Str()))
		}
	}
	old, seen := c.packs[p.ID]
	if !seen {
		c.packs[p.ID] = p.Blobs
		return
	}
	if !sameEntries(old, p.Blobs) {
		c.res.Problems = append(c.res.Problems, fmt.Errorf("index %v: pack %v is listed with different blobs in another index file",
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
