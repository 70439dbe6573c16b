package repo

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// keyFile is a file under keys/: plain JSON with scrypt parameters and the
// master key sealed with the key derived from the password. The file is
// named by the SHA-256 of its JSON bytes.
type keyFile struct {
	Created  time.Time `json:"created"`
	Username string    `json:"username"`
	Hostname string    `json:"hostname"`
	KDF      string    `json:"kdf"`
	N        int       `json:"N"`
	R        int       `json:"r"`
	P        int       `json:"p"`
	Salt     []byte    `json:"salt"`
	Data     []byte    `json:"data"`
}

// errWrongKey means the key file does not open with the password.
var errWrongKey = errors.New("password does not match this key")

// decodeKeyFile parses and validates a key file without deriving anything.
func decodeKeyFile(data []byte) (*keyFile, error) {
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil {
		return nil, fmt.Errorf("%w: decoding key file: %w", ErrInvalidData, err)
	}
	if kf.KDF != "scrypt" {
		return nil, fmt.Errorf("%w: unknown key derivation %q", ErrInvalidData, kf.KDF)
	}
	if len(kf.Salt) != crypto.SaltSize {
		return nil, fmt.Errorf("%w: salt has %d bytes, want %d", ErrInvalidData, len(kf.Salt), crypto.SaltSize)
	}
	if err := kf.params().Validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidData, err)
	}
	if len(kf.Data) < crypto.Extension {
		return nil, fmt.Errorf("%w: key data has %d bytes", ErrInvalidData, len(kf.Data))
	}
	return &kf, nil
}

func (kf *keyFile) params() crypto.KDFParams { return crypto.KDFParams{N: kf.N, R: kf.R, P: kf.P} }

// open derives the user key and decrypts the master key; errWrongKey means
// the password does not fit.
func (kf *keyFile) open(password string) (*crypto.Key, error) {
	user, err := crypto.DeriveKey(password, kf.Salt, kf.params())
	if err != nil {
		return nil, err
	}
	plain, err := user.Open(nil, kf.Data)
	if errors.Is(err, crypto.ErrUnauthenticated) {
		return nil, errWrongKey
	} else if err != nil {
		return nil, err
	}
	var master crypto.Key
	if err := json.Unmarshal(plain, &master); err != nil {
		return nil, fmt.Errorf("%w: decoding master key: %w", ErrInvalidData, err)
	}
	return &master, nil
}

// encodeKeyFile seals master with a key derived from password and returns
// the key file's JSON bytes.
func encodeKeyFile(master *crypto.Key, password string, p crypto.KDFParams, opts Options) ([]byte, error) {
	salt, err := crypto.NewSalt()
	if err != nil {
		return nil, err
	}
	user, err := crypto.DeriveKey(password, salt, p)
	if err != nil {
		return nil, err
	}
	mk, err := json.Marshal(master)
	if err != nil {
		return nil, err
	}
	kf := keyFile{
		Created: opts.Now(), Username: opts.Username, Hostname: opts.Hostname,
		KDF: "scrypt", N: p.N, R: p.R, P: p.P, Salt: salt, Data: user.Seal(nil, mk),
	}
	return json.Marshal(kf)
}
