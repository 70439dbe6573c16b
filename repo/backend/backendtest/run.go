package backendtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Run runs every check of the suite as a subtest of t. Each subtest gets a
// fresh, empty backend from newBackend and closes it when it ends;
// newBackend registers any other cleanup on the t it is given.
func Run(t *testing.T, newBackend func(t *testing.T) backend.Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, be backend.Backend)
	}{
		{"Location", testLocation},
		{"RoundTrip", testRoundTrip},
		{"LoadRange", testLoadRange},
		{"LoadOutOfRange", testLoadOutOfRange},
		{"Stat", testStat},
		{"List", testList},
		{"ListStopsAtError", testListStopsAtError},
		{"Overwrite", testOverwrite},
		{"Remove", testRemove},
		{"Missing", testMissing},
		{"Config", testConfig},
		{"ConcurrentSave", testConcurrentSave},
		{"ConcurrentOverwrite", testConcurrentOverwrite},
		{"CancelledContext", testCancelledContext},
		{"InvalidHandle", testInvalidHandle},
		{"InvalidListType", testInvalidListType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			be := newBackend(t)
			t.Cleanup(func() {
				if err := be.Close(); err != nil {
					t.Errorf("closing %s: %v", be.Location(), err)
				}
			})
			tc.fn(t, be)
		})
	}
}

// randomData returns n pseudo-random bytes that depend only on seed.
func randomData(seed uint64, n int) []byte {
	buf := make([]byte, n)
	_, _ = rand.NewChaCha8(seedBytes(seed)).Read(buf)
	return buf
}

func seedBytes(seed uint64) [32]byte {
	var s [32]byte
	for i := range 8 {
		s[i] = byte(seed >> (8 * i))
	}
	return s
}

// nameOf returns the storage name restic would give data: its hex SHA-256.
func nameOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// save stores data under its own hash as type ft and returns the handle.
func save(t *testing.T, be backend.Backend, ft backend.FileType, data []byte) backend.Handle {
	t.Helper()
	h := backend.Handle{Type: ft, Name: nameOf(data)}
	if err := be.Save(context.Background(), h, data); err != nil {
		t.Fatalf("saving %v (%d bytes) to %s: %v", h, len(data), be.Location(), err)
	}
	return h
}

// load reads the range of h and fails the test on any error.
func load(t *testing.T, be backend.Backend, h backend.Handle, offset, length int64) []byte {
	t.Helper()
	rd, err := be.Load(context.Background(), h, offset, length)
	if err != nil {
		t.Fatalf("loading %v at %d+%d: %v", h, offset, length, err)
	}
	buf, err := io.ReadAll(rd)
	if cerr := rd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("reading %v at %d+%d: %v", h, offset, length, err)
	}
	return buf
}

// wantContent fails the test unless h holds exactly want.
func wantContent(t *testing.T, be backend.Backend, h backend.Handle, want []byte) {
	t.Helper()
	got := load(t, be, h, 0, 0)
	if !bytes.Equal(got, want) {
		t.Fatalf("%v holds %d bytes (sha256 %.12s), want %d bytes (sha256 %.12s)",
			h, len(got), nameOf(got), len(want), nameOf(want))
	}
}

// listAll returns the files List reports for ft, by name.
func listAll(t *testing.T, be backend.Backend, ft backend.FileType) map[string]int64 {
	t.Helper()
	files := make(map[string]int64)
	err := be.List(context.Background(), ft, func(fi backend.FileInfo) error {
		if _, dup := files[fi.Name]; dup {
			t.Errorf("List(%s) reported %q twice", ft, fi.Name)
		}
		files[fi.Name] = fi.Size
		return nil
	})
	if err != nil {
		t.Fatalf("listing %s: %v", ft, err)
	}
	return files
}
