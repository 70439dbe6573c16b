package image

import (
	"errors"

	"github.com/cairn-backup/cairn/deploy/release"
)

// Stamp says what to build and what the build is: the repository root,
// and the version and commit stamped into the binary, its labels and its tag.
type Stamp struct {
	// Root is the repository root.
	Root string
	// Version is the release (release.Version when empty).
	Version string
	// Commit is the git commit; when empty the binary carries what go
	// build records from the checkout, and the image no revision label.
	Commit string
}

// Ref is the tag the image answers to: ghcr.io/cairn-backup/cairn:<version>.
func (s Stamp) Ref() string { return release.Repository + ":" + s.version() }

func (s Stamp) version() string {
	if s.Version == "" {
		return release.Version
	}
	return s.Version
}

func (s Stamp) check() error {
	if s.Root == "" {
		return errors.New("image: the repository root is required (Stamp.Root, -root)")
	}
	return nil
}
