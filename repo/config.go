package repo

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/restic/chunker"
)

// Supported format versions.
const (
	MinVersion = 1
	MaxVersion = 2
)

// Config is the repository's config file: its format version, a random id
// and the secret polynomial of its content-defined chunker.
type Config struct {
	Version           uint        `json:"version"`
	ID                string      `json:"id"`
	ChunkerPolynomial chunker.Pol `json:"chunker_polynomial"`
}

// newConfig returns a config for a new repository.
func newConfig(version int) (Config, error) {
	var id [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return Config{}, fmt.Errorf("reading random id: %w", err)
	}
	pol, err := chunker.RandomPolynomial()
	if err != nil {
		return Config{}, fmt.Errorf("choosing chunker polynomial: %w", err)
	}
	return Config{Version: uint(version), ID: hex.EncodeToString(id[:]), ChunkerPolynomial: pol}, nil
}

// decodeConfig parses and validates a config file's plaintext.
func decodeConfig(data []byte) (Config, error) {
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("%w: decoding config: %w", ErrInvalidData, err)
	}
	if c.Version < MinVersion || c.Version > MaxVersion {
		return c, fmt.Errorf("%w %d: this build reads versions %d to %d; upgrade Cairn to open it",
			ErrUnsupportedVersion, c.Version, MinVersion, MaxVersion)
	}
	if c.ID == "" {
		return c, fmt.Errorf("%w: config has no repository id", ErrInvalidData)
	}
	if c.ChunkerPolynomial == 0 || !c.ChunkerPolynomial.Irreducible() {
		return c, fmt.Errorf("%w: chunker polynomial %v is not irreducible", ErrInvalidData, c.ChunkerPolynomial)
	}
	return c, nil
}
