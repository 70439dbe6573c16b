package crypto

import (
	"crypto/rand"
	"fmt"
	"runtime/debug"
	"time"

	"golang.org/x/crypto/scrypt"
)

// SaltSize is the length of a key file's scrypt salt.
const SaltSize = 64

// KDFParams are scrypt's cost parameters as stored in a key file.
type KDFParams struct {
	N int // CPU/memory cost, a power of two > 1
	R int // block size
	P int // parallelism
}

// DefaultKDFParams is the starting point for Calibrate, and what restic's
// calibration arrives at for memory: N=2^15 with r=8 uses 32 MiB.
var DefaultKDFParams = KDFParams{N: 1 << 15, R: 8, P: 1}

// Validate reports whether scrypt accepts p and whether it stays within the
// limits a sane key file uses (at most 1 GiB of memory).
func (p KDFParams) Validate() error {
	if p.N <= 1 || p.N&(p.N-1) != 0 {
		return fmt.Errorf("scrypt N=%d is not a power of two above 1", p.N)
	}
	if p.R <= 0 || p.P <= 0 || p.R*p.P >= 1<<30 {
		return fmt.Errorf("scrypt r=%d p=%d out of range", p.R, p.P)
	}
	if int64(128)*int64(p.R)*int64(p.N) > 1<<30 {
		return fmt.Errorf("scrypt N=%d r=%d needs more than 1 GiB", p.N, p.R)
	}
	return nil
}

// NewSalt returns SaltSize random bytes.
func NewSalt() ([]byte, error) {
	salt := make([]byte, SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, fmt.Errorf("reading random salt: %w", err)
	}
	return salt, nil
}

// DeriveKey derives a user key from password with scrypt: 64 bytes split
// into the encryption key, MAC K and MAC R. Recent derivations are
// remembered (see kdfCache), so opening a repository again is cheap.
func DeriveKey(password string, salt []byte, p KDFParams) (*Key, error) {
	if len(salt) != SaltSize {
		return nil, fmt.Errorf("scrypt salt has %d bytes, want %d", len(salt), SaltSize)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	id := kdfCacheKey(password, salt, p)
	if b, ok := kdfCacheGet(id); ok {
		return KeyFromBytes(b[:])
	}
	b, err := scrypt.Key([]byte(password), salt, p.N, p.R, p.P, 64)
	releaseScryptMemory()
	if err != nil {
		return nil, fmt.Errorf("deriving key: %w", err)
	}
	kdfCachePut(id, [64]byte(b))
	return KeyFromBytes(b)
}

// releaseScryptMemory hands scrypt's working memory (128·N·r bytes, 32
// MiB with restic's parameters) back at once. Left to the collector, it
// would count as live when the heap's next growth target is set, and what
// the process does next (a backup's buffers) could grow the heap by as
// much again. A derivation is rare (each key once per process, then the
// cache answers), so the collection costs little.
func releaseScryptMemory() { debug.FreeOSMemory() }

// Calibrate keeps N and r of DefaultKDFParams and raises p until one
// derivation takes about target, as restic does (target 500 ms).
func Calibrate(target time.Duration) (KDFParams, error) {
	p := DefaultKDFParams
	salt := make([]byte, SaltSize)
	start := time.Now()
	if _, err := scrypt.Key([]byte("calibrate"), salt, p.N, p.R, p.P, 64); err != nil {
		return KDFParams{}, fmt.Errorf("calibrating scrypt: %w", err)
	}
	took := time.Since(start)
	if took > 0 && took < target {
		p.P = int(target / took)
	}
	p.P = max(1, min(p.P, 64))
	return p, nil
}
