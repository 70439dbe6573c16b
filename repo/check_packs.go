package repo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// checkPacks compares the packs in data/ with the index and checks each
// indexed pack's size and header (and with readData, all its bytes).
func (c *checker) checkPacks(ctx context.Context, readData bool) error {
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
		return fmt.Errorf("listing packs in %s: %w", c.r.be.Location(), err)
	}
	for id := range sizes {
		if _, ok := c.packs[id]; !ok {
			c.res.UnreferencedPacks = append(c.res.UnreferencedPacks, id)
		}
	}
	slices.SortFunc(c.res.UnreferencedPacks, func(a, b ID) int { return bytes.Compare(a[:], b[:]) })

	var todo [][32]byte
	type handle struct {
		t  pack.BlobType
		id [32]byte
	}
	seen := map[handle]bool{}
	for _, entries := range c.packs {
		for _, e := range entries {
			h := handle{e.Type, e.ID}
			if seen[h] {
				c.res.DuplicateBlobs++
				c.res.DuplicateBytes += int64(e.Length)
			}
			seen[h] = true
		}
	}
	for id, entries := range c.packs {
		h := packHandle(id)
		size, ok := sizes[id]
		switch {
		case !ok:
			c.problem(fmt.Errorf("%v: pack is listed in the index but missing", h))
		case size != pack.FileSize(entries):
			c.problem(fmt.Errorf("%v: size is %d bytes, the index implies %d", h, size, pack.FileSize(entries)))
		default:
			todo = append(todo, id)
		}
		c.res.Blobs += len(entries)
	}
	c.res.Packs = len(c.packs)
	return c.checkPackContents(ctx, todo, sizes, readData)
}

// checkPackContents reads the headers (or whole packs) with Connections
// workers.
func (c *checker) checkPackContents(ctx context.Context, todo [][32]byte, sizes map[[32]byte]int64, readData bool) error {
	work := make(chan [32]byte)
	var mu sync.Mutex
	var wg sync.WaitGroup
	done := 0
	c.report(CheckPacks, 0, len(todo))
	for range c.r.opts.Connections {
		wg.Go(func() {
			for id := range work {
				var problems []error
				if readData {
					problems = c.r.verifyPack(ctx, id, c.packs[id])
				} else {
					problems = c.r.verifyPackHeader(ctx, id, sizes[id], c.packs[id])
				}
				mu.Lock()
				c.res.Problems = append(c.res.Problems, problems...)
				done++
				c.report(CheckPacks, done, len(todo))
				mu.Unlock()
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

// verifyPackHeader reads a pack's header and compares it with the index.
func (r *Repository) verifyPackHeader(ctx context.Context, id [32]byte, size int64, want []pack.Entry) []error {
	h := packHandle(id)
	got, _, err := pack.ReadHeader(r.key, packReaderAt{ctx: ctx, be: r.be, h: h}, size)
	if err != nil {
		return []error{fmt.Errorf("%v: %w", h, err)}
	}
	return compareHeader(h, got, want)
}

// compareHeader reports differences between a pack's header and the index.
func compareHeader(h backend.Handle, header, indexed []pack.Entry) []error {
	var errs []error
	inHeader := make(map[pack.Entry]struct{}, len(header))
	for _, e := range header {
		inHeader[e] = struct{}{}
	}
	for _, e := range indexed {
		if _, ok := inHeader[e]; !ok {
			errs = append(errs, fmt.Errorf("%v: %v blob %v at offset %d is in the index but not in the pack header",
				h, e.Type, ID(e.ID).Str(), e.Offset))
		}
	}
	if len(header) != len(indexed) && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%v: the pack header lists %d blobs, the index %d", h, len(header), len(indexed)))
	}
	return errs
}

// verifyPack reads a whole pack, checks its hash and header, and decodes
// every blob.
func (r *Repository) verifyPack(ctx context.Context, id [32]byte, indexed []pack.Entry) []error {
	h := packHandle(id)
	data, err := backend.LoadAll(ctx, r.be, h)
	if err != nil {
		return []error{err}
	}
	if got := sha256.Sum256(data); got != id {
		return []error{fmt.Errorf("%v: contents hash to %v", h, ID(got).Str())}
	}
	header, err := pack.ParseHeader(r.key, data, int64(len(data)))
	if err != nil {
		return []error{fmt.Errorf("%v: %w", h, err)}
	}
	errs := compareHeader(h, header, indexed)
	buf := getBuf(0)
	defer putBuf(buf)
	for _, e := range header {
		if e.Compressed() && r.cfg.Version < 2 {
			errs = append(errs, fmt.Errorf("%v: %v blob %v is compressed in a version 1 repository", h, e.Type, ID(e.ID).Str()))
			continue
		}
		out, err := r.decodeBlob(h, e, data[e.Offset:e.Offset+e.Length], (*buf)[:0])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*buf = out
	}
	return errs
}
