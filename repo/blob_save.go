package repo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// SaveBlob stores a blob unless the repository already has it, and returns
// its id and whether it was already known (indexed, or saved earlier in
// this session). If id is non-nil it must be the SHA-256 of data (callers
// that hashed the data already save a pass); otherwise SaveBlob hashes it.
//
// SaveBlob compresses the blob (version 2; kept uncompressed if zstd does
// not shrink it), encrypts it and adds it to a pack; full packs upload in
// the background. The blob is durable only after Flush. data is not
// retained. SaveBlob may be called from many goroutines at once, but not
// concurrently with Flush.
//
// The first SaveBlob after Open or Flush starts a write session bound to
// its ctx: uploads run under it, and when it is cancelled the session ends,
// indexing the packs already uploaded so a later backup reuses them. Pass
// the backup's context, not a per-file one.
func (r *Repository) SaveBlob(ctx context.Context, t BlobType, data []byte, id *ID) (ID, bool, error) {
	if !t.valid() {
		return ID{}, false, fmt.Errorf("saving blob: invalid type %d", t)
	}
	if len(data) > math.MaxUint32-1024 {
		return ID{}, false, fmt.Errorf("saving %v blob: %d bytes exceed the 4 GiB limit", t, len(data))
	}
	var h BlobHandle
	h.Type = t
	if id != nil {
		h.ID = *id
	} else {
		h.ID = Hash(data)
	}
	if r.index().Has(pack.BlobType(t), h.ID) {
		return h.ID, true, nil
	}
	if err := ctx.Err(); err != nil {
		return ID{}, false, err
	}
	s := r.session(ctx)
	fresh, err := s.reserve(h)
	if err != nil {
		return ID{}, false, fmt.Errorf("saving %v: %w", h, err)
	}
	if !fresh {
		return h.ID, true, nil
	}
	enc, bound := r.encoding(t, data)
	packed, err := s.add(ctx, h, enc, bound)
	if err != nil {
		s.unreserve(h)
		return ID{}, false, fmt.Errorf("saving %v: %w", h, err)
	}
	r.sessMu.Lock()
	if t == DataBlob {
		r.stats.DataBlobs++
		r.stats.DataAdded += uint64(len(data))
		r.stats.DataAddedPacked += uint64(packed)
	} else {
		r.stats.TreeBlobs++
		r.stats.TreeAdded += uint64(len(data))
		r.stats.TreeAddedPacked += uint64(packed)
	}
	r.sessMu.Unlock()
	return h.ID, false, nil
}

// encoder appends a blob's stored plaintext to dst and returns the
// extended slice and the uncompressed length if it compressed (else 0).
type encoder = func(dst []byte) ([]byte, uint32)

// encoding returns how data is stored: compressed if that makes it
// smaller (version 2 with compression on), else as it is; and the most
// bytes that can take (zstd's worst case). The pack writer calls it with
// the pack's own buffer (session.add), so the blob is compressed and
// sealed in place, never copied through a buffer of its own.
func (r *Repository) encoding(t BlobType, data []byte) (encoder, int) {
	enc := r.codec.encoder(t)
	if r.cfg.Version < 2 || enc == nil || len(data) == 0 {
		return func(dst []byte) ([]byte, uint32) { return append(dst, data...), 0 }, len(data)
	}
	return func(dst []byte) ([]byte, uint32) {
		n := len(dst)
		c := enc.EncodeAll(data, dst)
		if len(c)-n < len(data) {
			return c, uint32(len(data))
		}
		return append(c[:n], data...), 0
	}, len(data) + len(data)>>8 + 128
}

// Flush uploads the packs being filled (merging small ones), waits for all
// uploads and writes an index file for them, ending the write session.
// Afterwards every blob saved so far is durable and can be loaded. It
// returns the error that ended an earlier session, if any, once.
func (r *Repository) Flush(ctx context.Context) error {
	r.sessMu.Lock()
	s := r.sess
	r.sessMu.Unlock()
	if s != nil {
		if s.failure() == nil {
			for t := range s.packers {
				if err := s.flushPackers(ctx, BlobType(t)); err != nil {
					s.fail(err)
					break
				}
			}
		}
		s.finish(ctx)
		_ = s.wait()
	}
	r.sessMu.Lock()
	err := r.sessErr
	r.sessErr = nil
	r.sessMu.Unlock()
	if err != nil {
		return fmt.Errorf("flushing %s: %w", r.be.Location(), err)
	}
	return nil
}

// flushPackers finalizes the non-empty packers of type t, merging packs
// that fit together under the target size, and queues them for upload.
func (s *session) flushPackers(ctx context.Context, t BlobType) error {
	var ws []*pack.Writer
	for _, p := range s.packers[t] {
		p.mu.Lock()
		if p.w != nil {
			ws = append(ws, p.w)
			p.w = nil
		}
		p.mu.Unlock()
	}
	slices.SortFunc(ws, func(a, b *pack.Writer) int { return b.Size() - a.Size() })
	var merged []*pack.Writer
	for _, w := range ws {
		if n := len(merged); n > 0 && merged[n-1].Size()+w.Size() <= s.r.opts.PackSize {
			if err := merged[n-1].Merge(w); err != nil {
				return err
			}
			if b := w.Release(); t == DataBlob {
				s.bufs.put(b)
			}
			continue
		}
		merged = append(merged, w)
	}
	var errs []error
	for _, w := range merged {
		f, err := w.Finalize()
		if err == nil {
			err = s.enqueue(ctx, f)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
