package repo

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo/backend"
)

func shortLockTimes(t *testing.T) {
	oldWait, oldRefresh := waitBeforeLockCheck, lockRefreshInterval
	waitBeforeLockCheck, lockRefreshInterval = time.Millisecond, 20*time.Millisecond
	t.Cleanup(func() { waitBeforeLockCheck, lockRefreshInterval = oldWait, oldRefresh })
}

func TestLocks(t *testing.T) {
	shortLockTimes(t)
	r := TestRepository(t, 2)
	ctx := t.Context()
	a, err := r.Lock(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Lock(ctx, false)
	if err != nil {
		t.Fatalf("second shared lock: %v", err)
	}
	_, err = r.Lock(ctx, true)
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "unlock") {
		t.Fatalf("exclusive over shared: %v", err)
	}
	if le.Holder.PID != os.Getpid() || le.Holder.Exclusive {
		t.Fatalf("holder %+v", le.Holder)
	}
	if err := a.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Unlock(ctx); err != nil {
		t.Fatalf("second unlock: %v", err)
	}
	x, err := r.Lock(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Lock(ctx, false); !errors.Is(err, ErrLocked) {
		t.Fatalf("shared over exclusive: %v", err)
	}
	// refreshing replaces the file
	first := x.ID()
	deadline := time.Now().Add(5 * time.Second)
	for x.ID() == first && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if x.ID() == first {
		t.Fatal("lock not refreshed")
	}
	if err := x.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if locks, _ := r.ListLocks(ctx); len(locks) != 0 {
		t.Fatalf("%d locks left after unlock", len(locks))
	}
}

func TestStaleLocks(t *testing.T) {
	shortLockTimes(t)
	r := TestRepository(t, 2)
	ctx := t.Context()
	old := lockFile{Time: time.Now().Add(-time.Hour), Exclusive: true, Hostname: "elsewhere", PID: 1}
	dead := lockFile{Time: time.Now(), Exclusive: true, Hostname: r.opts.Hostname, PID: 1 << 30}
	live := lockFile{Time: time.Now(), Exclusive: true, Hostname: "elsewhere", PID: 1}
	for _, lf := range []lockFile{old, dead} {
		if _, err := r.saveJSONUnpacked(ctx, backend.LockFile, lf); err != nil {
			t.Fatal(err)
		}
	}
	l, err := r.Lock(ctx, true)
	if err != nil {
		t.Fatalf("stale locks block: %v", err)
	}
	if err := l.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := r.RemoveLocks(ctx, false)
	if err != nil || n != 2 {
		t.Fatalf("removed %d stale locks: %v", n, err)
	}
	if _, err := r.saveJSONUnpacked(ctx, backend.LockFile, live); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Lock(ctx, false); !errors.Is(err, ErrLocked) {
		t.Fatalf("live exclusive lock from another host: %v", err)
	}
	if n, err := r.RemoveLocks(ctx, false); err != nil || n != 0 {
		t.Fatalf("removed %d live locks: %v", n, err)
	}
	if n, err := r.RemoveLocks(ctx, true); err != nil || n != 1 {
		t.Fatalf("remove all: %d, %v", n, err)
	}
}
