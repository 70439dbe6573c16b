package repo

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// FuzzKeyFile decodes key files and, for cheap parameters, derives the key
// and tries to open them.
func FuzzKeyFile(f *testing.F) {
	master, _ := crypto.NewRandomKey()
	opts := Options{Now: time.Now, Hostname: "h", Username: "u"}
	good, err := encodeKeyFile(master, "pw", crypto.KDFParams(TestKDFParams), opts)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"kdf":"scrypt","N":2,"r":1,"p":1,"salt":"","data":""}`))
	f.Add([]byte(`{"created":"2015-01-01T00:00:00Z","kdf":"pbkdf2"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		kf, err := decodeKeyFile(data)
		if err != nil {
			return
		}
		if kf.KDF != "scrypt" || len(kf.Salt) != crypto.SaltSize || kf.params().Validate() != nil {
			t.Fatalf("accepted an invalid key file: %+v", kf)
		}
		if kf.N*kf.R*kf.P <= 1<<14 {
			_, _ = kf.open("pw")
		}
	})
}

// FuzzConfig decodes config plaintexts.
func FuzzConfig(f *testing.F) {
	f.Add([]byte(`{"version":2,"id":"` + Hash(nil).String() + `","chunker_polynomial":"25b468838dcb75"}`))
	f.Add([]byte(`{"version":1,"id":"x","chunker_polynomial":"3da3358b4dc173"}`))
	f.Add([]byte(`{"version":3,"id":"x","chunker_polynomial":"3da3358b4dc173"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := decodeConfig(data)
		if err != nil {
			return
		}
		if c.Version < MinVersion || c.Version > MaxVersion || !c.ChunkerPolynomial.Irreducible() {
			t.Fatalf("accepted an invalid config: %+v", c)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if c2, err := decodeConfig(b); err != nil || c2 != c {
			t.Fatalf("config does not round-trip: %v", err)
		}
	})
}

// FuzzSnapshot decodes snapshot files.
func FuzzSnapshot(f *testing.F) {
	id := Hash(nil).String()
	f.Add([]byte(`{"time":"2024-01-01T00:00:00.123Z","parent":"` + id + `","tree":"` + id + `","paths":["/"],"hostname":"h","summary":{"files_new":1}}`))
	f.Add([]byte(`{"time":"2024-01-01T00:00:00Z","tree":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sn, err := DecodeSnapshot(data)
		if err != nil {
			return
		}
		b, err := json.Marshal(sn)
		if err != nil {
			return // times outside what encoding/json can write
		}
		sn2, err := DecodeSnapshot(b)
		if err != nil || *sn2.Tree != *sn.Tree || len(sn2.Paths) != len(sn.Paths) {
			t.Fatalf("snapshot does not round-trip: %v", err)
		}
	})
}

// FuzzTree decodes tree blobs; a decoded, sorted tree must re-encode to
// an equivalent tree.
func FuzzTree(f *testing.F) {
	sub := Hash([]byte("s"))
	t0 := &Tree{Nodes: []Node{
		{Name: "a\x01", Type: NodeTypeFile, Mode: 0o644, Content: []ID{sub}, ExtendedAttributes: []ExtendedAttribute{{Name: "user.x", Value: []byte{1}}}},
		{Name: "d", Type: NodeTypeDir, Subtree: &sub},
		{Name: "l", Type: NodeTypeSymlink, LinkTarget: "\xff"},
	}}
	b, err := t0.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"nodes":[{"name":"\\x","type":"file"}]}`))
	f.Add([]byte(`{"nodes":null}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := DecodeTree(data)
		if err != nil || tree.checkOrder() != nil {
			return
		}
		for i := range tree.Nodes {
			tree.Nodes[i].LinkTargetRaw = nil
		}
		enc, err := tree.Encode()
		if err != nil {
			return // e.g. times encoding/json cannot write
		}
		again, err := DecodeTree(enc)
		if err != nil || len(again.Nodes) != len(tree.Nodes) {
			t.Fatalf("tree does not round-trip: %v", err)
		}
		for i := range again.Nodes {
			a, b := again.Nodes[i], tree.Nodes[i]
			if a.Name != b.Name || a.LinkTarget != b.LinkTarget || len(a.Content) != len(b.Content) || (a.Content == nil) != (b.Content == nil) {
				t.Fatalf("node %d changed: %q vs %q", i, a.Name, b.Name)
			}
		}
		enc2, _ := again.Encode()
		if !bytes.Equal(enc, enc2) {
			t.Fatal("encoding is not stable")
		}
	})
}
