package pack

import (
	"fmt"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// BlobType is the kind of a blob: file content or a directory tree.
type BlobType uint8

// The blob types.
const (
	DataBlob BlobType = iota
	TreeBlob
)

func (t BlobType) String() string {
	switch t {
	case DataBlob:
		return "data"
	case TreeBlob:
		return "tree"
	}
	return fmt.Sprintf("invalid blob type %d", uint8(t))
}

// Header entry type bytes and sizes.
const (
	typeData           = 0
	typeTree           = 1
	typeCompressedData = 2
	typeCompressedTree = 3

	// EntrySize is the header size of an uncompressed blob's entry.
	EntrySize = 1 + 4 + 32
	// CompressedEntrySize is the header size of a compressed blob's entry.
	CompressedEntrySize = 1 + 4 + 4 + 32

	// MaxHeaderSize bounds the sealed header plus its length field, as
	// restic does.
	MaxHeaderSize = 16*1024*1024 + 4
	// MinFileSize is the smallest possible pack: one empty blob.
	MinFileSize = crypto.Extension + EntrySize + crypto.Extension + 4
)

// Entry describes one blob in a pack. Length is the sealed (stored) length;
// UncompressedLength is the plaintext length of a compressed blob and 0 for
// an uncompressed one.
type Entry struct {
	Type               BlobType
	ID                 [32]byte
	Offset             uint32
	Length             uint32
	UncompressedLength uint32
}

// Compressed reports whether the blob is stored zstd-compressed.
func (e Entry) Compressed() bool { return e.UncompressedLength != 0 }

// PlaintextLength is the blob's length once decrypted and decompressed.
func (e Entry) PlaintextLength() uint32 {
	if e.Compressed() {
		return e.UncompressedLength
	}
	return e.Length - crypto.Extension
}

func (e Entry) headerSize() int {
	if e.Compressed() {
		return CompressedEntrySize
	}
	return EntrySize
}

// HeaderSize returns the size of the plaintext header that lists entries.
func HeaderSize(entries []Entry) int {
	n := 0
	for _, e := range entries {
		n += e.headerSize()
	}
	return n
}

// FileSize returns the size of a pack holding entries: their sealed blobs,
// the sealed header and the header length field.
func FileSize(entries []Entry) int64 {
	var n int64
	for _, e := range entries {
		n += int64(e.Length)
	}
	return n + int64(HeaderSize(entries)) + crypto.Extension + 4
}
