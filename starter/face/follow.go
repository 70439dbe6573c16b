package face

import (
	"cmp"
	"context"
	"time"
)

// lookBack widens each follow's window, so that a workflow that closed
// while visibility caught up is not missed.
const lookBack = 5 * time.Second

// everyNth follows schedules, locations and collects answered requests on
// every fifth follow.
const everyNth = 5

// follow writes the workflows' state back into the objects until ctx ends:
// running and just-ended backups and restores every Follow, schedules and
// locations every fifth, everything Temporal and the records know every
// Sync.
func (f *Face) follow(ctx context.Context) {
	period, sync := cmp.Or(f.Follow, DefaultFollow), cmp.Or(f.Sync, DefaultSync)
	var lastSync time.Time
	for n := 0; ; n++ {
		start := time.Now()
		full := start.Sub(lastSync) >= sync
		f.followOnce(ctx, full, n%everyNth == 0)
		if full {
			lastSync = start
		}
		f.lastFollow = start
		select {
		case <-ctx.Done():
			return
		case <-time.After(period):
		}
	}
}

func (f *Face) followOnce(ctx context.Context, full, medium bool) {
	f.followBackups(ctx, full)
	f.followRestores(ctx, full)
	if medium || full {
		f.followSchedules(ctx)
		f.followLocations(ctx)
		f.collect(ctx)
	}
	if full {
		f.followRepositories(ctx)
	}
}

// since is where the next follow's window starts.
func (f *Face) since() time.Time { return f.lastFollow.Add(-lookBack) }
