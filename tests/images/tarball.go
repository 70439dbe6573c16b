package images

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// writeCached returns the tarball of r in dir, <name>-<key>.tar, writing it
// only if it is missing. It writes to a temporary file renamed into place,
// so a reader never sees half a tarball and two writers do not collide;
// once it is there, the tarballs of older inputs of the same name go.
func writeCached(dir string, r recipe) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("%s-%s.tar", r.name, r.key()[:16]))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	img, err := r.image()
	if err != nil {
		return "", fmt.Errorf("images: %s: %w", r.name, err)
	}
	if err := writeAtomically(path, r.refs, img); err != nil {
		return "", fmt.Errorf("images: %s: %w", r.name, err)
	}
	pruneOthers(dir, r.name, path)
	return path, nil
}

// image assembles r: an empty linux/amd64 image with r's config and layers.
func (r recipe) image() (v1.Image, error) {
	img, err := mutate.ConfigFile(empty.Image, &v1.ConfigFile{
		OS:           "linux",
		Architecture: "amd64",
		Config:       r.config,
	})
	if err != nil {
		return nil, err
	}
	for _, l := range r.layers {
		data, err := l.tar()
		if err != nil {
			return nil, err
		}
		opener := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		tl, err := tarball.LayerFromOpener(opener, tarball.WithCompressedCaching)
		if err != nil {
			return nil, err
		}
		if img, err = mutate.AppendLayers(img, tl); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// writeAtomically writes img, tagged with refs, to path through a
// temporary file in the same folder.
func writeAtomically(path string, refs []string, img v1.Image) error {
	tagged := make(map[name.Reference]v1.Image, len(refs))
	for _, ref := range refs {
		tag, err := name.NewTag(ref)
		if err != nil {
			return err
		}
		tagged[tag] = img
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tarball.MultiRefWrite(tagged, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// pruneOthers removes the tarballs named like keep but for other inputs.
func pruneOthers(dir, stem, keep string) {
	old, _ := filepath.Glob(filepath.Join(dir, stem+"-*.tar"))
	for _, p := range old {
		if p != keep && len(filepath.Base(p)) == len(filepath.Base(keep)) {
			_ = os.Remove(p)
		}
	}
}
