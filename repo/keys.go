package repo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// KeyInfo describes one key file.
type KeyInfo struct {
	ID       ID
	Created  time.Time
	Username string
	Hostname string
	Current  bool // the key that opened this Repository
	KDF      KDFParams
}

// addKey writes a key file for master and password and returns its id.
func addKey(ctx context.Context, be backend.Backend, master *crypto.Key, password string, opts Options) (ID, error) {
	if password == "" {
		return ID{}, errors.New("adding key: empty password")
	}
	p, err := opts.kdfParams()
	if err != nil {
		return ID{}, fmt.Errorf("adding key: %w", err)
	}
	data, err := encodeKeyFile(master, password, p, opts)
	if err != nil {
		return ID{}, fmt.Errorf("adding key: %w", err)
	}
	id := Hash(data)
	h := backend.Handle{Type: backend.KeyFile, Name: id.String()}
	if err := be.Save(ctx, h, data); err != nil {
		return ID{}, fmt.Errorf("saving %v: %w", h, err)
	}
	return id, nil
}

// AddKey adds a key file that opens the repository with password.
func (r *Repository) AddKey(ctx context.Context, password string) (ID, error) {
	return addKey(ctx, r.be, r.key, password, r.opts)
}

// ListKeys returns every key file, oldest first.
func (r *Repository) ListKeys(ctx context.Context) ([]KeyInfo, error) {
	names, err := listNames(ctx, r.be, backend.KeyFile)
	if err != nil {
		return nil, err
	}
	cur := r.KeyID()
	keys := make([]KeyInfo, 0, len(names))
	for _, id := range names {
		h := backend.Handle{Type: backend.KeyFile, Name: id.String()}
		data, err := backend.LoadAll(ctx, r.be, h)
		if err != nil {
			return nil, err
		}
		kf, err := decodeKeyFile(data)
		if err != nil {
			return nil, fmt.Errorf("%v: %w", h, err)
		}
		keys = append(keys, KeyInfo{
			ID: id, Created: kf.Created, Username: kf.Username, Hostname: kf.Hostname,
			Current: id == cur, KDF: KDFParams{N: kf.N, R: kf.R, P: kf.P},
		})
	}
	slices.SortFunc(keys, func(a, b KeyInfo) int { return a.Created.Compare(b.Created) })
	return keys, nil
}

// RemoveKey deletes the key file with the given id (or unique id prefix).
// It refuses to remove the key that opened the repository.
func (r *Repository) RemoveKey(ctx context.Context, prefix string) error {
	id, err := r.FindID(ctx, backend.KeyFile, prefix)
	if err != nil {
		return err
	}
	if id == r.KeyID() {
		return fmt.Errorf("removing key %v: %w: it opened this repository; "+
			"open the repository with another key's password to remove it", id.Str(), ErrKeyInUse)
	}
	h := backend.Handle{Type: backend.KeyFile, Name: id.String()}
	if err := r.be.Remove(ctx, h); err != nil {
		return fmt.Errorf("removing %v: %w", h, err)
	}
	return nil
}

// ChangePassword replaces the key in use by a new key file for password and
// returns the new key's id. The old key file is removed after the new one
// is stored.
func (r *Repository) ChangePassword(ctx context.Context, password string) (ID, error) {
	id, err := r.AddKey(ctx, password)
	if err != nil {
		return ID{}, err
	}
	r.keyMu.Lock()
	old := r.keyID
	r.keyID = id
	r.keyMu.Unlock()
	h := backend.Handle{Type: backend.KeyFile, Name: old.String()}
	if err := r.be.Remove(ctx, h); err != nil {
		return id, fmt.Errorf("new key %v saved, but removing the old %v failed: %w", id.Str(), h, err)
	}
	return id, nil
}

// listNames returns the ids of all files of type t; names that are not ids
// are skipped.
func listNames(ctx context.Context, be backend.Backend, t backend.FileType) ([]ID, error) {
	var ids []ID
	err := be.List(ctx, t, func(fi backend.FileInfo) error {
		if id, err := ParseID(fi.Name); err == nil {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing %s in %s: %w", t, be.Location(), err)
	}
	return ids, nil
}

// FindID returns the file of type t whose id starts with prefix.
func (r *Repository) FindID(ctx context.Context, t backend.FileType, prefix string) (ID, error) {
	return findID(ctx, r.be, t, prefix)
}

func findID(ctx context.Context, be backend.Backend, t backend.FileType, prefix string) (ID, error) {
	prefix = strings.ToLower(prefix)
	if prefix == "" {
		return ID{}, fmt.Errorf("finding %s: empty id prefix", t)
	}
	ids, err := listNames(ctx, be, t)
	if err != nil {
		return ID{}, err
	}
	var found []ID
	for _, id := range ids {
		if strings.HasPrefix(id.String(), prefix) {
			found = append(found, id)
		}
	}
	switch len(found) {
	case 0:
		return ID{}, fmt.Errorf("%w: no file in %s/ matches %q", ErrNotFound, t, prefix)
	case 1:
		return found[0], nil
	}
	return ID{}, fmt.Errorf("%w: %d files in %s/ match %q; give more digits", ErrAmbiguous, len(found), t, prefix)
}
