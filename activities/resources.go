package activities

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"

	"github.com/cairn-backup/cairn/repo"
)

// ErrTypeInvalid is the type of the non-retryable application errors of
// invalid backups and restores.
const ErrTypeInvalid = "InvalidInput"

// HeartbeatInterval is how often the long activities heartbeat; the
// workflows set a heartbeat timeout well above it.
const HeartbeatInterval = 5 * time.Second

// ProgressInterval is how often an activity's progress (items stored, a
// volume's bytes) reaches Temporal, where `--wait`, `describe` and the
// velero.io/v1 objects read it: workers send heartbeats at least this
// often (their MaxHeartbeatThrottleInterval), and the control-plane
// activities beat this often.
const ProgressInterval = 2 * time.Second

// Resources holds the clients of the resource backup and restore
// activities. Workflows reference its methods through a nil pointer.
type Resources struct {
	Dynamic   dynamic.Interface
	Discovery discovery.DiscoveryInterface
	Locations LocationResolver
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// HelperImage runs the restore-wait init container of pods whose
	// volumes are restored (restore.DefaultHelperImage when empty).
	HelperImage string
}

func (r *Resources) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// invalid returns the non-retryable error of a bad input.
func invalid(msg string) error {
	return temporal.NewNonRetryableApplicationError(msg, ErrTypeInvalid, nil)
}

// heartbeating runs fn while heartbeating every ProgressInterval, so that
// the server notices a dead worker, a cancellation reaches ctx and the
// progress in the details shows while it runs.
func heartbeating[T any](ctx context.Context, stage string, fn func(context.Context) (T, error)) (T, error) {
	return heartbeatingWith(ctx, func() any { return stage }, fn)
}

// heartbeatingWith is heartbeating with the details details returns at
// each beat.
func heartbeatingWith[T any](ctx context.Context, details func() any, fn func(context.Context) (T, error)) (T, error) {
	done := make(chan struct{})
	defer close(done)
	activity.RecordHeartbeat(ctx, details())
	go func() {
		t := time.NewTicker(ProgressInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				activity.RecordHeartbeat(ctx, details())
			}
		}
	}()
	return fn(ctx)
}

// StageBeat is the heartbeat of a control-plane activity that works under
// a repository lock: its stage, the lock a retry removes (lockRepo), and
// its progress, which starter.Client reads while the workflow runs.
type StageBeat struct {
	Stage  string
	LockID string `json:",omitempty"`
	// Items counts the items a backup stored so far.
	Items int64 `json:",omitempty"`
}

// beat holds the stage and the repository lock, if any, of an activity;
// its details are what it heartbeats.
type beat struct {
	mu    sync.Mutex
	stage string
	lock  *repo.Lock
	items atomic.Int64
}

// hold names l (nil: none) as the lock the activity holds.
func (b *beat) hold(l *repo.Lock) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lock = l
}

// setStage names the stage the activity is at.
func (b *beat) setStage(stage string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stage = stage
}

func (b *beat) details() any {
	b.mu.Lock()
	defer b.mu.Unlock()
	d := StageBeat{Stage: b.stage, Items: b.items.Load()}
	if b.lock != nil {
		d.LockID = b.lock.ID().String()
	}
	return d
}
