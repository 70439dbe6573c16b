package pack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// ErrInvalid marks a pack whose structure is broken; errors from ReadHeader
// and ParseHeader wrap it (or crypto.ErrUnauthenticated).
var ErrInvalid = errors.New("invalid pack")

// eagerEntries is how many compressed entries the first tail read covers,
// as in restic; larger headers take a second read.
const eagerEntries = 15

// eagerTail is the size of the first read from the end of a pack.
const eagerTail = eagerEntries*CompressedEntrySize + crypto.Extension + 4

// ReadHeader reads and validates the header of the pack rd of size bytes.
// It reads the tail once, and a second time only for large headers. It
// returns the blobs in file order and the size of the header including its
// length field.
func ReadHeader(key *crypto.Key, rd io.ReaderAt, size int64) ([]Entry, int, error) {
	if size < MinFileSize {
		return nil, 0, fmt.Errorf("%w: size %d is below the minimum %d", ErrInvalid, size, MinFileSize)
	}
	n := min(size, eagerTail)
	tail := make([]byte, n)
	if _, err := rd.ReadAt(tail, size-n); err != nil {
		return nil, 0, fmt.Errorf("reading pack tail: %w", err)
	}
	hlen, err := headerLength(tail, size)
	if err != nil {
		return nil, 0, err
	}
	if int64(hlen)+4 > n {
		tail = make([]byte, int64(hlen)+4)
		if _, err := rd.ReadAt(tail, size-int64(len(tail))); err != nil {
			return nil, 0, fmt.Errorf("reading pack header: %w", err)
		}
	}
	entries, err := ParseHeader(key, tail, size)
	return entries, int(hlen) + 4, err
}

// headerLength reads and checks the length field at the end of tail.
func headerLength(tail []byte, size int64) (uint32, error) {
	if len(tail) < 4 {
		return 0, fmt.Errorf("%w: %d bytes are too short for a header length", ErrInvalid, len(tail))
	}
	hlen := binary.LittleEndian.Uint32(tail[len(tail)-4:])
	switch {
	case hlen < crypto.Extension+EntrySize:
		return 0, fmt.Errorf("%w: header length %d is too small", ErrInvalid, hlen)
	case int64(hlen) > size-4:
		return 0, fmt.Errorf("%w: header length %d exceeds the file size %d", ErrInvalid, hlen, size)
	case hlen > MaxHeaderSize-4:
		return 0, fmt.Errorf("%w: header length %d exceeds the maximum %d", ErrInvalid, hlen, MaxHeaderSize-4)
	}
	return hlen, nil
}

// ParseHeader decrypts and parses the header at the end of tail, the last
// bytes of a pack of size bytes (at least the header and its length field).
// It checks that the blobs exactly fill the space before the header.
func ParseHeader(key *crypto.Key, tail []byte, size int64) ([]Entry, error) {
	hlen, err := headerLength(tail, size)
	if err != nil {
		return nil, err
	}
	if int64(hlen)+4 > int64(len(tail)) {
		return nil, fmt.Errorf("%w: header length %d exceeds the %d bytes read", ErrInvalid, hlen, len(tail))
	}
	sealed := tail[len(tail)-4-int(hlen) : len(tail)-4]
	plain, err := key.Open(nil, sealed)
	if err != nil {
		return nil, fmt.Errorf("decrypting pack header: %w", err)
	}
	return parseEntries(plain, size-4-int64(hlen))
}

// parseEntries parses a plaintext header whose blobs fill dataSize bytes.
func parseEntries(hdr []byte, dataSize int64) ([]Entry, error) {
	entries := make([]Entry, 0, len(hdr)/CompressedEntrySize+1)
	var offset int64
	for len(hdr) > 0 {
		var e Entry
		need := EntrySize
		switch hdr[0] {
		case typeData, typeTree:
		case typeCompressedData, typeCompressedTree:
			need = CompressedEntrySize
		default:
			return nil, fmt.Errorf("%w: entry %d has unknown type %d", ErrInvalid, len(entries), hdr[0])
		}
		if len(hdr) < need {
			return nil, fmt.Errorf("%w: entry %d is truncated", ErrInvalid, len(entries))
		}
		e.Type = BlobType(hdr[0] & 1)
		e.Length = binary.LittleEndian.Uint32(hdr[1:5])
		if need == CompressedEntrySize {
			e.UncompressedLength = binary.LittleEndian.Uint32(hdr[5:9])
			if e.UncompressedLength == 0 {
				return nil, fmt.Errorf("%w: compressed entry %d has uncompressed length 0", ErrInvalid, len(entries))
			}
		}
		copy(e.ID[:], hdr[need-32:need])
		if e.Length < crypto.Extension {
			return nil, fmt.Errorf("%w: entry %d has length %d, below %d", ErrInvalid, len(entries), e.Length, crypto.Extension)
		}
		e.Offset = uint32(offset)
		offset += int64(e.Length)
		if offset > dataSize {
			return nil, fmt.Errorf("%w: entry %d ends at %d, past the header at %d", ErrInvalid, len(entries), offset, dataSize)
		}
		entries = append(entries, e)
		hdr = hdr[need:]
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("%w: header lists no blobs", ErrInvalid)
	}
	if offset != dataSize {
		return nil, fmt.Errorf("%w: blobs end at %d but the header starts at %d", ErrInvalid, offset, dataSize)
	}
	return entries, nil
}
