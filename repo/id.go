package repo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// ID names a blob or a file: the SHA-256 of its (plaintext or stored) bytes.
type ID [32]byte

// Hash returns the ID of data.
func Hash(data []byte) ID { return sha256.Sum256(data) }

// ParseID parses 64 hex digits.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 64 {
		return id, fmt.Errorf("invalid id %q: want 64 hex digits", s)
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("invalid id %q: %w", s, err)
	}
	return id, nil
}

// String returns the 64 hex digits of id.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// Str returns the short form of id, its first 8 hex digits.
func (id ID) Str() string { return hex.EncodeToString(id[:4]) }

// IsNull reports whether id is all zeros.
func (id ID) IsNull() bool { return id == ID{} }

// MarshalText encodes id as hex (and as a JSON string).
func (id ID) MarshalText() ([]byte, error) {
	return hex.AppendEncode(make([]byte, 0, 64), id[:]), nil
}

// UnmarshalText decodes 64 hex digits.
func (id *ID) UnmarshalText(b []byte) error {
	if len(b) != 64 {
		return fmt.Errorf("invalid id: %d characters, want 64", len(b))
	}
	if _, err := hex.Decode(id[:], b); err != nil {
		return fmt.Errorf("invalid id: %w", err)
	}
	return nil
}
