package repo

import "errors"

// Sentinel errors; the errors the package returns wrap them (test with
// errors.Is) and add the file or location concerned.
var (
	// ErrNoRepository: the backend has no config file.
	ErrNoRepository = errors.New("no repository")
	// ErrAlreadyExists: Init found a config file.
	ErrAlreadyExists = errors.New("repository already exists")
	// ErrWrongPassword: no key file opens with the password.
	ErrWrongPassword = errors.New("wrong password")
	// ErrUnsupportedVersion: the config names a format this code cannot read.
	ErrUnsupportedVersion = errors.New("unsupported repository version")
	// ErrNotFound: a blob, snapshot or key does not exist (or an ID prefix
	// matches nothing).
	ErrNotFound = errors.New("not found")
	// ErrAmbiguous: an ID prefix matches several files.
	ErrAmbiguous = errors.New("ambiguous id prefix")
	// ErrInvalidData: stored bytes failed authentication, decompression,
	// hashing or parsing. Never retried.
	ErrInvalidData = errors.New("invalid data")
	// ErrNotFlushed: blobs are saved but not yet uploaded and indexed.
	ErrNotFlushed = errors.New("saved blobs are not flushed")
	// ErrKeyInUse: RemoveKey was asked to remove the key that opened the
	// repository.
	ErrKeyInUse = errors.New("key is in use")
	// ErrCheckFailed: Check found problems.
	ErrCheckFailed = errors.New("repository check found problems")
)
