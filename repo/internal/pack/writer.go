package pack

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"math"
	"slices"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
)

// ErrFinalized is returned when a finalized Writer is used again.
var ErrFinalized = errors.New("pack writer already finalized")

// Writer assembles one pack in memory. It hashes bytes as they are
// appended, so Finalize returns the pack id without reading the pack again.
// A Writer is not safe for concurrent use.
type Writer struct {
	key     *crypto.Key
	buf     []byte
	hash    hash.Hash
	entries []Entry
	hdrSize int // HeaderSize(entries)
	done    bool
}

// NewWriter returns a Writer that seals its header with key and builds the
// pack in buf's memory (buf's contents are discarded; nil is fine).
func NewWriter(key *crypto.Key, buf []byte) *Writer {
	return &Writer{key: key, buf: buf[:0], hash: sha256.New()}
}

// AddSealed appends a blob that is already sealed with the pack's key.
// uncompressedLength is the plaintext length of a compressed blob, 0 for an
// uncompressed one.
func (w *Writer) AddSealed(t BlobType, id [32]byte, sealed []byte, uncompressedLength uint32) error {
	if w.done {
		return ErrFinalized
	}
	if t != DataBlob && t != TreeBlob {
		return fmt.Errorf("adding blob %x: invalid type %d", id[:4], t)
	}
	if len(sealed) < crypto.Extension || uint64(len(sealed)) > math.MaxUint32 ||
		uint64(len(w.buf))+uint64(len(sealed)) > math.MaxUint32 {
		return fmt.Errorf("adding blob %x: sealed length %d out of range", id[:4], len(sealed))
	}
	w.addEntry(Entry{
		Type: t, ID: id, Offset: uint32(len(w.buf)), Length: uint32(len(sealed)),
		UncompressedLength: uncompressedLength,
	})
	w.buf = append(w.buf, sealed...)
	w.hash.Write(sealed)
	return nil
}

// AddEncoded appends a blob whose stored plaintext encode appends to the
// pack's buffer (compressing it there: no intermediate buffer), then seals
// it in place. encode must only append to dst; it returns the extended
// slice and the blob's uncompressed length if what it appended is
// compressed (else 0). AddEncoded returns the blob's stored length.
func (w *Writer) AddEncoded(t BlobType, id [32]byte, encode func(dst []byte) ([]byte, uint32)) (int, error) {
	if w.done {
		return 0, ErrFinalized
	}
	if t != DataBlob && t != TreeBlob {
		return 0, fmt.Errorf("adding blob %x: invalid type %d", id[:4], t)
	}
	start := len(w.buf)
	buf, uncompressedLength := encode(slices.Grow(w.buf, crypto.IVSize)[:start+crypto.IVSize])
	n := uint64(len(buf)-start) + crypto.Extension - crypto.IVSize
	if uint64(len(buf))+crypto.Extension > math.MaxUint32 {
		w.buf = buf[:start]
		return 0, fmt.Errorf("adding blob %x: sealed length %d out of range", id[:4], n)
	}
	w.buf = w.key.SealInPlace(buf, start)
	w.hash.Write(w.buf[start:])
	w.addEntry(Entry{
		Type: t, ID: id, Offset: uint32(start), Length: uint32(n),
		UncompressedLength: uncompressedLength,
	})
	return int(n), nil
}

func (w *Writer) addEntry(e Entry) {
	w.entries = append(w.entries, e)
	w.hdrSize += e.headerSize()
}

// Release returns the memory of a Writer that has been merged into another
// (or will not be finalized), for a later NewWriter. w must not be used
// afterwards.
func (w *Writer) Release() []byte {
	b := w.buf[:0]
	w.buf, w.done = nil, true
	return b
}

// Merge appends all blobs of o to w; o must not be used afterwards.
func (w *Writer) Merge(o *Writer) error {
	for _, e := range o.entries {
		if err := w.AddSealed(e.Type, e.ID, o.buf[e.Offset:e.Offset+e.Length], e.UncompressedLength); err != nil {
			return err
		}
	}
	o.done = true
	return nil
}

// Size is the number of bytes the pack would have if finalized now.
func (w *Writer) Size() int {
	return len(w.buf) + w.hdrSize + crypto.Extension + 4
}

// Count is the number of blobs added so far.
func (w *Writer) Count() int { return len(w.entries) }

// Entries returns the blobs added so far; the caller must not modify them.
func (w *Writer) Entries() []Entry { return w.entries }

// Finished is a complete pack.
type Finished struct {
	ID      [32]byte // SHA-256 of Data
	Data    []byte   // the whole pack file
	Entries []Entry
}

// Finalize appends the sealed header and its length and returns the pack.
// The Writer cannot be used afterwards.
func (w *Writer) Finalize() (*Finished, error) {
	if w.done {
		return nil, ErrFinalized
	}
	if len(w.entries) == 0 {
		return nil, errors.New("finalizing an empty pack")
	}
	w.done = true
	hdr := make([]byte, 0, w.hdrSize)
	for _, e := range w.entries {
		hdr = appendEntry(hdr, e)
	}
	start := len(w.buf)
	w.buf = w.key.Seal(w.buf, hdr)
	w.buf = binary.LittleEndian.AppendUint32(w.buf, uint32(len(w.buf)-start))
	w.hash.Write(w.buf[start:])
	f := &Finished{Data: w.buf, Entries: w.entries}
	w.hash.Sum(f.ID[:0])
	return f, nil
}

func appendEntry(b []byte, e Entry) []byte {
	tb := byte(typeData)
	if e.Type == TreeBlob {
		tb = typeTree
	}
	if e.Compressed() {
		tb += typeCompressedData
	}
	b = append(b, tb)
	b = binary.LittleEndian.AppendUint32(b, e.Length)
	if e.Compressed() {
		b = binary.LittleEndian.AppendUint32(b, e.UncompressedLength)
	}
	return append(b, e.ID[:]...)
}
