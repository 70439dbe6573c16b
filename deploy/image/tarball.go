package image

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Write writes img tagged with refs to path as a docker-archive tarball,
// through a temporary file in the same folder renamed into place, so that
// a reader never sees half a tarball.
func Write(path string, img v1.Image, refs ...string) error {
	tagged := make(map[name.Reference]v1.Image, len(refs))
	for _, ref := range refs {
		tag, err := name.NewTag(ref)
		if err != nil {
			return fmt.Errorf("image: %q is not a tag such as ghcr.io/cairn-backup/cairn:v1.0.0: %w", ref, err)
		}
		tagged[tag] = img
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("image: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tarball.MultiRefWrite(tagged, tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("image: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
