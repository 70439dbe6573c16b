package pack

import (
	"bytes"
	"testing"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// fuzzKey is fixed so that the seed corpus stays valid across runs.
var fuzzKey = func() *crypto.Key {
	b := make([]byte, 64)
	for i := range b {
		b[i] = byte(i + 1)
	}
	k, err := crypto.KeyFromBytes(b)
	if err != nil {
		panic(err)
	}
	return k
}()

// FuzzReadHeader feeds whole pack files to the reader.
func FuzzReadHeader(f *testing.F) {
	for _, blobs := range [][]testBlob{
		{{t: DataBlob, data: []byte("hello")}},
		{{t: TreeBlob, data: []byte(`{"nodes":[]}`), ulen: 13}, {t: DataBlob, data: nil}},
	} {
		f.Add(buildPack(f, fuzzKey, blobs).Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, hsize, err := ReadHeader(fuzzKey, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if FileSize(entries) != int64(len(data)) || hsize > len(data) {
			t.Fatalf("accepted a pack whose entries do not add up: %d vs %d", FileSize(entries), len(data))
		}
	})
}

// FuzzParseEntries feeds plaintext headers to the entry parser, which the
// MAC otherwise shields from the fuzzer.
func FuzzParseEntries(f *testing.F) {
	w := NewWriter(fuzzKey, nil)
	_ = w.AddSealed(DataBlob, [32]byte{1}, make([]byte, 40), 0)
	_ = w.AddSealed(TreeBlob, [32]byte{2}, make([]byte, 50), 77)
	var hdr []byte
	for _, e := range w.Entries() {
		hdr = appendEntry(hdr, e)
	}
	f.Add(hdr, int64(90))
	f.Add([]byte{2, 0, 0, 0, 0}, int64(0))
	f.Fuzz(func(t *testing.T, hdr []byte, size int64) {
		entries, err := parseEntries(hdr, size)
		if err != nil {
			return
		}
		var out []byte
		var end int64
		for _, e := range entries {
			out = appendEntry(out, e)
			end = int64(e.Offset) + int64(e.Length)
		}
		if !bytes.Equal(out, hdr) || end != size {
			t.Fatalf("accepted header does not re-encode to itself")
		}
	})
}
