// Package backend defines the storage interface under a repository: a flat set
// of named files grouped by type, laid out the way restic lays out a repository.
// Implementations know nothing of encryption, packs or indexes.
package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// FileType names one of the repository's folders (or the config file).
type FileType string

// The file types of a restic repository. Their values are the folder names.
const (
	ConfigFile   FileType = "config"
	KeyFile      FileType = "keys"
	LockFile     FileType = "locks"
	SnapshotFile FileType = "snapshots"
	IndexFile    FileType = "index"
	PackFile     FileType = "data"
)

// FileTypes lists every type that List accepts, in a stable order.
var FileTypes = []FileType{KeyFile, LockFile, SnapshotFile, IndexFile, PackFile}

// Handle names one file. Name is the file's hex storage id; it is empty for
// the config file.
type Handle struct {
	Type FileType
	Name string
}

func (h Handle) String() string {
	if h.Type == ConfigFile {
		return "config"
	}
	return string(h.Type) + "/" + h.Name
}

// Path is the file's path inside the repository: packs are spread over 256
// subfolders named by the first two hex digits of their name, as restic does.
func (h Handle) Path() string {
	switch {
	case h.Type == ConfigFile:
		return "config"
	case h.Type == PackFile && len(h.Name) >= 2:
		return "data/" + h.Name[:2] + "/" + h.Name
	default:
		return string(h.Type) + "/" + h.Name
	}
}

// Valid reports whether h can name a file.
func (h Handle) Valid() error {
	if h.Type == ConfigFile {
		return nil
	}
	for _, t := range FileTypes {
		if h.Type == t {
			if h.Name == "" || strings.ContainsAny(h.Name, "/\\") || h.Name == "." || h.Name == ".." {
				return fmt.Errorf("invalid file name %q for %s", h.Name, h.Type)
			}
			return nil
		}
	}
	return fmt.Errorf("invalid file type %q", h.Type)
}

// FileInfo describes one stored file.
type FileInfo struct {
	Name string
	Size int64
}

// ErrNotExist is returned (wrapped) by Load, Stat and Remove for a missing file.
var ErrNotExist = errors.New("file does not exist")

// IsNotExist reports whether err says that a file is missing.
func IsNotExist(err error) bool { return errors.Is(err, ErrNotExist) }

// Backend stores a repository's files. Every method may be called from several
// goroutines at once. Implementations retry transient failures themselves;
// an error they return is final for that call.
type Backend interface {
	// Location describes where the files live, for messages (never a secret).
	Location() string
	// Save stores data as the complete contents of h. A concurrent or later
	// reader sees either nothing or all of it, never a part. Saving a name
	// that exists replaces it.
	Save(ctx context.Context, h Handle, data []byte) error
	// Load opens h for reading from offset. length 0 reads to the end; a
	// positive length reads exactly that many bytes or fails. The caller
	// closes the reader.
	Load(ctx context.Context, h Handle, offset, length int64) (io.ReadCloser, error)
	// Stat returns the size of h.
	Stat(ctx context.Context, h Handle) (FileInfo, error)
	// List calls fn for each file of type t, in no particular order, and
	// stops at the first error fn returns.
	List(ctx context.Context, t FileType, fn func(FileInfo) error) error
	// Remove deletes h.
	Remove(ctx context.Context, h Handle) error
	// Close releases the backend's resources.
	Close() error
}

// ConnectionHinter is a Backend that knows how many requests at once suit
// it; readers that have no setting of their own use its figure.
type ConnectionHinter interface {
	Connections() int
}

// LoadAll reads the whole file h.
func LoadAll(ctx context.Context, be Backend, h Handle) ([]byte, error) {
	rd, err := be.Load(ctx, h, 0, 0)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	buf, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("reading %v from %s: %w", h, be.Location(), err)
	}
	return buf, nil
}
