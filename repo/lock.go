package repo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Lock timing, as in restic. Variables so tests can shorten them.
var (
	staleLockTimeout    = 30 * time.Minute
	lockRefreshInterval = 5 * time.Minute
	waitBeforeLockCheck = 200 * time.Millisecond
)

// lockFile is the JSON of a file under locks/.
type lockFile struct {
	Time      time.Time `json:"time"`
	Exclusive bool      `json:"exclusive"`
	Hostname  string    `json:"hostname"`
	Username  string    `json:"username"`
	PID       int       `json:"pid"`
	UID       uint32    `json:"uid,omitempty"`
	GID       uint32    `json:"gid,omitempty"`
}

// LockInfo describes a lock file.
type LockInfo struct {
	ID        ID
	Time      time.Time
	Exclusive bool
	Hostname  string
	Username  string
	PID       int
	Stale     bool // older than 30 minutes, or its process on this host is gone
}

func (l LockInfo) String() string {
	kind := "shared"
	if l.Exclusive {
		kind = "exclusive"
	}
	return fmt.Sprintf("%s lock %v by PID %d on %s by %s, created %s",
		kind, l.ID.Str(), l.PID, l.Hostname, l.Username, l.Time.Format(time.RFC3339))
}

// LockedError reports a lock that conflicts with the one requested.
type LockedError struct {
	Location string
	Holder   LockInfo
}

// ErrLocked is what errors.Is matches for a *LockedError.
var ErrLocked = errors.New("repository is locked")

func (e *LockedError) Error() string {
	return fmt.Sprintf("repository at %s is locked: %v; if that process is gone, "+
		"wait until the lock is stale (30 minutes) or remove it with unlock", e.Location, e.Holder)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Lock is a held lock. It refreshes its file every five minutes until
// Unlock; Lost is closed if refreshing fails for so long that others may
// consider the lock stale.
type Lock struct {
	r         *Repository
	info      lockFile
	mu        sync.Mutex
	id        ID
	stop      chan struct{}
	done      chan struct{}
	lost      chan struct{}
	unlockErr error
	once      sync.Once
}

// Lock takes a shared (exclusive false) or exclusive lock. Shared locks
// coexist; an exclusive lock excludes every other lock. Stale locks are
// ignored. A conflict fails with a *LockedError naming the holder.
func (r *Repository) Lock(ctx context.Context, exclusive bool) (*Lock, error) {
	if err := r.checkLocks(ctx, exclusive, ID{}); err != nil {
		return nil, err
	}
	info := lockFile{
		Time: r.opts.Now(), Exclusive: exclusive, Hostname: r.opts.Hostname,
		Username: r.opts.Username, PID: os.Getpid(),
		UID: uint32(os.Getuid()), GID: uint32(os.Getgid()),
	}
	id, err := r.saveJSONUnpacked(ctx, backend.LockFile, info)
	if err != nil {
		return nil, err
	}
	select {
	case <-time.After(waitBeforeLockCheck):
	case <-ctx.Done():
	}
	if err := r.checkLocks(ctx, exclusive, id); err != nil {
		_ = r.be.Remove(context.WithoutCancel(ctx), backend.Handle{Type: backend.LockFile, Name: id.String()})
		return nil, err
	}
	l := &Lock{r: r, info: info, id: id, stop: make(chan struct{}), done: make(chan struct{}), lost: make(chan struct{})}
	go l.refreshLoop()
	return l, nil
}

// checkLocks returns a *LockedError for the first live lock (other than
// own) that conflicts with the requested kind.
func (r *Repository) checkLocks(ctx context.Context, exclusive bool, own ID) error {
	locks, err := r.ListLocks(ctx)
	if err != nil {
		return err
	}
	for _, l := range locks {
		if l.ID == own || l.Stale {
			continue
		}
		if exclusive || l.Exclusive {
			return &LockedError{Location: r.be.Location(), Holder: l}
		}
	}
	return nil
}

// ListLocks returns all lock files. Files removed while listing are
// skipped; an unreadable lock file is an error naming it.
func (r *Repository) ListLocks(ctx context.Context) ([]LockInfo, error) {
	ids, err := listNames(ctx, r.be, backend.LockFile)
	if err != nil {
		return nil, err
	}
	var locks []LockInfo
	for _, id := range ids {
		var lf lockFile
		h := backend.Handle{Type: backend.LockFile, Name: id.String()}
		if err := r.loadJSONUnpacked(ctx, h, &lf); backend.IsNotExist(err) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("%w (remove it with unlock --remove-all if it is damaged)", err)
		}
		locks = append(locks, LockInfo{
			ID: id, Time: lf.Time, Exclusive: lf.Exclusive, Hostname: lf.Hostname,
			Username: lf.Username, PID: lf.PID, Stale: r.stale(lf),
		})
	}
	return locks, nil
}

