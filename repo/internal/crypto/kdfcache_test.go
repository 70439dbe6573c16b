package crypto

import (
	"bytes"
	"testing"
)

// TestDeriveKeyCache derives the same key twice (the second time from the
// cache, far faster) and a different one for another password or salt.
func TestDeriveKeyCache(t *testing.T) {
	p := KDFParams{N: 1 << 14, R: 8, P: 4}
	salt, err := NewSalt()
	if err != nil {
		t.Fatal(err)
	}
	k1, err := DeriveKey("secret", salt, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := kdfCacheGet(kdfCacheKey("secret", salt, p)); !ok {
		t.Error("the derivation was not cached")
	}
	k2, err := DeriveKey("secret", salt, p)
	if err != nil {
		t.Fatal(err)
	}
	if k1.encrypt != k2.encrypt || k1.macK != k2.macK || k1.macR != k2.macR {
		t.Fatal("cached key differs")
	}
	other, err := DeriveKey("Secret", salt, p)
	if err != nil {
		t.Fatal(err)
	}
	salt2 := bytes.Clone(salt)
	salt2[0] ^= 1
	other2, err := DeriveKey("secret", salt2, p)
	if err != nil {
		t.Fatal(err)
	}
	if other.encrypt == k1.encrypt || other2.encrypt == k1.encrypt {
		t.Error("another password or salt gave the same key")
	}
}
