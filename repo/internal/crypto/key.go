package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
)

const (
	ivSize  = 16
	macSize = 16

	// Extension is the number of bytes sealing adds to a message.
	Extension = ivSize + macSize
	// IVSize is the length of the IV that starts a sealed message.
	IVSize = ivSize
)

// ErrUnauthenticated is returned by Open when the MAC does not match: the
// data was modified, truncated or sealed with another key (for key files:
// the password is wrong).
var ErrUnauthenticated = errors.New("ciphertext verification failed")

// ErrInvalidKey is returned for keys with a part that is all zeros.
var ErrInvalidKey = errors.New("invalid key: a key part is all zeros")

// Key is a restic master or user key: a 32-byte AES-256 encryption key and a
// Poly1305-AES MAC key made of a 16-byte AES-128 key K and the 16-byte
// Poly1305 value R (stored unclamped). Build keys with NewRandomKey,
// KeyFromBytes, DeriveKey or json.Unmarshal; a Key is safe for concurrent use.
type Key struct {
	encrypt [32]byte
	macK    [16]byte
	macR    [16]byte

	encBlock cipher.Block
	macBlock cipher.Block
}

// NewRandomKey returns a key drawn from crypto/rand.
func NewRandomKey() (*Key, error) {
	var b [64]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("reading random key: %w", err)
	}
	return KeyFromBytes(b[:])
}

// KeyFromBytes builds a key from 64 bytes laid out as restic derives user
// keys: encryption key (32) || MAC K (16) || MAC R (16).
func KeyFromBytes(b []byte) (*Key, error) {
	if len(b) != 64 {
		return nil, fmt.Errorf("key material has %d bytes, want 64", len(b))
	}
	k := &Key{}
	copy(k.encrypt[:], b[:32])
	copy(k.macK[:], b[32:48])
	copy(k.macR[:], b[48:64])
	if err := k.init(); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *Key) init() error {
	if isZero(k.encrypt[:]) || isZero(k.macK[:]) || isZero(k.macR[:]) {
		return ErrInvalidKey
	}
	var err error
	if k.encBlock, err = aes.NewCipher(k.encrypt[:]); err != nil {
		return err
	}
	k.macBlock, err = aes.NewCipher(k.macK[:])
	return err
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Equal reports whether k and o hold the same key material.
func (k *Key) Equal(o *Key) bool {
	return k.encrypt == o.encrypt && k.macK == o.macK && k.macR == o.macR
}

type macJSON struct {
	K []byte `json:"k"`
	R []byte `json:"r"`
}

type keyJSON struct {
	MAC     macJSON `json:"mac"`
	Encrypt []byte  `json:"encrypt"`
}

// MarshalJSON encodes the key as restic stores a master key:
// {"mac":{"k":"<b64>","r":"<b64>"},"encrypt":"<b64>"}.
func (k *Key) MarshalJSON() ([]byte, error) {
	return json.Marshal(keyJSON{MAC: macJSON{K: k.macK[:], R: k.macR[:]}, Encrypt: k.encrypt[:]})
}

// UnmarshalJSON decodes a master key and checks its part sizes and validity.
func (k *Key) UnmarshalJSON(data []byte) error {
	var j keyJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("decoding key: %w", err)
	}
	if len(j.MAC.K) != 16 || len(j.MAC.R) != 16 || len(j.Encrypt) != 32 {
		return fmt.Errorf("decoding key: part sizes %d/%d/%d, want 16/16/32", len(j.MAC.K), len(j.MAC.R), len(j.Encrypt))
	}
	copy(k.macK[:], j.MAC.K)
	copy(k.macR[:], j.MAC.R)
	copy(k.encrypt[:], j.Encrypt)
	return k.init()
}