// stale reports whether a lock is too old or belongs to a dead process on
// this host.
func (r *Repository) stale(lf lockFile) bool {
	if r.opts.Now().Sub(lf.Time) > staleLockTimeout {
		return true
	}
	return lf.Hostname == r.opts.Hostname && !processAlive(lf.PID)
}

func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// RemoveLocks removes stale lock files, or all lock files if all is set,
// and returns how many it removed.
func (r *Repository) RemoveLocks(ctx context.Context, all bool) (int, error) {
	locks, err := r.ListLocks(ctx)
	if err != nil && !all {
		return 0, err
	}
	n := 0
	remove := func(id ID) error {
		err := r.be.Remove(ctx, backend.Handle{Type: backend.LockFile, Name: id.String()})
		if err != nil && !backend.IsNotExist(err) {
			return fmt.Errorf("removing lock %v: %w", id.Str(), err)
		}
		n++
		return nil
	}
	if all {
		ids, err := listNames(ctx, r.be, backend.LockFile)
		if err != nil {
			return 0, err
		}
		for _, id := range ids {
			if err := remove(id); err != nil {
				return n, err
			}
		}
		return n, nil
	}
	for _, l := range locks {
		if l.Stale {
			if err := remove(l.ID); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// ID returns the lock's current file id (it changes on refresh).
func (l *Lock) ID() ID {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.id
}

// Lost is closed when the lock could not be refreshed before going stale;
// work under the lock should stop.
func (l *Lock) Lost() <-chan struct{} { return l.lost }

func (l *Lock) refreshLoop() {
	defer close(l.done)
	t := time.NewTicker(lockRefreshInterval)
	defer t.Stop()
	lastOK := time.Now()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		if err := l.refresh(); err == nil {
			lastOK = time.Now()
		} else if time.Since(lastOK) > staleLockTimeout-lockRefreshInterval {
			close(l.lost)
			return
		}
	}
}

// refresh writes a new lock file with the current time and removes the old
// one (files are never modified in place).
func (l *Lock) refresh() error {
	// at least a minute, also when tests shorten the interval: a refresh
	// cut off between saving the new file and removing the old one would
	// leave the old file behind
	ctx, cancel := context.WithTimeout(context.Background(), max(lockRefreshInterval, time.Minute))
	defer cancel()
	info := l.info
	info.Time = l.r.opts.Now()
	id, err := l.r.saveJSONUnpacked(ctx, backend.LockFile, info)
	if err != nil {
		return err
	}
	l.mu.Lock()
	old := l.id
	l.id = id
	l.mu.Unlock()
	return l.r.be.Remove(ctx, backend.Handle{Type: backend.LockFile, Name: old.String()})
}

// Unlock stops refreshing and removes the lock file. Calling it again
// returns the first result.
func (l *Lock) Unlock(ctx context.Context) error {
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		h := backend.Handle{Type: backend.LockFile, Name: l.ID().String()}
		if err := l.r.be.Remove(ctx, h); err != nil && !backend.IsNotExist(err) {
			l.unlockErr = fmt.Errorf("removing %v: %w", h, err)
		}
	})
	return l.unlockErr
}

// ErrLockLost is the cause of a Guard context's cancellation: the lock
// could not be refreshed, so another process may take the repository.
var ErrLockLost = errors.New("the repository lock could not be refreshed, so another process may take the repository")

// Guard returns ctx, cancelled with ErrLockLost as its cause if the lock
// is lost, so that work under the lock stops; call stop when done.
func (l *Lock) Guard(ctx context.Context) (guarded context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	go func() {
		select {
		case <-l.Lost():
			cancel(ErrLockLost)
		case <-ctx.Done():
		}
	}()
	return ctx, func() { cancel(nil) }
}
