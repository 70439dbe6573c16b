package index

import (
	"testing"
)

// FuzzDecode feeds index files to the decoder; whatever it accepts must
// re-encode and decode to the same packs.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"packs":[{"id":"73d04e6125cf3c28a299cc2f3cca3b78ceac396e4fcf9575e34536b26782413c","blobs":[{"id":"3ec79977ef0cf5de7b08cd12b874cd0f62bbaf7f07f3497a5b1bbcc8cb39b1ce","type":"data","offset":0,"length":38,"uncompressed_length":511}]}]}`))
	f.Add([]byte(`{"supersedes":["ed54ae36197f4745ebc4b54d10e0f623eaaaedd03013eb7ae90df881b7781452"],"packs":[]}`))
	f.Add([]byte(`{"packs":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := Decode(data)
		if err != nil {
			return
		}
		b, err := idx.Encode()
		if err != nil {
			t.Fatalf("accepted index does not encode: %v", err)
		}
		again, err := Decode(b)
		if err != nil {
			t.Fatalf("re-encoded index does not decode: %v", err)
		}
		if len(again.Packs) != len(idx.Packs) {
			t.Fatal("pack count changed")
		}
		m := NewMaster()
		for i, p := range idx.Packs {
			m.AddPack(p.ID, p.Blobs)
			for k, b := range p.Blobs {
				if again.Packs[i].Blobs[k] != b {
					t.Fatalf("blob changed: %+v != %+v", again.Packs[i].Blobs[k], b)
				}
				if !m.Has(b.Type, b.ID) {
					t.Fatal("blob missing from master index")
				}
			}
		}
	})
}
