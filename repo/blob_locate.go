package repo

import (
	"fmt"

	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// BlobLocation is where one stored copy of a blob lives: Length stored
// (sealed) bytes at Offset in the pack file Pack. UncompressedLength is the
// plaintext length of a compressed blob and 0 for an uncompressed one.
// Readers that fetch many blobs (the restorer) use it to read each pack
// once, in ranges, and hand the bytes to DecodeBlob.
type BlobLocation struct {
	Pack               ID
	Offset             uint32
	Length             uint32
	UncompressedLength uint32
}

// PlaintextLength returns the blob's plaintext size.
func (l BlobLocation) PlaintextLength() uint32 {
	return pack.Entry{Length: l.Length, UncompressedLength: l.UncompressedLength}.PlaintextLength()
}

// LookupBlob returns every indexed location of a blob; none if the index
// does not list it.
func (r *Repository) LookupBlob(t BlobType, id ID) []BlobLocation {
	locs := r.index().LookupAll(pack.BlobType(t), id)
	out := make([]BlobLocation, len(locs))
	for i, l := range locs {
		out[i] = BlobLocation{Pack: l.Pack, Offset: l.Offset, Length: l.Length, UncompressedLength: l.UncompressedLength}
	}
	return out
}

// DecodeBlob turns the stored bytes of a blob (the Length bytes at Offset of
// loc's pack) into its plaintext, verified against id as LoadBlob verifies
// it: a wrong MAC, a bad zstd frame or a hash mismatch is ErrInvalidData
// naming the pack. sealed is decrypted in place. A compressed blob is
// decompressed into buf's memory (reallocated if too small); the plaintext
// of an uncompressed blob is returned in sealed's memory, without a copy.
// DecodeBlob is safe for concurrent use.
func (r *Repository) DecodeBlob(t BlobType, id ID, loc BlobLocation, sealed, buf []byte) ([]byte, error) {
	e := pack.Entry{Type: pack.BlobType(t), ID: id, Offset: loc.Offset, Length: loc.Length, UncompressedLength: loc.UncompressedLength}
	h := packHandle(loc.Pack)
	if len(sealed) != int(loc.Length) {
		return nil, fmt.Errorf("%w: %v blob %v in %v: got %d stored bytes, the index says %d", ErrInvalidData, t, id.Str(), h, len(sealed), loc.Length)
	}
	if e.Compressed() {
		return r.decodeBlob(h, e, sealed, buf)
	}
	plain, err := r.key.OpenInPlace(sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: decrypting %v blob %v in %v: %w", ErrInvalidData, t, id.Str(), h, err)
	}
	if got := Hash(plain); got != id {
		return nil, fmt.Errorf("%w: %v blob %v in %v hashes to %v", ErrInvalidData, t, id.Str(), h, got.Str())
	}
	return plain, nil
}
