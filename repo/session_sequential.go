package repo

import "context"

// BeginSequentialWrites starts the repository's write session, if none is
// running, with a single data packer, for one sequential stream of blobs
// (a dump): it holds one data pack in memory instead of one per packer.
// SaveBlob and Flush then work as usual.
func (r *Repository) BeginSequentialWrites(ctx context.Context) { r.sessionWith(ctx, 1) }
