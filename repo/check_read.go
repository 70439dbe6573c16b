package repo

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// packReadBuffer is the read-ahead of a packReader: blobs at least this
// large are read straight into the blob buffer, smaller ones (trees) come
// from it without a request or system call each.
const packReadBuffer = 1 << 20

// packReader reads whole packs for Check: each pack front to back in one
// request, hashing the bytes as they pass and verifying each blob as it
// arrives, in the order of the index's entries; the header comes last and
// is compared with the index. Its buffers (read-ahead, one sealed blob,
// one plaintext) are reused from pack to pack, so a reader holds at most
// two blobs, never a whole pack. A packReader is used by one goroutine.
type packReader struct {
	r      *Repository
	br     *bufio.Reader
	hash   hash.Hash
	sealed *[]byte
	plain  *[]byte
	tail   []byte
}

func newPackReader(r *Repository) *packReader { return &packReader{r: r} }

// release returns the reader's buffers to the pool.
func (p *packReader) release() {
	if p.sealed != nil {
		putBuf(p.sealed)
		putBuf(p.plain)
	}
}

// errReading marks a failure to read a pack (not bad data), which check
// tries once more.
var errReading = errors.New("reading failed")

// check reads and verifies pack id of size bytes, trying a second time
// if reading fails (as restic does, to tell a passing network problem
// from damage).
func (p *packReader) check(ctx context.Context, id [32]byte, size int64, indexed []pack.Entry) packCheck {
	res := p.verify(ctx, id, size, indexed)
	if res.whole && errors.Is(res.errs[len(res.errs)-1], errReading) && ctx.Err() == nil {
		res = p.verify(ctx, id, size, indexed)
	}
	return res
}

// verify is one attempt of check.
func (p *packReader) verify(ctx context.Context, id [32]byte, size int64, indexed []pack.Entry) packCheck {
	h := packHandle(id)
	rd, err := p.r.be.Load(ctx, h, 0, 0)
	if err != nil {
		return packCheck{whole: true, errs: []error{fmt.Errorf("%w: %v: %w", errReading, h, err)}}
	}
	defer rd.Close()
	p.reset(rd)
	entries := slices.SortedFunc(slices.Values(indexed), func(a, b pack.Entry) int { return cmp.Compare(a.Offset, b.Offset) })
	var res packCheck
	var pos int64
	for _, e := range entries {
		if ctx.Err() != nil {
			return res
		}
		if int64(e.Offset) < pos {
			res.badBlob(e, fmt.Errorf("%v: the index's %v blob %v at offset %d overlaps the blob before it", h, e.Type, ID(e.ID).Str(), e.Offset))
			continue
		}
		if err := p.skip(int64(e.Offset) - pos); err != nil {
			return p.failed(res, h, pos, err)
		}
		sealed := p.blobBuffer(int(e.Length))
		if _, err := io.ReadFull(p.br, sealed); err != nil {
			return p.failed(res, h, int64(e.Offset), err)
		}
		pos = int64(e.Offset) + int64(e.Length)
		p.checkBlob(&res, h, e, sealed)
	}
	tail, err := p.readTail(pos, size)
	if err != nil {
		return p.failed(res, h, pos, err)
	}
	if got := ID(p.hash.Sum(nil)); got != id {
		res.errs = append(res.errs, fmt.Errorf("%v: contents hash to %v", h, got.Str()))
	}
	header, err := pack.ParseHeader(p.r.key, tail, size)
	if err != nil {
		res.errs = append(res.errs, fmt.Errorf("%v: %w", h, err))
		return res
	}
	diff := compareHeader(h, header, indexed)
	res.errs = append(res.errs, diff.errs...)
	res.bad = append(res.bad, diff.bad...)
	return res
}

// reset prepares the reader for a new pack read from rd.
func (p *packReader) reset(rd io.Reader) {
	if p.br == nil {
		p.br = bufio.NewReaderSize(nil, packReadBuffer)
		p.hash = sha256.New()
		p.sealed, p.plain = getBuf(0), getBuf(0)
	}
	p.hash.Reset()
	p.br.Reset(hashingReader{rd, p.hash})
}

// failed ends a pack whose reading failed at offset: its remaining blobs
// cannot be verified.
func (p *packReader) failed(res packCheck, h backend.Handle, offset int64, err error) packCheck {
	res.whole = true
	res.errs = append(res.errs, fmt.Errorf("%w: %v at offset %d: %w", errReading, h, offset, err))
	return res
}

// skip reads past n bytes the index assigns to no blob (hashing them).
func (p *packReader) skip(n int64) error {
	for n > 0 {
		d, err := p.br.Discard(int(min(n, 1<<30)))
		n -= int64(d)
		if err != nil {
			return err
		}
	}
	return nil
}

// readTail reads what follows the last blob, from pos to size: the
// header and its length field (bytes beyond the largest possible header
// are skipped).
func (p *packReader) readTail(pos, size int64) ([]byte, error) {
	rest := size - pos
	if rest > pack.MaxHeaderSize {
		if err := p.skip(rest - pack.MaxHeaderSize); err != nil {
			return nil, err
		}
		rest = pack.MaxHeaderSize
	}
	if rest < 0 {
		rest = 0
	}
	if int64(cap(p.tail)) < rest {
		p.tail = make([]byte, rest)
	}
	p.tail = p.tail[:rest]
	_, err := io.ReadFull(p.br, p.tail)
	return p.tail, err
}

// blobBuffer returns the sealed-blob buffer with room for n bytes.
func (p *packReader) blobBuffer(n int) []byte {
	if cap(*p.sealed) < n {
		*p.sealed = make([]byte, n)
	}
	return (*p.sealed)[:n]
}

// checkBlob decrypts, decompresses and hashes one blob, recording a
// failure in res.
func (p *packReader) checkBlob(res *packCheck, h backend.Handle, e pack.Entry, sealed []byte) {
	out, err := p.r.openBlob(h, e, sealed, (*p.plain)[:0])
	if err != nil {
		res.badBlob(e, err)
		return
	}
	if e.Compressed() {
		*p.plain = out // keep the grown buffer
	}
}

// hashingReader hashes what is read through it.
type hashingReader struct {
	rd io.Reader
	h  hash.Hash
}

func (r hashingReader) Read(b []byte) (int, error) {
	n, err := r.rd.Read(b)
	r.h.Write(b[:n])
	return n, err
}
