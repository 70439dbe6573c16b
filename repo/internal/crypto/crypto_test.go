package crypto

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestSealOpen(t *testing.T) {
	k, err := NewRandomKey()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 15, 16, 17, 1000, 1 << 20} {
		pt := bytes.Repeat([]byte{byte(n)}, n)
		sealed := k.Seal(nil, pt)
		if len(sealed) != n+Extension {
			t.Fatalf("sealed %d bytes into %d", n, len(sealed))
		}
		got, err := k.Open(nil, sealed)
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("open %d bytes: %v", n, err)
		}
		got, err = k.OpenInPlace(bytes.Clone(sealed))
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("open in place %d bytes: %v", n, err)
		}
		if n > 0 {
			bad := bytes.Clone(sealed)
			bad[len(bad)/2] ^= 1
			if _, err := k.Open(nil, bad); !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("modified ciphertext: got %v", err)
			}
		}
	}
	if _, err := k.Open(nil, make([]byte, 31)); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("short input: %v", err)
	}
	other, _ := NewRandomKey()
	if _, err := other.Open(nil, k.Seal(nil, []byte("x"))); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("other key: %v", err)
	}
}

func TestSealAppends(t *testing.T) {
	k, _ := NewRandomKey()
	out := k.Seal([]byte("prefix"), []byte("hello"))
	if string(out[:6]) != "prefix" {
		t.Fatal("prefix lost")
	}
	pt, err := k.Open([]byte("p:"), out[6:])
	if err != nil || string(pt) != "p:hello" {
		t.Fatalf("got %q, %v", pt, err)
	}
}

func TestSealInPlace(t *testing.T) {
	k, _ := NewRandomKey()
	b := append([]byte("prefix"), make([]byte, IVSize)...)
	b = append(b, "hello, in place"...)
	b = k.SealInPlace(b, 6)
	if string(b[:6]) != "prefix" || len(b) != 6+len("hello, in place")+Extension {
		t.Fatalf("sealed %q", b)
	}
	if bytes.Contains(b, []byte("hello")) {
		t.Fatal("plaintext left in the sealed bytes")
	}
	pt, err := k.Open(nil, b[6:])
	if err != nil || string(pt) != "hello, in place" {
		t.Fatalf("got %q, %v", pt, err)
	}
}

func TestKeyJSON(t *testing.T) {
	k, _ := NewRandomKey()
	b, err := json.Marshal(k)
	if err != nil {
		t.Fatal(err)
	}
	var k2 Key
	if err := json.Unmarshal(b, &k2); err != nil {
		t.Fatal(err)
	}
	if !k.Equal(&k2) {
		t.Fatal("key changed in JSON round trip")
	}
	pt, err := k2.Open(nil, k.Seal(nil, []byte("abc")))
	if err != nil || string(pt) != "abc" {
		t.Fatalf("decoded key does not open: %v", err)
	}
	zero := `{"mac":{"k":"AAAAAAAAAAAAAAAAAAAAAA==","r":"AAAAAAAAAAAAAAAAAAAAAA=="},"encrypt":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}`
	if err := json.Unmarshal([]byte(zero), &k2); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("zero key: %v", err)
	}
}

// TestPoly1305AESVector checks the MAC against the first test vector of
// Bernstein's Poly1305-AES paper (k, r, nonce, message f3 f6).
func TestPoly1305AESVector(t *testing.T) {
	k := &Key{}
	copy(k.macK[:], []byte{0xec, 0x07, 0x4c, 0x83, 0x55, 0x80, 0x74, 0x17, 0x01, 0x42, 0x5b, 0x62, 0x32, 0x35, 0xad, 0xd6})
	copy(k.macR[:], []byte{0x85, 0x1f, 0xc4, 0x0c, 0x34, 0x67, 0xac, 0x0b, 0xe0, 0x5c, 0xc2, 0x04, 0x04, 0xf3, 0xf7, 0x00})
	k.encrypt[0] = 1
	if err := k.init(); err != nil {
		t.Fatal(err)
	}
	iv := []byte{0xfb, 0x44, 0x73, 0x50, 0xc4, 0xe8, 0x68, 0xc5, 0x2a, 0xc3, 0x27, 0x5c, 0xf9, 0xd4, 0x32, 0x7e}
	msg := []byte{0xf3, 0xf6}
	want := []byte{0xf4, 0xc6, 0x33, 0xc3, 0x04, 0x4f, 0xc1, 0x45, 0xf8, 0x4f, 0x33, 0x5c, 0xb8, 0x19, 0x53, 0xde}
	sealed := append(append(append([]byte{}, iv...), msg...), want...)
	if err := k.verify(sealed); err != nil {
		t.Fatalf("test vector does not verify: %v", err)
	}
}

func TestDeriveKey(t *testing.T) {
	salt, err := NewSalt()
	if err != nil {
		t.Fatal(err)
	}
	p := KDFParams{N: 1 << 10, R: 8, P: 1}
	a, err := DeriveKey("secret", salt, p)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := DeriveKey("secret", salt, p)
	c, _ := DeriveKey("other", salt, p)
	if !a.Equal(b) || a.Equal(c) {
		t.Fatal("derivation is not a function of the password")
	}
	if _, err := DeriveKey("x", salt[:10], p); err == nil {
		t.Fatal("short salt accepted")
	}
	for _, bad := range []KDFParams{{N: 1000, R: 8, P: 1}, {N: 1, R: 8, P: 1}, {N: 1024, R: 0, P: 1}, {N: 1 << 30, R: 8, P: 1}} {
		if _, err := DeriveKey("x", salt, bad); err == nil {
			t.Fatalf("params %+v accepted", bad)
		}
	}
}

func TestCalibrate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scrypt at full cost")
	}
	p, err := Calibrate(1)
	if err != nil {
		t.Fatal(err)
	}
	if p.N != 1<<15 || p.R != 8 || p.P != 1 {
		t.Fatalf("calibrated %+v", p)
	}
}

func BenchmarkSeal(b *testing.B) {
	k, _ := NewRandomKey()
	pt := make([]byte, 1<<20)
	buf := make([]byte, 0, len(pt)+Extension)
	b.SetBytes(int64(len(pt)))
	for b.Loop() {
		buf = k.Seal(buf[:0], pt)
	}
}

func TestOpenReader(t *testing.T) {
	k, err := NewRandomKey()
	if err != nil {
		t.Fatal(err)
	}
	msg := bytes.Repeat([]byte("cairn reads a stream "), 10000)
	sealed := k.Seal(nil, msg)
	kept := bytes.Clone(sealed)
	rd, err := k.OpenReader(sealed)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(iotest.OneByteReader(rd))
	if err != nil || !bytes.Equal(got, msg) || !bytes.Equal(sealed, kept) {
		t.Fatalf("OpenReader gave %d bytes (%v), sealed changed: %v", len(got), err, !bytes.Equal(sealed, kept))
	}
	sealed[20] ^= 1
	if _, err := k.OpenReader(sealed); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a changed ciphertext opened: %v", err)
	}
}
