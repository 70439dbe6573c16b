package index

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cairn-backup/cairn/repo/internal/crypto"
	"github.com/cairn-backup/cairn/repo/internal/pack"
)

// ErrInvalid marks an index file whose contents are malformed.
var ErrInvalid = errors.New("invalid index")

// Pack lists the blobs of one pack file.
type Pack struct {
	ID    [32]byte
	Blobs []pack.Entry
}

// File is the contents of one index file.
type File struct {
	// Supersedes lists index files this one replaces; restic no longer
	// writes it and readers ignore it.
	Supersedes [][32]byte
	Packs      []Pack
}

type hexID [32]byte

func (h hexID) MarshalText() ([]byte, error) {
	return hex.AppendEncode(make([]byte, 0, 64), h[:]), nil
}

func (h *hexID) UnmarshalText(b []byte) error {
	if len(b) != 64 {
		return fmt.Errorf("id %q has %d characters, want 64", truncate(b), len(b))
	}
	if _, err := hex.Decode(h[:], b); err != nil {
		return fmt.Errorf("id %q: %w", truncate(b), err)
	}
	return nil
}

func truncate(b []byte) []byte {
	if len(b) > 70 {
		return b[:70]
	}
	return b
}

type blobType pack.BlobType

func (t blobType) MarshalText() ([]byte, error) {
	switch pack.BlobType(t) {
	case pack.DataBlob:
		return []byte("data"), nil
	case pack.TreeBlob:
		return []byte("tree"), nil
	}
	return nil, fmt.Errorf("invalid blob type %d", t)
}

func (t *blobType) UnmarshalText(b []byte) error {
	switch string(b) {
	case "data":
		*t = blobType(pack.DataBlob)
	case "tree":
		*t = blobType(pack.TreeBlob)
	default:
		return fmt.Errorf("unknown blob type %q", truncate(b))
	}
	return nil
}

type jsonBlob struct {
	ID                 hexID    `json:"id"`
	Type               blobType `json:"type"`
	Offset             uint32   `json:"offset"`
	Length             uint32   `json:"length"`
	UncompressedLength uint32   `json:"uncompressed_length,omitempty"`
}

type jsonPack struct {
	ID    hexID      `json:"id"`
	Blobs []jsonBlob `json:"blobs"`
}

type jsonFile struct {
	Supersedes []hexID    `json:"supersedes,omitempty"`
	Packs      []jsonPack `json:"packs"`
}

// Encode returns the JSON form of f. Supersedes is not written.
func (f *File) Encode() ([]byte, error) {
	j := jsonFile{Packs: make([]jsonPack, len(f.Packs))}
	for i, p := range f.Packs {
		jp := jsonPack{ID: p.ID, Blobs: make([]jsonBlob, len(p.Blobs))}
		for k, b := range p.Blobs {
			jp.Blobs[k] = jsonBlob{ID: b.ID, Type: blobType(b.Type), Offset: b.Offset, Length: b.Length, UncompressedLength: b.UncompressedLength}
		}
		j.Packs[i] = jp
	}
	return json.Marshal(j)
}

// Decode parses an index file and validates every entry: ids are 64 hex
// digits, types are data or tree, and lengths cover at least the crypto
// overhead. Unknown fields are ignored.
func Decode(data []byte) (*File, error) {
	var j jsonFile
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	f := &File{Packs: make([]Pack, len(j.Packs))}
	for _, s := range j.Supersedes {
		f.Supersedes = append(f.Supersedes, s)
	}
	for i, jp := range j.Packs {
		p := Pack{ID: jp.ID, Blobs: make([]pack.Entry, len(jp.Blobs))}
		for k, b := range jp.Blobs {
			if b.Length < crypto.Extension {
				return nil, fmt.Errorf("%w: pack %x blob %x has length %d", ErrInvalid, jp.ID[:4], b.ID[:4], b.Length)
			}
			if uint64(b.Offset)+uint64(b.Length) > 1<<32-1 {
				return nil, fmt.Errorf("%w: pack %x blob %x ends beyond 4 GiB", ErrInvalid, jp.ID[:4], b.ID[:4])
			}
			p.Blobs[k] = pack.Entry{Type: pack.BlobType(b.Type), ID: b.ID, Offset: b.Offset, Length: b.Length, UncompressedLength: b.UncompressedLength}
		}
		f.Packs[i] = p
	}
	return f, nil
}
