package repo

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Claims are the files in locks/ by which concurrent InitOrOpen calls
// decide which of them creates a repository. They exist only while a
// repository is being created, and their names are not ids, so lock
// listings (Cairn's and restic's) skip them.
const (
	claimPrefix = "init-"
	// claimTimeout: an older claim was left by a process that died while
	// creating the repository, and is removed. It is long enough for
	// clocks that differ between machines.
	claimTimeout = 10 * time.Minute
)

// InitOrOpen opens the repository on be, creating it first when there is
// none (as Init, with opts). Callers racing to create the same repository
// (the node agents backing up several volumes of a new namespace at once)
// agree on one, where two plain Init calls would each write a config and a
// key of their own master key, and each go on writing data only its own
// key can read.
//
// Each caller writes a claim and lists the claims: one that sees only its
// own creates the repository; the others withdraw theirs and open it once
// its config appears. With storage that lists what was written before the
// listing started (S3, a local folder), two callers cannot both see only
// their own claim.
func InitOrOpen(ctx context.Context, be backend.Backend, password string, opts Options) (*Repository, error) {
	now := opts.withDefaults().Now
	for attempt := 0; ; attempt++ {
		if _, err := be.Stat(ctx, configHandle); err == nil {
			return Open(ctx, be, password, opts)
		} else if !backend.IsNotExist(err) {
			return nil, fmt.Errorf("checking for a repository at %s: %w", be.Location(), err)
		}
		claim, won, err := claimInit(ctx, be, now())
		if err != nil {
			return nil, err
		}
		if won {
			r, err := Init(ctx, be, password, opts)
			_ = be.Remove(context.WithoutCancel(ctx), claim)
			if errors.Is(err, ErrAlreadyExists) { // created just before our claim
				return Open(ctx, be, password, opts)
			}
			return r, err
		}
		// Another caller creates it; look again after a random pause, so
		// that callers that saw each other's claims do not meet again.
		pause := time.Duration(50+rand.IntN(100)) * time.Millisecond * time.Duration(min(attempt+1, 10))
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for another process to create the repository at %s: %w", be.Location(), ctx.Err())
		case <-time.After(pause):
		}
	}
}

// claimInit writes a claim to create the repository and reports whether it
// is the only live one; if not, the claim is withdrawn. Claims older than
// claimTimeout are removed.
func claimInit(ctx context.Context, be backend.Backend, now time.Time) (backend.Handle, bool, error) {
	h := backend.Handle{Type: backend.LockFile, Name: claimPrefix + strconv.FormatInt(now.UnixNano(), 16) + "-" + crand.Text()}
	if err := be.Save(ctx, h, []byte("creating the repository\n")); err != nil {
		return h, false, fmt.Errorf("claiming the creation of the repository at %s: %w", be.Location(), err)
	}
	others := 0
	err := be.List(ctx, backend.LockFile, func(fi backend.FileInfo) error {
		if fi.Name == h.Name || !strings.HasPrefix(fi.Name, claimPrefix) {
			return nil
		}
		if at, ok := claimTime(fi.Name); ok && now.Sub(at) > claimTimeout {
			_ = be.Remove(ctx, backend.Handle{Type: backend.LockFile, Name: fi.Name})
			return nil
		}
		others++
		return nil
	})
	if err != nil || others > 0 {
		_ = be.Remove(context.WithoutCancel(ctx), h)
	}
	if err != nil {
		return h, false, fmt.Errorf("listing the claims to create the repository at %s: %w", be.Location(), err)
	}
	return h, others == 0, nil
}

// claimTime is when the claim named name was written.
func claimTime(name string) (time.Time, bool) {
	stamp, _, ok := strings.Cut(strings.TrimPrefix(name, claimPrefix), "-")
	if !ok {
		return time.Time{}, false
	}
	ns, err := strconv.ParseInt(stamp, 16, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, ns), true
}
