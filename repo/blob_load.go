package repo

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// LoadBlob returns the plaintext of a blob, reusing buf's memory when it is
// large enough. The plaintext is verified against id (SHA-256), so wrong
// bytes are never returned: a corrupt copy fails with ErrInvalidData naming
// the pack, and another copy of the blob, if indexed, is tried. A blob saved
// but not yet flushed fails with ErrNotFlushed.
func (r *Repository) LoadBlob(ctx context.Context, t BlobType, id ID, buf []byte) ([]byte, error) {
	locs := r.index().LookupAll(pack.BlobType(t), id)
	if len(locs) == 0 {
		h := BlobHandle{Type: t, ID: id}
		r.sessMu.Lock()
		s := r.sess
		r.sessMu.Unlock()
		if s != nil && s.isPending(h) {
			return nil, fmt.Errorf("loading %v: %w", h, ErrNotFlushed)
		}
		return nil, fmt.Errorf("loading %v: %w in the index", h, ErrNotFound)
	}
	var errs []error
	for _, loc := range locs {
		out, err := r.loadBlobAt(ctx, loc, buf)
		if err == nil {
			return out, nil
		}
		if ctx.Err() != nil {
			return nil, err
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func packHandle(id [32]byte) backend.Handle {
	return backend.Handle{Type: backend.PackFile, Name: ID(id).String()}
}

// loadBlobAt reads, decrypts, decompresses and verifies one stored blob.
func (r *Repository) loadBlobAt(ctx context.Context, loc index.Location, buf []byte) ([]byte, error) {
	h := packHandle(loc.Pack)
	sealed := getBuf(int(loc.Length))
	defer putBuf(sealed)
	if loc.Type == pack.TreeBlob {
		data, err := r.trees.get(ctx, r.be, loc.Pack)
		if err != nil {
			return nil, fmt.Errorf("loading %v blob %v from %v: %w", loc.Type, ID(loc.ID).Str(), h, err)
		}
		if end := int64(loc.Offset) + int64(loc.Length); end > int64(len(data)) {
			return nil, fmt.Errorf("%w: %v blob %v ends at %d, past the end of %v (%d bytes)", ErrInvalidData, loc.Type, ID(loc.ID).Str(), end, h, len(data))
		}
		copy(*sealed, data[loc.Offset:loc.Offset+loc.Length])
		return r.decodeBlob(h, loc.Entry, *sealed, buf)
	}
	rd, err := r.be.Load(ctx, h, int64(loc.Offset), int64(loc.Length))
	if err != nil {
		return nil, fmt.Errorf("loading %v blob %v from %v: %w", loc.Type, ID(loc.ID).Str(), h, err)
	}
	_, err = io.ReadFull(rd, *sealed)
	rd.Close()
	if err != nil {
		return nil, fmt.Errorf("reading %v blob %v from %v: %w", loc.Type, ID(loc.ID).Str(), h, err)
	}
	return r.decodeBlob(h, loc.Entry, *sealed, buf)
}

// decodeBlob opens a sealed blob (in place) and returns its verified
// plaintext in buf's memory.
func (r *Repository) decodeBlob(h backend.Handle, e pack.Entry, sealed, buf []byte) ([]byte, error) {
	out, err := r.openBlob(h, e, sealed, buf)
	if err != nil || e.Compressed() {
		return out, err
	}
	return append(buf[:0], out...), nil
}

// openBlob opens a sealed blob (in place) and verifies its plaintext,
// which it returns in buf's memory if the blob is compressed and in
// sealed's otherwise.
func (r *Repository) openBlob(h backend.Handle, e pack.Entry, sealed, buf []byte) ([]byte, error) {
	what := func() string { return fmt.Sprintf("%v blob %v in %v", e.Type, ID(e.ID).Str(), h) }
	out, err := r.key.OpenInPlace(sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: decrypting %s: %w", ErrInvalidData, what(), err)
	}
	if e.Compressed() {
		if r.cfg.Version < 2 {
			return nil, fmt.Errorf("%w: %s is compressed in a version 1 repository", ErrInvalidData, what())
		}
		if cap(buf) < int(e.UncompressedLength) {
			buf = make([]byte, 0, e.UncompressedLength)
		}
		out, err = r.codec.dec.DecodeAll(out, buf[:0])
		if err != nil {
			return nil, fmt.Errorf("%w: decompressing %s: %w", ErrInvalidData, what(), err)
		}
		if len(out) != int(e.UncompressedLength) {
			return nil, fmt.Errorf("%w: %s decompresses to %d bytes, the index says %d", ErrInvalidData, what(), len(out), e.UncompressedLength)
		}
	}
	if got := Hash(out); got != e.ID {
		return nil, fmt.Errorf("%w: %s hashes to %v", ErrInvalidData, what(), got.Str())
	}
	return out, nil
}

// HasBlob reports whether the index lists the blob. Blobs of a write
// session count once their pack is uploaded.
func (r *Repository) HasBlob(t BlobType, id ID) bool {
	return r.index().Has(pack.BlobType(t), id)
}

// BlobSize returns the plaintext size of an indexed blob.
func (r *Repository) BlobSize(t BlobType, id ID) (uint32, bool) {
	loc, ok := r.index().Lookup(pack.BlobType(t), id)
	if !ok {
		return 0, false
	}
	return loc.PlaintextLength(), true
}
