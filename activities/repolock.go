package activities

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// ErrTypeRepositoryLocked is the type of the non-retryable error of an
// activity that found its repository locked by another process: a
// maintenance, a deletion, restic. Its details are the holder, as text.
// The workflows do not retry it at once: they wait on a durable timer and
// run the activity again (see package workflows).
//
// Backups, restores and their pod volumes take shared locks; deletions
// (which remove snapshot files, as restic forget does) and maintenance take
// exclusive ones.
const ErrTypeRepositoryLocked = "RepositoryLocked"

// A conflict with a brief lock (another deletion removing its snapshots)
// is retried in the activity: lockTries times in all, after a random pause.
// Variables so tests can shorten them.
var (
	lockTries    = 4
	lockPauseMin = 500 * time.Millisecond
	lockPauseMax = 2500 * time.Millisecond
)

// lockBeat is the part of an activity's heartbeat that names the repository
// lock the attempt holds; PodVolumeProgress and StageBeat carry it.
type lockBeat struct {
	LockID string `json:",omitempty"`
}

// lockRepo takes a shared or exclusive lock on r, the repository of what,
// for an activity. A retried attempt first removes the lock of the attempt
// it replaces, whose ID that attempt heartbeated: its process was killed
// or lost the activity, and its lock would keep maintenance and restic's
// check and prune out until it goes stale (30 minutes). A lock that
// another process holds is tried again briefly, then fails with
// ErrTypeRepositoryLocked.
func lockRepo(ctx context.Context, r *repo.Repository, exclusive bool, what string) (*repo.Lock, error) {
	removeReplacedLock(ctx, r)
	for try := 1; ; try++ {
		l, err := r.Lock(ctx, exclusive)
		var le *repo.LockedError
		switch {
		case err == nil:
			return l, nil
		case !errors.As(err, &le):
			return nil, fmt.Errorf("locking %s: %w", what, err)
		case try == lockTries:
			return nil, lockedError(what, le)
		}
		t := time.NewTimer(lockPauseMin + rand.N(lockPauseMax-lockPauseMin))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// lockedError is the ErrTypeRepositoryLocked error of le.
func lockedError(what string, le *repo.LockedError) error {
	holder := le.Holder.String()
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf("%s is locked: %s", what, holder),
		ErrTypeRepositoryLocked, le, holder)
}

// removeReplacedLock removes the lock file whose ID the previous attempt
// of this activity heartbeated, if any. A lock file that is gone already,
// or that cannot be removed, is left to the staleness rule.
func removeReplacedLock(ctx context.Context, r *repo.Repository) {
	id := replacedLockID(ctx)
	if id.IsNull() {
		return
	}
	err := r.Backend().Remove(ctx, backend.Handle{Type: backend.LockFile, Name: id.String()})
	switch {
	case err == nil:
		activity.GetLogger(ctx).Info("removed the lock of the attempt this one replaces", "lock", id.Str())
	case !backend.IsNotExist(err):
		activity.GetLogger(ctx).Warn("removing the lock of the attempt this one replaces", "lock", id.Str(), "error", err)
	}
}

// replacedLockID is the lock ID in the heartbeat of the attempt this one
// replaces; the null ID when there is none.
func replacedLockID(ctx context.Context) repo.ID {
	if !activity.HasHeartbeatDetails(ctx) {
		return repo.ID{}
	}
	var b lockBeat
	if activity.GetHeartbeatDetails(ctx, &b) != nil || b.LockID == "" {
		return repo.ID{}
	}
	id, err := repo.ParseID(b.LockID)
	if err != nil {
		return repo.ID{}
	}
	return id
}

// unlock releases l once the activity is done, even if its context ended.
func unlock(ctx context.Context, l *repo.Lock) {
	if err := l.Unlock(context.WithoutCancel(ctx)); err != nil {
		activity.GetLogger(ctx).Warn("removing the repository lock", "error", err)
	}
}

// openShared opens the repository in folder dir of st (creating it when
// create is set), takes a shared lock on it, and only then loads its
// index: a prune that ran between the open and the lock would otherwise
// leave an index naming removed blobs, for a backup to deduplicate
// against. withIndex opens it with its index as well, for RecoverPacks,
// which needs one; it is loaded again under the lock. The caller unlocks
// the lock, then calls the returned close.
func openShared(ctx context.Context, st Storage, dir string, create, withIndex bool) (*repo.Repository, *repo.Lock, func(), error) {
	r, closeRepo, err := st.OpenRepoAt(ctx, dir, create, repo.Options{NoIndex: !withIndex})
	if err != nil {
		return nil, nil, nil, err
	}
	what := fmt.Sprintf("location %s: repository %s", st.Name, dir)
	lock, err := lockRepo(ctx, r, false, what)
	if err != nil {
		closeRepo()
		return nil, nil, nil, err
	}
	if err := r.LoadIndex(ctx); err != nil {
		unlock(ctx, lock)
		closeRepo()
		return nil, nil, nil, fmt.Errorf("%s: loading the index: %w", what, err)
	}
	return r, lock, closeRepo, nil
}
