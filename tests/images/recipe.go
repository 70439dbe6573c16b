package images

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// format is part of every key: bump it when the way images are assembled
// changes, so that cached tarballs are rebuilt.
const format = "cairn-images/2"

// recipe is what one image is made of.
type recipe struct {
	name   string // the tarball's name stem
	refs   []string
	config v1.Config
	layers []layer
	tars   [][]byte // layers built elsewhere (Cairn's, by deploy/image), above layers
}

// key hashes everything that goes into the image: its refs, its config and
// the content of every layer entry.
func (r recipe) key() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%q\n", format, r.name, r.refs)
	cfg, _ := json.Marshal(r.config) // a v1.Config always marshals
	fmt.Fprintf(h, "%s\n", cfg)
	for i, l := range r.layers {
		fmt.Fprintf(h, "layer %d\n", i)
		for _, e := range l {
			e.hash(h)
		}
	}
	for i, t := range r.tars {
		fmt.Fprintf(h, "tar %d %x\n", i, sha256.Sum256(t))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hash writes what the entry is to h.
func (e entry) hash(h io.Writer) {
	sum := sha256.Sum256(e.data)
	fmt.Fprintf(h, "%q %o %q %d:%d %x\n", e.path, uint32(e.mode), e.link, e.uid, e.gid, sum)
}
