package repo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/cairn-backup/cairn/repo/backend"
)

// dirBackend is a minimal folder backend in restic's layout for the
// interoperability tests; it keeps them independent of repo/backend/local.
type dirBackend struct{ dir string }

var _ backend.Backend = dirBackend{}

func (d dirBackend) Location() string { return "local:" + d.dir }

func (d dirBackend) path(h backend.Handle) string {
	return filepath.Join(d.dir, filepath.FromSlash(h.Path()))
}

func (d dirBackend) Save(ctx context.Context, h backend.Handle, data []byte) error {
	p := d.path(h)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

func (d dirBackend) Load(ctx context.Context, h backend.Handle, offset, length int64) (io.ReadCloser, error) {
	data, err := os.ReadFile(d.path(h))
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("loading %v: %w", h, backend.ErrNotExist)
	} else if err != nil {
		return nil, err
	}
	if offset > int64(len(data)) || (length > 0 && offset+length > int64(len(data))) {
		return nil, fmt.Errorf("loading %v: range %d+%d outside its %d bytes", h, offset, length, len(data))
	}
	data = data[offset:]
	if length > 0 {
		data = data[:length]
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func (d dirBackend) Stat(ctx context.Context, h backend.Handle) (backend.FileInfo, error) {
	fi, err := os.Stat(d.path(h))
	if os.IsNotExist(err) {
		return backend.FileInfo{}, fmt.Errorf("stat %v: %w", h, backend.ErrNotExist)
	} else if err != nil {
		return backend.FileInfo{}, err
	}
	return backend.FileInfo{Name: h.Name, Size: fi.Size()}, nil
}

func (d dirBackend) List(ctx context.Context, t backend.FileType, fn func(backend.FileInfo) error) error {
	root := filepath.Join(d.dir, string(t))
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Ext(p) == ".tmp" {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		return fn(backend.FileInfo{Name: e.Name(), Size: fi.Size()})
	})
	if os.IsNotExist(err) {
		return nil
	}
	return err
}

func (d dirBackend) Remove(ctx context.Context, h backend.Handle) error {
	err := os.Remove(d.path(h))
	if os.IsNotExist(err) {
		return fmt.Errorf("removing %v: %w", h, backend.ErrNotExist)
	}
	return err
}

func (d dirBackend) Close() error { return nil }
