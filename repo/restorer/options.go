package restorer

import (
	"context"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/walker"
)

// Defaults for the zero Options.
const (
	DefaultConnections      = 4
	DefaultProgressInterval = 200 * time.Millisecond
)

// Repository is what Restore needs of a repository; *repo.Repository
// implements it.
type Repository interface {
	walker.TreeLoader
	LookupBlob(t repo.BlobType, id repo.ID) []repo.BlobLocation
	DecodeBlob(t repo.BlobType, id repo.ID, loc repo.BlobLocation, sealed, buf []byte) ([]byte, error)
	LoadBlob(ctx context.Context, t repo.BlobType, id repo.ID, buf []byte) ([]byte, error)
	Backend() backend.Backend
}

var _ Repository = (*repo.Repository)(nil)

// Options control a restore. Target is required; the zero value of every
// other field gives restic's behaviour.
type Options struct {
	// Target is the folder to restore into; it is created if missing.
	Target string
	// Subtree, if set, is the absolute path of a folder in the snapshot
	// whose contents are restored directly into Target, as
	// `restic restore <id>:<subtree>` does. Include paths are then
	// relative to it.
	Subtree string
	// Include, if set, restores only these absolute paths (and everything
	// below them), each at its full path under Target, as restic's
	// --include does for paths without wildcards. Folders on the way to
	// an included path are created with their metadata too (as restic
	// 0.18 does), but not their other contents.
	Include []string
	// Connections is the number of packs read at once (default: what the
	// backend's Connections method says, one per CPU for a local folder,
	// else 4). The
	// readers also decrypt, decompress, verify and write, so it is the
	// CPU parallelism too.
	Connections int
	// Sparse writes runs of zero bytes (4 KiB blocks of the file that are
	// all zero) as holes, like restic's --sparse.
	Sparse bool
	// Preallocate reserves each file's blocks with fallocate before
	// writing (ignored with Sparse). By default a file is only extended to
	// its size (truncate), which measured faster on ext4; preallocation
	// avoids fragmentation and fails early when space runs out.
	Preallocate bool
	// NoOwnership skips restoring uid/gid. Ownership is restored only when
	// running as root, as restic does.
	NoOwnership bool
	// Progress, if set, is called about every ProgressInterval (default
	// 200 ms) from a separate goroutine, and once more at the end.
	Progress         func(Progress)
	ProgressInterval time.Duration
}

// Progress reports how far a restore has come. Totals grow while the
// snapshot's trees are read and are final once Planned is true.
type Progress struct {
	FilesDone, FilesTotal uint64
	BytesDone, BytesTotal uint64
	Planned               bool
	Elapsed               time.Duration
	// BytesPerSecond is BytesDone divided by Elapsed.
	BytesPerSecond float64
}

// Result describes a finished restore.
type Result struct {
	Progress
	Dirs, Files, Symlinks, Hardlinks, Special int
	// Warnings are problems that did not stop the restore: special files
	// the system refused to create, sockets and irregular files (never
	// restored), extended attributes that could not be set.
	Warnings []error
}
