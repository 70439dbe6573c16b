package locations

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/cairn-backup/cairn/repo/backend/s3"
)

// CheckTimeout bounds one Check.
const CheckTimeout = 30 * time.Second

// checkRetries is how often Check retries a failed request: few, so that an
// unreachable server is reported quickly.
const checkRetries = 2

// Check tells whether loc's storage is reachable: for provider aws, that
// the bucket exists and the credentials may list it under the prefix; for
// provider local, that the folder exists. It returns the phase and a
// message saying what was checked or why it failed; the caller sets
// LastValidationTime. Check never writes.
func (s *Store) Check(ctx context.Context, loc Location) Status {
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	msg, err := s.check(ctx, loc)
	if err != nil {
		return Status{Phase: Unavailable, Message: err.Error()}
	}
	return Status{Phase: Available, Message: msg}
}

func (s *Store) check(ctx context.Context, loc Location) (string, error) {
	target, err := s.Open(ctx, loc)
	if err != nil {
		return "", err
	}
	if target.S3 == nil {
		fi, err := os.Stat(loc.Spec.Path)
		switch {
		case err != nil:
			return "", fmt.Errorf("folder %s: %w", loc.Spec.Path, err)
		case !fi.IsDir():
			return "", fmt.Errorf("%s is not a folder", loc.Spec.Path)
		}
		return "folder " + loc.Spec.Path + " exists", nil
	}
	cfg := *target.S3
	cfg.MaxRetries = checkRetries
	be, err := s3.Open(ctx, cfg)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "", fmt.Errorf("no answer from the S3 server within %v: %w", CheckTimeout, err)
		}
		return "", err
	}
	where := be.Location()
	if err := be.Close(); err != nil {
		return "", err
	}
	return "listed " + where, nil
}
