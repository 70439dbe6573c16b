package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// Waiting for a repository lock. An activity that finds its repository
// locked by another process (a maintenance holds it exclusively while
// backups hold it shared, or restic does) fails with
// activities.ErrTypeRepositoryLocked. The workflow then sleeps on a
// durable timer, which costs nothing while it waits and survives worker
// restarts, and runs the activity again: first after LockWaitFirst, then
// twice as long each time up to LockWaitMax, for LockWaitLimit in all.
//
// Workflows recorded before these waits replay unchanged: the wait only
// adds timers after an activity failure of a type that did not exist then.
const (
	LockWaitFirst = 10 * time.Second
	LockWaitMax   = 5 * time.Minute
	LockWaitLimit = 24 * time.Hour
)

// untilUnlocked runs try until it fails with anything but a held
// repository lock, waiting as described above. waiting hears the holder
// before each wait, and "" once a try got past the lock.
func untilUnlocked(ctx workflow.Context, waiting func(holder string), try func() error) error {
	start := workflow.Now(ctx)
	delay := LockWaitFirst
	waited := false
	for {
		err := try()
		holder, locked := lockHolder(err)
		if !locked {
			if waited {
				waiting("")
			}
			return err
		}
		if workflow.Now(ctx).Sub(start)+delay > LockWaitLimit {
			return temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("gave up after waiting %v: %s", LockWaitLimit, reason(err)), activities.ErrTypeRepositoryLocked, err, holder)
		}
		waiting(holder)
		waited = true
		workflow.GetLogger(ctx).Info("waiting for a repository lock", "holder", holder, "retryIn", delay)
		if err := workflow.Sleep(ctx, delay); err != nil {
			return err
		}
		delay = min(2*delay, LockWaitMax)
	}
}

// lockHolder tells whether err is an activity's failure on a held
// repository lock, and who holds it.
func lockHolder(err error) (string, bool) {
	var ae *temporal.ApplicationError
	if err == nil || !errors.As(err, &ae) || ae.Type() != activities.ErrTypeRepositoryLocked {
		return "", false
	}
	var holder string
	if !ae.HasDetails() || ae.Details(&holder) != nil || holder == "" {
		holder = ae.Message()
	}
	return holder, true
}
