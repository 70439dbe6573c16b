// Package mem is an in-memory backend for tests.
package mem

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Backend keeps every file in a map. The zero value is not usable; call New.
type Backend struct {
	mu    sync.RWMutex
	files map[backend.Handle][]byte
}

var _ backend.Backend = (*Backend)(nil)

// New returns an empty in-memory backend.
func New() *Backend { return &Backend{files: make(map[backend.Handle][]byte)} }

// Location implements backend.Backend.
func (b *Backend) Location() string { return "mem:" }

// Save implements backend.Backend.
func (b *Backend) Save(ctx context.Context, h backend.Handle, data []byte) error {
	h, err := check(ctx, h)
	if err != nil {
		return fmt.Errorf("saving %v: %w", h, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.files[h] = bytes.Clone(data)
	return nil
}

// check validates h and ctx and returns h as the map key: the config file
// has no name.
func check(ctx context.Context, h backend.Handle) (backend.Handle, error) {
	if err := h.Valid(); err != nil {
		return h, err
	}
	if h.Type == backend.ConfigFile {
		h.Name = ""
	}
	return h, ctx.Err()
}

// Load implements backend.Backend.
func (b *Backend) Load(ctx context.Context, h backend.Handle, offset, length int64) (io.ReadCloser, error) {
	h, err := check(ctx, h)
	if err != nil {
		return nil, fmt.Errorf("loading %v: %w", h, err)
	}
	b.mu.RLock()
	data, ok := b.files[h]
	b.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("loading %v: %w", h, backend.ErrNotExist)
	}
	if offset < 0 || length < 0 || offset > int64(len(data)) || (length > 0 && offset+length > int64(len(data))) {
		return nil, fmt.Errorf("loading %v: range %d+%d outside its %d bytes", h, offset, length, len(data))
	}
	data = data[offset:]
	if length > 0 {
		data = data[:length]
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// Stat implements backend.Backend.
func (b *Backend) Stat(ctx context.Context, h backend.Handle) (backend.FileInfo, error) {
	h, err := check(ctx, h)
	if err != nil {
		return backend.FileInfo{}, fmt.Errorf("stat %v: %w", h, err)
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	data, ok := b.files[h]
	if !ok {
		return backend.FileInfo{}, fmt.Errorf("stat %v: %w", h, backend.ErrNotExist)
	}
	return backend.FileInfo{Name: h.Name, Size: int64(len(data))}, nil
}

// List implements backend.Backend.
func (b *Backend) List(ctx context.Context, t backend.FileType, fn func(backend.FileInfo) error) error {
	if !slices.Contains(backend.FileTypes, t) {
		return fmt.Errorf("listing %q: not a listable file type", t)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("listing %s: %w", t, err)
	}
	b.mu.RLock()
	var infos []backend.FileInfo
	for h, data := range b.files {
		if h.Type == t {
			infos = append(infos, backend.FileInfo{Name: h.Name, Size: int64(len(data))})
		}
	}
	b.mu.RUnlock()
	for _, fi := range infos {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(fi); err != nil {
			return err
		}
	}
	return nil
}

// Remove implements backend.Backend.
func (b *Backend) Remove(ctx context.Context, h backend.Handle) error {
	h, err := check(ctx, h)
	if err != nil {
		return fmt.Errorf("removing %v: %w", h, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.files[h]; !ok {
		return fmt.Errorf("removing %v: %w", h, backend.ErrNotExist)
	}
	delete(b.files, h)
	return nil
}

// Close implements backend.Backend.
func (b *Backend) Close() error { return nil }
