package crypto

import (
	"bytes"
	"testing"
	"time"
)

// TestDeriveKeyCache derives the same key twice (the second time from the
// cache, far faster) and a different one for another password or salt.
func TestDeriveKeyCache(t *testing.T) {
	p := KDFParams{N: 1 << 14, R: 8, P: 4}
	salt, err := NewSalt()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	k1, err := DeriveKey("secret", salt, p)
	if err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	start = time.Now()
	k2, err := DeriveKey("secret", salt, p)
	if err != nil {
		t.Fatal(err)
	}
	if again := time.Since(start); again > first/4 {
		t.Errorf("second derivation took %v, the first %v: not cached", again, first)
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
