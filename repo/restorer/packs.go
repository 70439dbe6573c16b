package restorer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// maxGap is the largest run of unneeded pack bytes read through rather
// than starting a new request.
const maxGap = 1 << 20

// restorePacks runs Connections workers over the pack jobs, in the order
// the files need them but spread over files (see spreadPacks).
func (rs *restorer) restorePacks(ctx context.Context) error {
	rs.packs = spreadPacks(rs.packs, rs.opts.Connections)
	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan *packJob)
	g.Go(func() error {
		defer close(jobs)
		for _, pj := range rs.packs {
			select {
			case jobs <- pj:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	for range rs.opts.Connections {
		g.Go(func() error {
			w := &worker{rs: rs}
			for pj := range jobs {
				if err := w.pack(ctx, pj); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

// spreadPacks reorders pack jobs, each grouped under the first file it
// writes to and kept in order within its group, by taking one pack in
// turn from each of up to width groups (the next group joins when one is
// done). Workers then write to different files at once where there are
// several: buffered writes to one file serialize on its inode lock
// (measured: a restore of two 1 GiB files 8% faster than in file order).
// The width bounds how many files are open half-written.
func spreadPacks(packs []*packJob, width int) []*packJob {
	var groups [][]*packJob
	group := make(map[*file]int)
	for _, pj := range packs {
		f := pj.blobs[0].targets[0].file
		i, ok := group[f]
		if !ok {
			i = len(groups)
			group[f] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], pj)
	}
	out := make([]*packJob, 0, len(packs))
	var active [][]*packJob
	for len(out) < len(packs) {
		for len(active) < width && len(groups) > 0 {
			active, groups = append(active, groups[0]), groups[1:]
		}
		for i := 0; i < len(active); {
			out = append(out, active[i][0])
			if active[i] = active[i][1:]; len(active[i]) == 0 {
				active = slices.Delete(active, i, i+1)
			} else {
				i++
			}
		}
	}
	return out
}

// worker reads, decodes and writes blobs with its own buffers.
type worker struct {
	rs     *restorer
	sealed []byte
	plain  []byte
}

// pack restores every blob needed from one pack, reading it in ranges.
func (w *worker) pack(ctx context.Context, pj *packJob) error {
	slices.SortFunc(pj.blobs, func(a, b *blobRef) int { return int(a.loc.Offset) - int(b.loc.Offset) })
	for start := 0; start < len(pj.blobs); {
		end := start + 1
		for end < len(pj.blobs) && int64(pj.blobs[end].loc.Offset)-blobEnd(pj.blobs[end-1]) <= maxGap {
			end++
		}
		if err := w.packRange(ctx, pj.id, pj.blobs[start:end]); err != nil {
			return err
		}
		start = end
	}
	return nil
}

func blobEnd(b *blobRef) int64 { return int64(b.loc.Offset) + int64(b.loc.Length) }

// packRange reads blobs (sorted, close together) with one request.
func (w *worker) packRange(ctx context.Context, pack repo.ID, blobs []*blobRef) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	h := backend.Handle{Type: backend.PackFile, Name: pack.String()}
	first := int64(blobs[0].loc.Offset)
	rd, err := w.rs.repo.Backend().Load(ctx, h, first, blobEnd(blobs[len(blobs)-1])-first)
	if err != nil {
		return w.fallback(ctx, blobs, err)
	}
	defer rd.Close()
	pos := first
	for i, b := range blobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if gap := int64(b.loc.Offset) - pos; gap > 0 {
			if _, err := io.CopyN(io.Discard, rd, gap); err != nil {
				return w.fallback(ctx, blobs[i:], fmt.Errorf("reading %v: %w", h, err))
			}
		}
		if cap(w.sealed) < int(b.loc.Length) {
			w.sealed = make([]byte, b.loc.Length)
		}
		sealed := w.sealed[:b.loc.Length]
		if _, err := io.ReadFull(rd, sealed); err != nil {
			return w.fallback(ctx, blobs[i:], fmt.Errorf("reading %v: %w", h, err))
		}
		pos = blobEnd(b)
		plain, err := w.rs.repo.DecodeBlob(repo.DataBlob, b.id, b.loc, sealed, w.plain)
		if err != nil {
			if err := w.fallback(ctx, blobs[i:i+1], err); err != nil {
				return err
			}
			continue
		}
		if b.loc.UncompressedLength != 0 && cap(plain) > cap(w.plain) {
			w.plain = plain[:0]
		}
		if err := w.write(b, plain); err != nil {
			return err
		}
	}
	return nil
}

// fallback loads blobs through LoadBlob, which tries every indexed copy,
// after reading them from their first pack failed with cause.
func (w *worker) fallback(ctx context.Context, blobs []*blobRef, cause error) error {
	for _, b := range blobs {
		plain, err := w.rs.repo.LoadBlob(ctx, repo.DataBlob, b.id, w.plain)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(cause, repo.ErrInvalidData) {
				return fmt.Errorf("restoring %s: %w", b.files(), err) // err repeats cause
			}
			return fmt.Errorf("restoring %s: %w; retrying: %w", b.files(), cause, err)
		}
		w.plain = plain[:0]
		if err := w.write(b, plain); err != nil {
			return err
		}
	}
	return nil
}

// files names the files a blob belongs to, for errors.
func (b *blobRef) files() string {
	s := b.targets[0].file.path
	if n := len(b.targets) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more places)", n)
	}
	return s
}
