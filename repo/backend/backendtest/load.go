package backendtest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// testLoadRange reads parts of a file by offset and length.
func testLoadRange(t *testing.T, be backend.Backend) {
	data := randomData(500, 100_000)
	n := int64(len(data))
	h := save(t, be, backend.PackFile, data)
	cases := []struct{ offset, length int64 }{
		{0, 0}, {0, 1}, {0, n}, {1, 0}, {7, 13}, {4096, 4096},
		{n - 1, 1}, {n - 1, 0}, {n - 100, 100}, {n / 2, 0},
		{n, 0}, // at the end: nothing left to read, but no error
	}
	for _, c := range cases {
		got := load(t, be, h, c.offset, c.length)
		want := data[c.offset:]
		if c.length > 0 {
			want = want[:c.length]
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Load(%v, offset %d, length %d) returned %d bytes, want %d (contents differ: %v)",
				h, c.offset, c.length, len(got), len(want), len(got) == len(want))
		}
	}
}

// testLoadOutOfRange asks for bytes the file does not have: the backend must
// fail, either at Load or while reading, rather than return fewer bytes.
func testLoadOutOfRange(t *testing.T, be backend.Backend) {
	data := randomData(600, 1000)
	n := int64(len(data))
	h := save(t, be, backend.IndexFile, data)
	cases := []struct{ offset, length int64 }{
		{0, n + 1},    // one byte too long
		{n - 10, 20},  // runs past the end
		{n, 1},        // starts at the end
		{n + 1, 0},    // starts past the end
		{n + 500, 10}, // far past the end
		{-1, 0},       // negative offset
		{0, -1},       // negative length
	}
	for _, c := range cases {
		if err := loadErr(t.Context(), be, h, c.offset, c.length); err == nil {
			t.Errorf("Load(%v, offset %d, length %d) of a %d-byte file succeeded, want an error",
				h, c.offset, c.length, n)
		} else if backend.IsNotExist(err) {
			t.Errorf("Load(%v, offset %d, length %d) = %v, want an error other than ErrNotExist",
				h, c.offset, c.length, err)
		}
	}
}

// loadErr loads and reads a range and returns the first error of either step.
func loadErr(ctx context.Context, be backend.Backend, h backend.Handle, offset, length int64) error {
	rd, err := be.Load(ctx, h, offset, length)
	if err != nil {
		return err
	}
	defer rd.Close()
	_, err = io.ReadAll(rd)
	return err
}
