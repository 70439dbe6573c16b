package repo

import (
	"errors"
	"fmt"
	"sync"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/internal/crypto"
	"github.com/cairn-backup/cairn/repo/internal/index"
)

// Repository is an open repository. Its methods are safe for concurrent use
// unless a method says otherwise. Close it when done.
type Repository struct {
	be    backend.Backend
	opts  Options
	cfg   Config
	key   *crypto.Key // master key
	codec *codec

	keyMu sync.Mutex
	keyID ID // key file that opened the repository

	idxMu sync.RWMutex
	idx   *index.Master
	trees treePacks

	sessMu  sync.Mutex
	sess    *session // current write session, nil if none
	sessErr error    // failure of an ended session, reported by Flush
	stats   SaveStats
	cp      Checkpoint
}

func newRepository(be backend.Backend, opts Options, cfg Config, key *crypto.Key, keyID ID) (*Repository, error) {
	cd, err := newCodec(opts.Compression)
	if err != nil {
		return nil, err
	}
	return &Repository{be: be, opts: opts, cfg: cfg, key: key, keyID: keyID, codec: cd, idx: index.NewMaster()}, nil
}

// Config returns the repository's config.
func (r *Repository) Config() Config { return r.cfg }

// Backend returns the storage the repository lives on.
func (r *Repository) Backend() backend.Backend { return r.be }

// KeyID returns the id of the key file that opened the repository.
func (r *Repository) KeyID() ID {
	r.keyMu.Lock()
	defer r.keyMu.Unlock()
	return r.keyID
}

func (r *Repository) index() *index.Master {
	r.idxMu.RLock()
	defer r.idxMu.RUnlock()
	return r.idx
}

// Close ends the repository's use; it must not be used afterwards. Blobs
// saved since the last Flush are discarded, but the packs already uploaded
// are indexed first, as on a cancelled write session; Close returns an
// error only if that index cannot be written. It does not close the
// backend.
func (r *Repository) Close() error {
	r.sessMu.Lock()
	s := r.sess
	r.sessMu.Unlock()
	var err error
	if s != nil {
		s.abort(errors.New("repository closed"))
		_ = s.wait()
		err = s.indexErr
	}
	r.codec.close()
	if err != nil {
		return fmt.Errorf("closing repository at %s: %w", r.be.Location(), err)
	}
	return nil
}
