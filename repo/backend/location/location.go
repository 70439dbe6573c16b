// Package location turns a repository location, as restic's -r flag takes
// it, into a backend: a local folder path, or `s3:<url>/<bucket>/<prefix>`.
package location

import (
	"context"
	"errors"
	"strings"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/local"
	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// Location is a parsed repository location.
type Location struct {
	// Path is a local folder; empty for S3.
	Path string
	// S3 is set for an s3: location; the caller may add credentials and TLS settings.
	S3 *s3.Config
}

// Parse reads a location: `s3:...` in restic's syntax, `local:<path>`, or a path.
func Parse(s string) (Location, error) {
	switch {
	case s == "":
		return Location{}, errors.New("no repository given: pass -r/--repo with a folder or s3:<url>/<bucket>/<prefix>, or set CAIRN_REPOSITORY")
	case strings.HasPrefix(s, "s3:"):
		cfg, err := s3.ParseURL(s)
		if err != nil {
			return Location{}, err
		}
		return Location{S3: &cfg}, nil
	case strings.HasPrefix(s, "local:"):
		return Location{Path: strings.TrimPrefix(s, "local:")}, nil
	case strings.Contains(strings.SplitN(s, "/", 2)[0], ":"):
		return Location{}, errors.New("unsupported repository location " + s + ": use a folder path or s3:<url>/<bucket>/<prefix>")
	default:
		return Location{Path: s}, nil
	}
}

// Open opens the backend of an existing repository.
func (l Location) Open(ctx context.Context) (backend.Backend, error) {
	if l.S3 != nil {
		return s3.Open(ctx, *l.S3)
	}
	return local.Open(ctx, l.Path)
}

// Create prepares the backend for a new repository: it creates the folder
// tree, or the bucket when it is missing.
func (l Location) Create(ctx context.Context) (backend.Backend, error) {
	if l.S3 != nil {
		return s3.Create(ctx, *l.S3)
	}
	return local.Create(ctx, l.Path)
}
