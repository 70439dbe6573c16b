package repo

import (
	"crypto/sha256"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// streamDecoders are zstd decoders for verifyBlob, one per verifier at a
// time: a streaming decoder holds only its window, not the whole blob.
var streamDecoders = sync.Pool{New: func() any {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<32))
	if err != nil {
		panic(fmt.Sprintf("creating a zstd decoder: %v", err)) // only fails on bad options
	}
	return d
}}

// verifyBlob checks a stored blob as decodeBlob does (MAC, decompression,
// length, SHA-256) without changing sealed and without holding its
// plaintext: it is decrypted, decompressed and hashed as a stream.
func (r *Repository) verifyBlob(h backend.Handle, e pack.Entry, sealed []byte) error {
	what := func() string { return fmt.Sprintf("%v blob %v in %v", e.Type, ID(e.ID).Str(), h) }
	plain, err := r.key.OpenReader(sealed)
	if err != nil {
		return fmt.Errorf("%w: decrypting %s: %w", ErrInvalidData, what(), err)
	}
	hash := sha256.New()
	if !e.Compressed() {
		_, _ = io.Copy(hash, plain)
	} else if err := decompressTo(hash, plain, e, r.cfg.Version); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInvalidData, what(), err)
	}
	if got := ID(hash.Sum(nil)); got != e.ID {
		return fmt.Errorf("%w: %s hashes to %v", ErrInvalidData, what(), got.Str())
	}
	return nil
}

// decompressTo writes the decompressed stream to w and checks its length.
func decompressTo(w io.Writer, compressed io.Reader, e pack.Entry, version uint) error {
	if version < 2 {
		return fmt.Errorf("it is compressed in a version 1 repository")
	}
	d := streamDecoders.Get().(*zstd.Decoder)
	defer streamDecoders.Put(d)
	if err := d.Reset(compressed); err != nil {
		return fmt.Errorf("decompressing: %w", err)
	}
	n, err := io.Copy(w, d)
	if err != nil {
		return fmt.Errorf("decompressing: %w", err)
	}
	if n != int64(e.UncompressedLength) {
		return fmt.Errorf("it decompresses to %d bytes, the index says %d", n, e.UncompressedLength)
	}
	return nil
}
