package repo_test

import (
	"context"
	"encoding/binary"
	"sync/atomic"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/mem"
)

// discardPacks drops pack uploads, so the benchmark measures Cairn, not
// the in-memory backend's copies.
type discardPacks struct{ backend.Backend }

func (d discardPacks) Save(ctx context.Context, h backend.Handle, data []byte) error {
	if h.Type == backend.PackFile {
		return nil
	}
	return d.Backend.Save(ctx, h, data)
}

// BenchmarkSaveBlob measures the write path (hash, compress, seal, pack,
// upload to memory) on 1 MiB blobs, with two saving goroutines.
func BenchmarkSaveBlob(b *testing.B) {
	for _, tc := range []struct {
		name string
		data func(i int) []byte
	}{
		{"random", func(i int) []byte { return randomBytes(uint64(i), 1<<20) }},
		{"text", func(i int) []byte {
			d := compressible(1 << 20)
			d[0], d[1], d[2] = byte(i), byte(i>>8), byte(i>>16)
			return d
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r, err := repo.Init(b.Context(), discardPacks{mem.New()}, "pw",
				repo.Options{KDF: repo.TestKDFParams})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			blobs := make([][]byte, 64)
			for i := range blobs {
				blobs[i] = tc.data(i)
			}
			b.SetBytes(1 << 20)
			b.ResetTimer()
			b.SetParallelism(1)
			var next atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				d := make([]byte, 1<<20)
				for pb.Next() {
					n := next.Add(1)
					copy(d, blobs[n%int64(len(blobs))])
					// distinct content per iteration
					binary.LittleEndian.PutUint64(d[100:], uint64(n))
					if _, _, err := r.SaveBlob(b.Context(), repo.DataBlob, d, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
			if err := r.Flush(b.Context()); err != nil {
				b.Fatal(err)
			}
		})
	}
}
