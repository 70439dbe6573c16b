package archive

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// PackLoader is what Prefetch needs to read many blobs a pack at a time;
// *repo.Repository implements it.
type PackLoader interface {
	LookupBlob(t repo.BlobType, id repo.ID) []repo.BlobLocation
	DecodeBlob(t repo.BlobType, id repo.ID, loc repo.BlobLocation, sealed, buf []byte) ([]byte, error)
	Backend() backend.Backend
}

type want struct {
	id  repo.ID
	loc repo.BlobLocation
}

// maxGap is the most unwanted bytes Prefetch reads to join two blobs of a
// pack into one request.
const maxGap = 256 << 10

func end(l repo.BlobLocation) int64 { return int64(l.Offset) + int64(l.Length) }

// readRun reads blobs ws, sorted by offset, of one pack with one request.
func (r *Reader) readRun(ctx context.Context, pl PackLoader, pack repo.ID, ws []want, out Blobs) error {
	start := int64(ws[0].loc.Offset)
	rd, err := pl.Backend().Load(ctx, backend.Handle{Type: backend.PackFile, Name: pack.String()}, start, end(ws[len(ws)-1].loc)-start)
	if err != nil {
		return fmt.Errorf("reading pack %s: %w", pack.Str(), err)
	}
	data, err := io.ReadAll(rd)
	_ = rd.Close()
	if err != nil {
		return fmt.Errorf("reading pack %s: %w", pack.Str(), err)
	}
	for _, w := range ws {
		off := int64(w.loc.Offset) - start
		plain, err := pl.DecodeBlob(repo.DataBlob, w.id, w.loc, data[off:off+int64(w.loc.Length)], nil)
		if err != nil {
			return err
		}
		out[w.id] = slices.Clone(plain)
	}
	return nil
}

// Blobs holds prefetched plaintext blobs.
type Blobs map[repo.ID][]byte

// Prefetch loads the blobs of items with one ranged read per pack instead of
// one per blob, when the repository supports it (otherwise it returns an
// empty set and ReadItemFrom falls back to LoadBlob). Memory grows with the
// items' total size; callers prefetch in batches.
func (r *Reader) Prefetch(ctx context.Context, items []ItemRef) (Blobs, error) {
	out := Blobs{}
	pl, ok := r.repo.(PackLoader)
	if !ok {
		return out, nil
	}
	byPack := map[repo.ID][]want{}
	for _, it := range items {
		for _, id := range it.Content {
			if _, dup := out[id]; dup {
				continue
			}
			locs := pl.LookupBlob(repo.DataBlob, id)
			if len(locs) == 0 {
				continue // LoadBlob reports it
			}
			out[id] = nil
			byPack[locs[0].Pack] = append(byPack[locs[0].Pack], want{id, locs[0]})
		}
	}
	for pack, ws := range byPack {
		slices.SortFunc(ws, func(a, b want) int { return int(a.loc.Offset) - int(b.loc.Offset) })
		// One read per run of blobs with gaps under maxGap between them.
		for len(ws) > 0 {
			n := 1
			for n < len(ws) && int64(ws[n].loc.Offset)-end(ws[n-1].loc) <= maxGap {
				n++
			}
			if err := r.readRun(ctx, pl, pack, ws[:n], out); err != nil {
				return nil, err
			}
			ws = ws[n:]
		}
	}
	return out, nil
}

// ReadItemFrom returns an object's JSON from prefetched blobs, loading any
// blob that is not among them.
func (r *Reader) ReadItemFrom(ctx context.Context, blobs Blobs, it ItemRef) ([]byte, error) {
	out := make([]byte, 0, it.Size)
	for _, id := range it.Content {
		b, ok := blobs[id]
		if !ok || b == nil {
			var err error
			if b, err = r.repo.LoadBlob(ctx, repo.DataBlob, id, nil); err != nil {
				return nil, fmt.Errorf("reading %s %s: %w", it.Resource, qualified(it.Namespace, it.Name), err)
			}
		}
		out = append(out, b...)
	}
	return out, nil
}
