package images

import (
	"fmt"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/cairn-backup/cairn/deploy/image"
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
	if err := image.Write(path, img, r.refs...); err != nil {
		return "", fmt.Errorf("images: %s: %w", r.name, err)
	}
	pruneOthers(dir, r.name, path)
	return path, nil
}

// image assembles r with deploy/image, which builds Cairn's image too.
func (r recipe) image() (v1.Image, error) {
	tars := make([][]byte, 0, len(r.layers)+len(r.tars))
	for _, l := range r.layers {
		data, err := l.tar()
		if err != nil {
			return nil, err
		}
		tars = append(tars, data)
	}
	return image.Assemble(r.config, append(tars, r.tars...)...)
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
