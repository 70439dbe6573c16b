package repo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/crypto"
	"github.com/cairn-backup/cairn/repo/internal/index"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// repackJob is one pack to repack: the blobs to copy out of it, by offset.
type repackJob struct {
	pack         ID
	blobs        []pack.Entry
	mustCompress bool
}

// repackGap is the most unused bytes between two kept blobs that one read
// goes through; a larger gap starts a new read.
const repackGap = 1 << 20

// repackJobs assigns each blob to keep to one pack being repacked (its
// first copy in index order), so that every blob is copied exactly once.
func repackJobs(idx *index.Master, plan *prunePlan) []*repackJob {
	jobs := map[ID]*repackJob{}
	assigned := make(map[BlobHandle]struct{}, len(plan.keep))
	idx.Each(func(l index.Location) bool {
		p, ok := plan.repack[l.Pack]
		h := BlobHandle{Type: BlobType(l.Type), ID: l.ID}
		if _, keep := plan.keep[h]; !ok || !keep {
			return true
		}
		if _, done := assigned[h]; done {
			return true
		}
		assigned[h] = struct{}{}
		j := jobs[l.Pack]
		if j == nil {
			j = &repackJob{pack: l.Pack, mustCompress: p.mustCompress}
			jobs[l.Pack] = j
		}
		j.blobs = append(j.blobs, l.Entry)
		return true
	})
	out := make([]*repackJob, 0, len(jobs))
	for _, j := range jobs {
		slices.SortFunc(j.blobs, func(a, b pack.Entry) int { return int(a.Offset) - int(b.Offset) })
		out = append(out, j)
	}
	slices.SortFunc(out, func(a, b *repackJob) int { return bytes.Compare(a.pack[:], b.pack[:]) })
	return out
}

// repack copies the blobs to keep out of the packs being repacked into new
// packs, and writes the index files that list them (Flush). Each blob is
// verified (MAC, decompression, SHA-256) and then copied as it is stored,
// sealed and compressed, so nothing is compressed or encrypted again;
// only uncompressed blobs that must be compressed (trees in version 2, data
// with RepackUncompressed) are encoded anew. The new packs come from one
// packer per type, so at most one pack per type is held in memory. It
// returns the bytes of the packs written.
func (r *Repository) repack(ctx context.Context, plan *prunePlan, progress func(PruneProgress)) (uint64, error) {
	jobs := repackJobs(r.index(), plan)
	if len(jobs) == 0 {
		return 0, nil
	}
	before := r.Checkpoint().BytesUploaded
	s := r.sessionWith(ctx, 1)
	var (
		mu   sync.Mutex
		errs []error
		done int
		wg   sync.WaitGroup
		work = make(chan *repackJob)
	)
	for range min(r.opts.Connections, len(jobs)) {
		wg.Go(func() {
			for j := range work {
				err := r.copyBlobs(ctx, s, j)
				mu.Lock()
				done++
				if err != nil {
					errs = append(errs, err)
				}
				report(progress, PruneRepacking, done, len(jobs))
				mu.Unlock()
			}
		})
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		work <- j
	}
	close(work)
	wg.Wait()
	if err := firstError(ctx, errs); err != nil {
		_ = r.Flush(context.WithoutCancel(ctx)) // index what landed: the next prune reuses it
		return 0, fmt.Errorf("repacking %s: %w", r.be.Location(), err)
	}
	if err := r.Flush(ctx); err != nil {
		return 0, fmt.Errorf("repacking: %w", err)
	}
	return uint64(r.Checkpoint().BytesUploaded - before), nil
}

func firstError(ctx context.Context, errs []error) error {
	if len(errs) > 0 {
		return errs[0]
	}
	return ctx.Err()
}

// copyBlobs copies one job's blobs, reading the pack in ranges that skip
// large unused stretches.
func (r *Repository) copyBlobs(ctx context.Context, s *session, j *repackJob) error {
	for start := 0; start < len(j.blobs); {
		end := start + 1
		for end < len(j.blobs) && j.blobs[end].Offset-(j.blobs[end-1].Offset+j.blobs[end-1].Length) <= repackGap {
			end++
		}
		if err := r.copyRange(ctx, s, j, j.blobs[start:end]); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// copyRange reads blobs (sorted, in one pack) with one request and copies
// each into the write session.
func (r *Repository) copyRange(ctx context.Context, s *session, j *repackJob, blobs []pack.Entry) error {
	h := packHandle(j.pack)
	first, last := blobs[0], blobs[len(blobs)-1]
	rd, err := r.be.Load(ctx, h, int64(first.Offset), int64(last.Offset+last.Length-first.Offset))
	if err != nil {
		return fmt.Errorf("reading %v: %w", h, err)
	}
	defer rd.Close()
	sealed, plain := getBuf(0), getBuf(0)
	defer putBuf(sealed)
	defer putBuf(plain)
	pos := first.Offset
	for _, e := range blobs {
		if _, err := io.CopyN(io.Discard, rd, int64(e.Offset-pos)); err != nil {
			return fmt.Errorf("reading %v: %w", h, err)
		}
		*sealed = slices.Grow((*sealed)[:0], int(e.Length))[:e.Length]
		if _, err := io.ReadFull(rd, *sealed); err != nil {
			return fmt.Errorf("reading %v blob %v from %v: %w", e.Type, ID(e.ID).Str(), h, err)
		}
		pos = e.Offset + e.Length
		if err := r.copyBlob(ctx, s, h, e, *sealed, plain, j.mustCompress); err != nil {
			return err
		}
	}
	return nil
}

// copyBlob verifies one stored blob and adds it to the write session.
func (r *Repository) copyBlob(ctx context.Context, s *session, ph backend.Handle, e pack.Entry, sealed []byte, plain *[]byte, compress bool) error {
	h := BlobHandle{Type: BlobType(e.Type), ID: e.ID}
	if err := s.failure(); err != nil {
		return err
	}
	var err error
	if compress && !e.Compressed() {
		err = r.recompress(ctx, s, ph, e, sealed, plain)
	} else if err = r.verifyBlob(ph, e, sealed); err == nil {
		_, err = s.put(ctx, h, len(sealed)-crypto.Extension, func(w *pack.Writer) (int, error) {
			return len(sealed), w.AddSealed(e.Type, e.ID, sealed, e.UncompressedLength)
		})
	}
	if errors.Is(err, ErrInvalidData) {
		return fmt.Errorf("%w; the blob is needed, so nothing was removed (run restic check --read-data)", err)
	} else if err != nil {
		return fmt.Errorf("copying %v: %w", h, err)
	}
	return nil
}

// recompress decodes an uncompressed blob (sealed is decrypted in place)
// and saves it compressed.
func (r *Repository) recompress(ctx context.Context, s *session, ph backend.Handle, e pack.Entry, sealed []byte, plain *[]byte) error {
	out, err := r.decodeBlob(ph, e, sealed, (*plain)[:0])
	if err != nil {
		return err
	}
	*plain = out
	enc, bound := r.encoding(BlobType(e.Type), out)
	_, err = s.add(ctx, BlobHandle{Type: BlobType(e.Type), ID: e.ID}, enc, bound)
	return err
}
