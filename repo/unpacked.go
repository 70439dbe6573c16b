package repo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Unpacked files hold one document, sealed with the master key. In version
// 2 the plaintext is a version byte 2 followed by a zstd frame; a plaintext
// starting with '{' or '[' is plain JSON. The config is never compressed.

const unpackedCompressed = 2

// saveUnpacked seals plain, stores it as a file of type t named by the
// SHA-256 of the stored bytes, and returns that name.
func (r *Repository) saveUnpacked(ctx context.Context, t backend.FileType, plain []byte) (ID, error) {
	if r.cfg.Version >= 2 && t != backend.ConfigFile {
		buf := make([]byte, 1, len(plain)/2+64)
		buf[0] = unpackedCompressed
		plain = r.codec.meta.EncodeAll(plain, buf)
	}
	sealed := r.key.Seal(make([]byte, 0, len(plain)+64), plain)
	id := ID(sha256.Sum256(sealed))
	h := backend.Handle{Type: t, Name: id.String()}
	if t == backend.ConfigFile {
		h.Name = ""
	}
	if err := r.be.Save(ctx, h, sealed); err != nil {
		return ID{}, fmt.Errorf("saving %v: %w", h, err)
	}
	return id, nil
}

// saveJSONUnpacked encodes v as JSON and saves it with saveUnpacked.
func (r *Repository) saveJSONUnpacked(ctx context.Context, t backend.FileType, v any) (ID, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return ID{}, fmt.Errorf("encoding %s file: %w", t, err)
	}
	return r.saveUnpacked(ctx, t, plain)
}

// loadUnpacked loads, verifies and decrypts a file; for every type but the
// config it also checks that the name is the hash of the stored bytes.
func (r *Repository) loadUnpacked(ctx context.Context, h backend.Handle) ([]byte, error) {
	data, err := backend.LoadAll(ctx, r.be, h)
	if err != nil {
		return nil, err
	}
	return r.openUnpacked(h, data)
}

func (r *Repository) openUnpacked(h backend.Handle, data []byte) ([]byte, error) {
	if h.Type != backend.ConfigFile {
		if got := ID(sha256.Sum256(data)); got.String() != h.Name {
			return nil, fmt.Errorf("%w: %v: contents hash to %v", ErrInvalidData, h, got.Str())
		}
	}
	plain, err := r.key.OpenInPlace(data)
	if err != nil {
		return nil, fmt.Errorf("%w: decrypting %v: %w", ErrInvalidData, h, err)
	}
	if r.cfg.Version < 2 || h.Type == backend.ConfigFile || len(plain) == 0 || plain[0] == '{' || plain[0] == '[' {
		return plain, nil
	}
	if plain[0] != unpackedCompressed {
		return nil, fmt.Errorf("%w: %v: unknown encoding version %d", ErrInvalidData, h, plain[0])
	}
	out, err := r.codec.dec.DecodeAll(plain[1:], nil)
	if err != nil {
		return nil, fmt.Errorf("%w: decompressing %v: %w", ErrInvalidData, h, err)
	}
	return out, nil
}

// loadJSONUnpacked loads a file and decodes its JSON into v.
func (r *Repository) loadJSONUnpacked(ctx context.Context, h backend.Handle, v any) error {
	plain, err := r.loadUnpacked(ctx, h)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("%w: decoding %v: %w", ErrInvalidData, h, err)
	}
	return nil
}
