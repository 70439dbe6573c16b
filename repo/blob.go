package repo

import "github.com/cairn-backup/cairn/repo/internal/pack"

// BlobType distinguishes file content from directory trees.
type BlobType uint8

// The blob types.
const (
	DataBlob = BlobType(pack.DataBlob)
	TreeBlob = BlobType(pack.TreeBlob)
)

func (t BlobType) String() string { return pack.BlobType(t).String() }

func (t BlobType) valid() bool { return t == DataBlob || t == TreeBlob }

// BlobHandle names a blob of a type.
type BlobHandle struct {
	Type BlobType
	ID   ID
}

func (h BlobHandle) String() string { return h.Type.String() + " blob " + h.ID.Str() }
