package repo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// checkPacks compares the packs in data/ with the index, then checks each
// indexed pack's header, or reads it completely if the options ask for
// its data.
func (c *checker) checkPacks(ctx context.Context) error {
	start := len(c.res.Problems)
	sizes, err := c.listPacks(ctx)
	if err != nil {
		return err
	}
	c.countBlobs()
	present := c.comparePacks(sizes)
	read := c.packsToRead(present)
	todo := sortedIDs(present)
	err = c.checkPackContents(ctx, todo, sizes, read)
	sortProblems(c.res.Problems[start:])
	return err
}

// listPacks lists data/, recording the packs no index lists.
func (c *checker) listPacks(ctx context.Context) (map[[32]byte]int64, error) {
	sizes := make(map[[32]byte]int64)
	err := c.r.be.List(ctx, backend.PackFile, func(fi backend.FileInfo) error {
		id, err := ParseID(fi.Name)
		if err != nil {
			c.problem(fmt.Errorf("data/%s: file name is not a pack id", fi.Name))
			return nil
		}
		sizes[id] = fi.Size
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing packs in %s: %w", c.r.be.Location(), err)
	}
	for id := range sizes {
		if _, ok := c.packs[id]; !ok {
			c.res.UnreferencedPacks = append(c.res.UnreferencedPacks, id)
		}
	}
	slices.SortFunc(c.res.UnreferencedPacks, func(a, b ID) int { return bytes.Compare(a[:], b[:]) })
	return sizes, nil
}

// countBlobs counts the indexed blobs, packs and duplicate copies.
func (c *checker) countBlobs() {
	seen := map[BlobHandle]bool{}
	for _, entries := range c.packs {
		for _, e := range entries {
			h := BlobHandle{BlobType(e.Type), e.ID}
			if seen[h] {
				c.res.DuplicateBlobs++
				c.res.DuplicateBytes += int64(e.Length)
			}
			seen[h] = true
		}
		c.res.Blobs += len(entries)
	}
	c.res.Packs = len(c.packs)
}

// comparePacks reports indexed packs that are missing or have the wrong
// size, and returns the others.
func (c *checker) comparePacks(sizes map[[32]byte]int64) map[[32]byte]bool {
	present := make(map[[32]byte]bool, len(c.packs))
	for id, entries := range c.packs {
		h := packHandle(id)
		size, ok := sizes[id]
		switch want := pack.FileSize(entries); {
		case !ok:
			c.packDamaged(id, packCheck{whole: true, errs: []error{fmt.Errorf("%v: pack is listed in the index but missing", h)}})
		case size != want:
			c.packDamaged(id, packCheck{whole: true, errs: []error{fmt.Errorf("%v: size is %d bytes, the index implies %d", h, size, want)}})
		default:
			present[id] = true
		}
	}
	return present
}

// packsToRead returns the present packs whose data the check reads: all
// with ReadData, those of the Subset (chosen among all indexed packs, as
// restic does), or none.
func (c *checker) packsToRead(present map[[32]byte]bool) map[[32]byte]bool {
	read := make(map[[32]byte]bool)
	switch {
	case c.opts.ReadData:
		read = present
	case c.opts.Subset != nil:
		all := make(map[[32]byte]int64, len(c.packs))
		for id, entries := range c.packs {
			all[id] = pack.FileSize(entries)
		}
		for _, id := range c.opts.Subset.selectPacks(all, c.opts.Rand) {
			if present[id] {
				read[id] = true
			}
		}
	}
	return read
}

// sortedIDs returns the keys of m in order.
func sortedIDs(m map[[32]byte]bool) [][32]byte {
	ids := make([][32]byte, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	return ids
}

// checkPackContents checks the packs in todo with c.workers workers:
// those in read are read completely, the others have their header read.
func (c *checker) checkPackContents(ctx context.Context, todo [][32]byte, sizes map[[32]byte]int64, read map[[32]byte]bool) error {
	work := make(chan [32]byte)
	var wg sync.WaitGroup
	done := 0
	c.report(CheckPacks, 0, len(todo))
	for range c.workers {
		wg.Go(func() {
			pr := newPackReader(c.r)
			defer pr.release()
			for id := range work {
				var res packCheck
				if read[id] {
					res = pr.check(ctx, id, sizes[id], c.packs[id])
				} else {
					res = c.r.checkPackHeader(ctx, id, sizes[id], c.packs[id])
				}
				if ctx.Err() != nil {
					return
				}
				c.mu.Lock()
				c.packChecked(id, res, read[id], sizes[id])
				done++
				c.report(CheckPacks, done, len(todo))
				c.mu.Unlock()
			}
		})
	}
	for _, id := range todo {
		select {
		case work <- id:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	return ctx.Err()
}

// packChecked records the outcome of one pack; the caller holds mu.
func (c *checker) packChecked(id [32]byte, res packCheck, read bool, size int64) {
	if read {
		c.res.PacksRead++
		c.res.BytesRead += size
	}
	if len(res.errs) > 0 {
		c.res.Problems = append(c.res.Problems, res.errs...)
		c.recordDamage(id, res)
	}
}

// packCheck is what checking one pack found: problems, and which blobs
// they make unusable (all of them when whole is set).
type packCheck struct {
	errs  []error
	whole bool
	bad   []BlobHandle
}

func (p *packCheck) badBlob(e pack.Entry, err error) {
	p.errs = append(p.errs, err)
	p.bad = append(p.bad, BlobHandle{BlobType(e.Type), e.ID})
}

// packReaderAt reads ranges of a pack from the backend.
type packReaderAt struct {
	ctx context.Context
	be  backend.Backend
	h   backend.Handle
}

func (p packReaderAt) ReadAt(b []byte, off int64) (int, error) {
	rd, err := p.be.Load(p.ctx, p.h, off, int64(len(b)))
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	return io.ReadFull(rd, b)
}

// checkPackHeader reads a pack's header and compares it with the index.
// An unreadable header makes the whole pack unusable.
func (r *Repository) checkPackHeader(ctx context.Context, id [32]byte, size int64, want []pack.Entry) packCheck {
	h := packHandle(id)
	got, _, err := pack.ReadHeader(r.key, packReaderAt{ctx: ctx, be: r.be, h: h}, size)
	if err != nil {
		return packCheck{whole: true, errs: []error{fmt.Errorf("%v: %w", h, err)}}
	}
	return compareHeader(h, got, want)
}

// compareHeader reports differences between a pack's header and the
// index; indexed blobs the header does not list count as unusable.
func compareHeader(h backend.Handle, header, indexed []pack.Entry) packCheck {
	var res packCheck
	inHeader := make(map[pack.Entry]struct{}, len(header))
	for _, e := range header {
		inHeader[e] = struct{}{}
	}
	for _, e := range indexed {
		if _, ok := inHeader[e]; !ok {
			res.badBlob(e, fmt.Errorf("%v: %v blob %v at offset %d is in the index but not in the pack header",
				h, e.Type, ID(e.ID).Str(), e.Offset))
		}
	}
	if len(header) != len(indexed) && len(res.errs) == 0 {
		res.errs = append(res.errs, fmt.Errorf("%v: the pack header lists %d blobs, the index %d", h, len(header), len(indexed)))
	}
	return res
}
