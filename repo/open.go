package repo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

var configHandle = backend.Handle{Type: backend.ConfigFile}

// Init creates a repository on be (format version opts.Version, default 2)
// with a first key for password, and returns it open. It fails with
// ErrAlreadyExists if be already holds a config file.
func Init(ctx context.Context, be backend.Backend, password string, opts Options) (*Repository, error) {
	opts = opts.withDefaults()
	if opts.Version < MinVersion || opts.Version > MaxVersion {
		return nil, fmt.Errorf("%w %d: Init creates versions %d to %d", ErrUnsupportedVersion, opts.Version, MinVersion, MaxVersion)
	}
	_, err := be.Stat(ctx, configHandle)
	if err == nil {
		return nil, fmt.Errorf("%w at %s", ErrAlreadyExists, be.Location())
	} else if !backend.IsNotExist(err) {
		return nil, fmt.Errorf("checking for a repository at %s: %w", be.Location(), err)
	}
	cfg, err := newConfig(opts.Version)
	if err != nil {
		return nil, err
	}
	master, err := crypto.NewRandomKey()
	if err != nil {
		return nil, err
	}
	keyID, err := addKey(ctx, be, master, password, opts)
	if err != nil {
		return nil, err
	}
	r, err := newRepository(be, opts, cfg, master, keyID)
	if err != nil {
		return nil, err
	}
	if _, err := r.saveJSONUnpacked(ctx, backend.ConfigFile, cfg); err != nil {
		r.codec.close()
		return nil, err
	}
	return r, nil
}

// Open opens the repository on be with password. It tries each key file
// (the one matching opts.KeyHint first), loads the config and, unless
// opts.NoIndex is set, the index.
func Open(ctx context.Context, be backend.Backend, password string, opts Options) (*Repository, error) {
	opts = opts.withDefaults()
	if _, err := be.Stat(ctx, configHandle); backend.IsNotExist(err) {
		return nil, fmt.Errorf("%w at %s: there is no config file; create a repository with init first",
			ErrNoRepository, be.Location())
	} else if err != nil {
		return nil, fmt.Errorf("opening repository at %s: %w", be.Location(), err)
	}
	master, keyID, err := searchKey(ctx, be, password, opts.KeyHint)
	if err != nil {
		return nil, err
	}
	sealed, err := backend.LoadAll(ctx, be, configHandle)
	if err != nil {
		return nil, err
	}
	plain, err := master.OpenInPlace(sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: decrypting config at %s: %w", ErrInvalidData, be.Location(), err)
	}
	cfg, err := decodeConfig(plain)
	if err != nil {
		return nil, fmt.Errorf("opening repository at %s: %w", be.Location(), err)
	}
	r, err := newRepository(be, opts, cfg, master, keyID)
	if err != nil {
		return nil, err
	}
	if !opts.NoIndex {
		if err := r.LoadIndex(ctx); err != nil {
			r.codec.close()
			return nil, err
		}
	}
	return r, nil
}

// searchKey tries the key files until one opens with password.
func searchKey(ctx context.Context, be backend.Backend, password, hint string) (*crypto.Key, ID, error) {
	ids, err := listNames(ctx, be, backend.KeyFile)
	if err != nil {
		return nil, ID{}, err
	}
	if len(ids) == 0 {
		return nil, ID{}, fmt.Errorf("%w at %s: it has no key files", ErrNoRepository, be.Location())
	}
	hint = strings.ToLower(hint)
	slices.SortStableFunc(ids, func(a, b ID) int {
		ah, bh := hint != "" && strings.HasPrefix(a.String(), hint), hint != "" && strings.HasPrefix(b.String(), hint)
		switch {
		case ah && !bh:
			return -1
		case bh && !ah:
			return 1
		}
		return 0
	})
	var broken []error
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, ID{}, err
		}
		h := backend.Handle{Type: backend.KeyFile, Name: id.String()}
		data, err := backend.LoadAll(ctx, be, h)
		if err != nil {
			broken = append(broken, err)
			continue
		}
		kf, err := decodeKeyFile(data)
		if err != nil {
			broken = append(broken, fmt.Errorf("%v: %w", h, err))
			continue
		}
		master, err := kf.open(password)
		if errors.Is(err, errWrongKey) {
			continue
		} else if err != nil {
			broken = append(broken, fmt.Errorf("%v: %w", h, err))
			continue
		}
		return master, id, nil
	}
	err = fmt.Errorf("%w for the repository at %s: none of its %d keys opens with it; "+
		"check the password (or password file) you gave", ErrWrongPassword, be.Location(), len(ids))
	if len(broken) > 0 {
		err = errors.Join(err, fmt.Errorf("unreadable key files: %w", errors.Join(broken...)))
	}
	return nil, ID{}, err
}
