package pack

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

type testBlob struct {
	t    BlobType
	data []byte
	ulen uint32
}

func buildPack(t testing.TB, key *crypto.Key, blobs []testBlob) *Finished {
	t.Helper()
	w := NewWriter(key, nil)
	for i, b := range blobs {
		if i%2 == 1 { // encoded and sealed in the pack's buffer
			n, err := w.AddEncoded(b.t, sha256.Sum256(b.data), func(dst []byte) ([]byte, uint32) {
				return append(dst, b.data...), b.ulen
			})
			if err != nil || n != len(b.data)+crypto.Extension {
				t.Fatalf("AddEncoded: %d, %v", n, err)
			}
			continue
		}
		if err := w.AddSealed(b.t, sha256.Sum256(b.data), key.Seal(nil, b.data), b.ulen); err != nil {
			t.Fatal(err)
		}
	}
	size := w.Size()
	f, err := w.Finalize()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Data) != size || int64(size) != FileSize(f.Entries) {
		t.Fatalf("pack has %d bytes, Size said %d, FileSize %d", len(f.Data), size, FileSize(f.Entries))
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	key, _ := crypto.NewRandomKey()
	rng := rand.New(rand.NewPCG(1, 2))
	var blobs []testBlob
	for i := range 40 { // more than eagerEntries, to force a second read
		data := make([]byte, rng.IntN(3000))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		b := testBlob{t: BlobType(i % 2), data: data}
		if i%3 == 0 {
			b.ulen = uint32(len(data) + 100)
		}
		blobs = append(blobs, b)
	}
	f := buildPack(t, key, blobs)
	if f.ID != sha256.Sum256(f.Data) {
		t.Fatal("pack id is not the SHA-256 of its bytes")
	}
	entries, hsize, err := ReadHeader(key, bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil {
		t.Fatal(err)
	}
	if hsize != HeaderSize(entries)+crypto.Extension+4 {
		t.Fatalf("header size %d", hsize)
	}
	if len(entries) != len(blobs) {
		t.Fatalf("%d entries, want %d", len(entries), len(blobs))
	}
	for i, e := range entries {
		if e != f.Entries[i] {
			t.Fatalf("entry %d: %+v != %+v", i, e, f.Entries[i])
		}
		pt, err := key.Open(nil, f.Data[e.Offset:e.Offset+e.Length])
		if err != nil || !bytes.Equal(pt, blobs[i].data) || e.Type != blobs[i].t || e.UncompressedLength != blobs[i].ulen {
			t.Fatalf("blob %d does not round-trip: %v", i, err)
		}
	}
}

func TestMerge(t *testing.T) {
	key, _ := crypto.NewRandomKey()
	a := NewWriter(key, nil)
	b := NewWriter(key, nil)
	for i, w := range []*Writer{a, b, a} {
		d := []byte{byte(i)}
		_ = w.AddSealed(DataBlob, sha256.Sum256(d), key.Seal(nil, d), 0)
	}
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	f, err := a.Finalize()
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := ReadHeader(key, bytes.NewReader(f.Data), int64(len(f.Data)))
	if err != nil || len(entries) != 3 || f.ID != sha256.Sum256(f.Data) {
		t.Fatalf("merged pack: %d entries, %v", len(entries), err)
	}
	if _, err := a.Finalize(); !errors.Is(err, ErrFinalized) {
		t.Fatal("finalized twice")
	}
}

func TestInvalid(t *testing.T) {
	key, _ := crypto.NewRandomKey()
	f := buildPack(t, key, []testBlob{{t: DataBlob, data: []byte("hello")}, {t: TreeBlob, data: []byte("{}")}})
	good := f.Data
	check := func(name string, data []byte, want error) {
		t.Helper()
		_, _, err := ReadHeader(key, bytes.NewReader(data), int64(len(data)))
		if !errors.Is(err, want) {
			t.Errorf("%s: got %v, want %v", name, err, want)
		}
	}
	check("truncated front", good[1:], ErrInvalid)
	check("truncated tail", good[:len(good)-1], ErrInvalid)
	check("tiny", good[:10], ErrInvalid)
	flip := bytes.Clone(good)
	flip[len(flip)-10] ^= 1
	check("header bit flip", flip, crypto.ErrUnauthenticated)
	huge := bytes.Clone(good)
	huge[len(huge)-1] = 0x7f
	check("header length too big", huge, ErrInvalid)
	other, _ := crypto.NewRandomKey()
	_, _, err := ReadHeader(other, bytes.NewReader(good), int64(len(good)))
	if !errors.Is(err, crypto.ErrUnauthenticated) {
		t.Errorf("other key: %v", err)
	}
	if _, err := NewWriter(key, nil).Finalize(); err == nil {
		t.Error("empty pack finalized")
	}
}

func TestParseEntries(t *testing.T) {
	var id [32]byte
	e := func(tb byte, l uint32, ul uint32) []byte {
		b := []byte{tb, byte(l), byte(l >> 8), byte(l >> 16), byte(l >> 24)}
		if tb >= 2 {
			b = append(b, byte(ul), byte(ul>>8), byte(ul>>16), byte(ul>>24))
		}
		return append(b, id[:]...)
	}
	cases := []struct {
		name string
		hdr  []byte
		size int64
		ok   bool
	}{
		{"data", e(0, 40, 0), 40, true},
		{"compressed tree", e(3, 40, 99), 40, true},
		{"two", append(e(1, 32, 0), e(2, 50, 1)...), 82, true},
		{"bad type", e(4, 40, 0), 40, false},
		{"short", e(0, 40, 0)[:36], 40, false},
		{"zero ulen", e(2, 40, 0), 40, false},
		{"length below overhead", e(0, 31, 0), 31, false},
		{"gap before header", e(0, 40, 0), 41, false},
		{"past header", e(0, 40, 0), 39, false},
		{"empty", nil, 0, false},
	}
	for _, c := range cases {
		_, err := parseEntries(c.hdr, c.size)
		if (err == nil) != c.ok {
			t.Errorf("%s: err=%v", c.name, err)
		}
	}
}
