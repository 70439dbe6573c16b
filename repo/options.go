package repo

import (
	"os"
	"os/user"
	"runtime"
	"sync"
	"time"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// KDFParams are scrypt's cost parameters for new key files.
type KDFParams struct {
	N, R, P int
}

// Compression selects the zstd effort for repository version 2.
type Compression int

const (
	// CompressionAuto compresses data blobs at zstd's fastest level and
	// trees and metadata at its default level (restic's).
	CompressionAuto Compression = iota
	// CompressionOff stores data blobs uncompressed; trees and metadata
	// are still compressed.
	CompressionOff
	// CompressionMax uses the best (slowest) level for everything.
	CompressionMax
)

// Defaults for the zero Options.
const (
	DefaultPackSize      = 16 << 20
	MinPackSize          = 4 << 20
	MaxPackSize          = 128 << 20
	DefaultConnections   = 2
	DefaultIndexInterval = time.Minute
)

// Options tune Init and Open. The zero value gives restic-compatible
// defaults.
type Options struct {
	// Version is the format version Init creates: 2 (default) or 1.
	Version int
	// KDF sets scrypt's parameters for key files written by Init, AddKey
	// and ChangePassword. Zero calibrates as restic does: N=2^15, r=8 and
	// p for about 500 ms per derivation.
	KDF KDFParams
	// KeyHint is an ID prefix of the key file Open tries first.
	KeyHint string
	// PackSize is the target pack size in bytes (default 16 MiB, limited
	// to 4..128 MiB). A pack is uploaded once it reaches the target.
	PackSize int
	// Connections bounds concurrent pack uploads (default 2).
	Connections int
	// Compression selects the zstd levels (version 2 only).
	Compression Compression
	// IndexInterval is how often a write session saves an index file for
	// the packs uploaded so far (default one minute), so an interrupted
	// backup can reuse them.
	IndexInterval time.Duration
	// NoIndex makes Open skip loading the index; use it for key, lock and
	// snapshot listing work. LoadIndex loads it later.
	NoIndex bool
	// OnCheckpoint, if set, is called after each index file a write session
	// saves, with the durable state so far (see Checkpoint).
	OnCheckpoint func(Checkpoint)
	// Hostname and Username go into key and lock files (default: this
	// host and user).
	Hostname, Username string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Version == 0 {
		o.Version = 2
	}
	if o.PackSize == 0 {
		o.PackSize = DefaultPackSize
	}
	o.PackSize = min(max(o.PackSize, MinPackSize), MaxPackSize)
	if o.Connections <= 0 {
		o.Connections = DefaultConnections
	}
	if o.IndexInterval <= 0 {
		o.IndexInterval = DefaultIndexInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Hostname == "" {
		o.Hostname, _ = os.Hostname()
	}
	if o.Username == "" {
		if u, err := user.Current(); err == nil {
			o.Username = u.Username
		} else {
			o.Username = os.Getenv("USER")
		}
	}
	return o
}

// kdfParams returns the parameters for a new key file.
func (o Options) kdfParams() (crypto.KDFParams, error) {
	if o.KDF != (KDFParams{}) {
		p := crypto.KDFParams(o.KDF)
		return p, p.Validate()
	}
	return calibrated()
}

// calibrated runs crypto.Calibrate once per process.
var calibrated = sync.OnceValues(func() (crypto.KDFParams, error) {
	return crypto.Calibrate(500 * time.Millisecond)
})

func packersPerType() int { return min(2, runtime.GOMAXPROCS(0)) }
