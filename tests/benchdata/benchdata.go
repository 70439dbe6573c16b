// Package benchdata generates the benchmarks' test data from fixed seeds:
// incompressible bytes, compressible log-like text, and files of either.
package benchdata

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile writes size bytes of src to the file name, making its folder.
func WriteFile(name string, size int64, src io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.CopyN(w, src, size); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// RandomReader yields incompressible bytes from a ChaCha8 stream keyed by
// seed (little-endian in the key's first 8 bytes, the rest zero).
func RandomReader(seed uint64) io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:8], seed)
	return rand.NewChaCha8(key)
}

var words = strings.Fields(`GET POST PUT DELETE /api/v1/namespaces /healthz /metrics /var/log/nginx access
	error warning info debug request response latency status upstream client server timeout connection
	backup restore snapshot volume pod node cluster kubernetes temporal workflow activity repository
	index pack blob tree chunk encrypt compress upload download retry heartbeat 200 201 204 301 404 500`)

// TextReader yields log-like lines built from a fixed vocabulary: text that
// zstd compresses about 3-5x, like real logs. The stream never ends.
func TextReader(seed uint64) io.Reader {
	return &textReader{rng: rand.New(rand.NewPCG(seed, 42))}
}

type textReader struct {
	rng  *rand.Rand
	line int
	buf  []byte // the rest of the current line
}

func (t *textReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(t.buf) == 0 {
			t.buf = t.next(t.buf[:0])
		}
		c := copy(p[n:], t.buf)
		t.buf = t.buf[c:]
		n += c
	}
	return n, nil
}

// next appends the next line to b.
func (t *textReader) next(b []byte) []byte {
	rng, line := t.rng, t.line
	t.line++
	b = fmt.Appendf(b, "2026-11-%02d %02d:%02d:%02d.%06d 10.%d.%d.%d ", 1+line%28, line%24, line%60,
		rng.IntN(60), rng.IntN(1e6), rng.IntN(256), rng.IntN(256), rng.IntN(256))
	for n := 5 + rng.IntN(12); n > 0; n-- {
		b = append(b, words[rng.IntN(len(words))]...)
		b = append(b, ' ')
	}
	return fmt.Appendf(b, "id=%x bytes=%d\n", rng.Uint32(), rng.IntN(1<<20))
}
