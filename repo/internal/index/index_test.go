package index

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo/internal/pack"
)

func testID(i int) [32]byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	return sha256.Sum256(b[:])
}

func TestFileRoundTrip(t *testing.T) {
	f := &File{Packs: []Pack{
		{ID: testID(1), Blobs: []pack.Entry{
			{Type: pack.DataBlob, ID: testID(2), Offset: 0, Length: 100},
			{Type: pack.TreeBlob, ID: testID(3), Offset: 100, Length: 50, UncompressedLength: 300},
		}},
		{ID: testID(4), Blobs: []pack.Entry{}},
	}}
	b, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("supersedes")) || bytes.Count(b, []byte("uncompressed_length")) != 1 {
		t.Fatalf("unexpected encoding: %s", b)
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Packs) != 2 || g.Packs[0].ID != f.Packs[0].ID || len(g.Packs[0].Blobs) != 2 || g.Packs[0].Blobs[1] != f.Packs[0].Blobs[1] {
		t.Fatalf("round trip changed the index: %+v", g)
	}
}

func TestDecodeRestic(t *testing.T) {
	// The example from restic's design document, with supersedes.
	doc := `{
  "supersedes": ["ed54ae36197f4745ebc4b54d10e0f623eaaaedd03013eb7ae90df881b7781452"],
  "packs": [{"id": "73d04e6125cf3c28a299cc2f3cca3b78ceac396e4fcf9575e34536b26782413c",
      "blobs": [
        {"id": "3ec79977ef0cf5de7b08cd12b874cd0f62bbaf7f07f3497a5b1bbcc8cb39b1ce", "type": "data", "offset": 0, "length": 38, "uncompressed_length": 511},
        {"id": "9ccb846e60d90d4eb915848add7aa7ea1e4bbabfc60e573db9f7bfb2789afbae", "type": "tree", "offset": 38, "length": 112, "future": 1}
      ]}], "packs_to_delete": []}`
	f, err := Decode([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Supersedes) != 1 || len(f.Packs[0].Blobs) != 2 || f.Packs[0].Blobs[0].UncompressedLength != 511 || f.Packs[0].Blobs[1].Type != pack.TreeBlob {
		t.Fatalf("decoded %+v", f)
	}
	for _, bad := range []string{
		`{"packs":[{"id":"xx","blobs":[]}]}`,
		strings.Replace(doc, `"tree"`, `"bogus"`, 1),
		strings.Replace(doc, `"length": 38`, `"length": 3`, 1),
		strings.Replace(doc, `"offset": 38`, `"offset": 4294967295`, 1),
		`[]`,
		`{"packs":`,
	} {
		if _, err := Decode([]byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("accepted %q: %v", bad, err)
		}
	}
}

func TestMaster(t *testing.T) {
	m := NewMaster()
	const packs, perPack = 300, 50
	for p := range packs {
		blobs := make([]pack.Entry, perPack)
		for i := range blobs {
			blobs[i] = pack.Entry{Type: pack.BlobType(i % 2), ID: testID(p*perPack + i), Offset: uint32(i * 100), Length: 100, UncompressedLength: uint32(i)}
		}
		m.AddPack(testID(-p-1), blobs)
		if p == 7 {
			m.AddPack(testID(-p-1), blobs) // the same pack listed twice
		}
	}
	if m.Len() != packs*perPack || m.PackCount() != packs {
		t.Fatalf("len %d packs %d", m.Len(), m.PackCount())
	}
	for i := range packs * perPack {
		tp := pack.BlobType(i % perPack % 2)
		loc, ok := m.Lookup(tp, testID(i))
		if !ok || loc.Pack != testID(-i/perPack-1) || loc.Offset != uint32(i%perPack*100) || loc.Type != tp || loc.UncompressedLength != uint32(i%perPack) {
			t.Fatalf("blob %d: %v %+v", i, ok, loc)
		}
		if m.Has(1-tp, testID(i)) {
			t.Fatalf("blob %d found with the wrong type", i)
		}
	}
	if m.Has(pack.DataBlob, testID(-1)) {
		t.Fatal("found a missing blob")
	}
	// the same blob in a second pack
	m.AddPack(testID(99999), []pack.Entry{{Type: pack.DataBlob, ID: testID(0), Length: 40}})
	if locs := m.LookupAll(pack.DataBlob, testID(0)); len(locs) != 2 {
		t.Fatalf("%d locations, want 2", len(locs))
	}
	n := 0
	m.Each(func(Location) bool { n++; return true })
	if n != m.Len() {
		t.Fatalf("Each visited %d of %d", n, m.Len())
	}
}

// TestMasterMemory checks the per-blob memory budget (restic needs about
// 58-72 bytes per blob).
func TestMasterMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a million entries")
	}
	const n = 1 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := NewMaster()
	blobs := make([]pack.Entry, 1000)
	for p := range n / len(blobs) {
		for i := range blobs {
			blobs[i] = pack.Entry{ID: testID(p*len(blobs) + i), Length: 100}
		}
		m.AddPack(testID(-p-1), blobs)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := float64(after.HeapAlloc-before.HeapAlloc) / float64(m.Len())
	t.Logf("%.1f bytes per blob", per)
	if per > 64 {
		t.Errorf("%.1f bytes per blob, budget 64", per)
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(blobs)
}

func BenchmarkMasterLookup(b *testing.B) {
	m := NewMaster()
	blobs := make([]pack.Entry, 100000)
	for i := range blobs {
		blobs[i] = pack.Entry{ID: testID(i), Length: 100}
	}
	m.AddPack(testID(-1), blobs)
	i := 0
	for b.Loop() {
		m.Has(pack.DataBlob, blobs[i%len(blobs)].ID)
		i++
	}
}
