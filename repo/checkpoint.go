package repo

import (
	"slices"
	"time"
)

// Checkpoint is what write sessions have made durable so far: packs
// uploaded and the index files that list them. A caller can persist it
// (for example as a Temporal heartbeat) to report progress; after an
// interruption a new backup reuses every blob of an indexed pack.
type Checkpoint struct {
	Time          time.Time // when the last index file was written
	IndexIDs      []ID      // index files written by this Repository, oldest first
	PacksUploaded int       // packs uploaded by this Repository
	BytesUploaded int64     // their total size
	PacksIndexed  int       // uploaded packs listed in IndexIDs
}

// SaveStats counts the blobs SaveBlob stored (blobs that were already
// known are not counted). Added counts plaintext bytes, AddedPacked the
// bytes stored after compression and encryption.
type SaveStats struct {
	DataBlobs, TreeBlobs int
	DataAdded            uint64
	DataAddedPacked      uint64
	TreeAdded            uint64
	TreeAddedPacked      uint64
}

// Checkpoint returns the durable state so far.
func (r *Repository) Checkpoint() Checkpoint {
	r.sessMu.Lock()
	defer r.sessMu.Unlock()
	cp := r.cp
	cp.IndexIDs = slices.Clone(cp.IndexIDs)
	return cp
}

// SaveStats returns what SaveBlob has stored since the repository was
// opened.
func (r *Repository) SaveStats() SaveStats {
	r.sessMu.Lock()
	defer r.sessMu.Unlock()
	return r.stats
}
