package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Save implements backend.Backend. It writes a temporary file next to the
// target, read-only from the start, syncs it, renames it over the target and
// syncs the folder so that the rename survives a crash.
func (b *Backend) Save(ctx context.Context, h backend.Handle, data []byte) (err error) {
	if err := check(ctx, h); err != nil {
		return fmt.Errorf("saving %v: %w", h, err)
	}
	final := b.path(h)
	dir := filepath.Dir(final)
	f, err := os.CreateTemp(dir, filepath.Base(final)+tempInfix)
	if errors.Is(err, fs.ErrNotExist) {
		if mkErr := os.MkdirAll(dir, b.modes.dir); mkErr != nil {
			return fmt.Errorf("saving %v in %s: %w", h, b.dir, mkErr)
		}
		f, err = os.CreateTemp(dir, filepath.Base(final)+tempInfix)
	}
	if err != nil {
		return fmt.Errorf("saving %v in %s: %w", h, b.dir, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()

	// Read-only from the start (the open descriptor can still write), so the
	// final file is never writable; some file systems refuse chmod, which
	// restic tolerates too.
	if err := f.Chmod(b.modes.file &^ 0o222); err != nil && !errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("saving %v in %s: %w", h, b.dir, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("saving %v in %s: %w", h, b.dir, err)
	}
	syncErr := f.Sync()
	if syncErr != nil && !errors.Is(syncErr, syscall.ENOTSUP) && !errors.Is(syncErr, syscall.EINVAL) {
		return fmt.Errorf("saving %v in %s: syncing: %w", h, b.dir, syncErr)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("saving %v in %s: %w", h, b.dir, err)
	}
	// The last chance to honour a cancellation: after the rename the file
	// is saved.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("saving %v: %w", h, err)
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return fmt.Errorf("saving %v in %s: %w", h, b.dir, err)
	}
	if syncErr == nil {
		if err := syncDir(dir); err != nil {
			return fmt.Errorf("saving %v in %s: syncing its folder: %w", h, b.dir, err)
		}
	}
	return nil
}

// syncDir commits the entries of dir to disk, ignoring file systems that
// cannot sync folders.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.EINVAL) {
		err = nil
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
