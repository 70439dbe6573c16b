package repo

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo/backend"
)

// fuzzHost is the hostname of the fuzzed repository's own process: a lock
// of this host is stale when its process is gone.
const fuzzHost = "fuzz-host"

// FuzzLockFile decodes lock file plaintexts the way ListLocks does: each
// input is sealed into a file under locks/ of an in-memory repository and
// listed. A lock that decodes must come out once, under its file's ID,
// stale by restic's rule (older than 30 minutes, or of a process gone on
// this host), and conflict with a new lock exactly as its kind and
// staleness say; one that does not decode must be an ErrInvalidData error.
// The seed corpus is in testdata/fuzz/FuzzLockFile.
func FuzzLockFile(f *testing.F) {
	r := TestRepository(f, 2, func(o *Options) { o.Hostname = fuzzHost })
	f.Add([]byte(`{"time":"2026-01-02T03:04:05.123456789Z","exclusive":true,"hostname":"node-1","username":"root","pid":4242,"uid":0,"gid":0}`))
	f.Add([]byte(`{"time":"2999-01-01T00:00:00Z","exclusive":false,"hostname":"fuzz-host","username":"u","pid":1}`))
	f.Fuzz(func(t *testing.T, plain []byte) {
		ctx := t.Context()
		id, err := r.saveUnpacked(ctx, backend.LockFile, plain)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = r.be.Remove(ctx, backend.Handle{Type: backend.LockFile, Name: id.String()}) }()
		locks, err := r.ListLocks(ctx)
		var lf lockFile
		if jerr := json.Unmarshal(plain, &lf); jerr != nil {
			if !errors.Is(err, ErrInvalidData) {
				t.Fatalf("undecodable lock file: ListLocks returned %v, %v", locks, err)
			}
			return
		}
		if err != nil || len(locks) != 1 || locks[0].ID != id {
			t.Fatalf("ListLocks: %v, %v", locks, err)
		}
		checkDecodedLock(t, r, lf, locks[0])
	})
}

// checkDecodedLock checks the lock l that ListLocks made of lf.
func checkDecodedLock(t *testing.T, r *Repository, lf lockFile, l LockInfo) {
	t.Helper()
	if !l.Time.Equal(lf.Time) || l.Exclusive != lf.Exclusive || l.Hostname != lf.Hostname || l.PID != lf.PID || l.Username != lf.Username {
		t.Fatalf("lock %+v from %+v", l, lf)
	}
	if time.Since(lf.Time) > staleLockTimeout+time.Minute && !l.Stale {
		t.Fatalf("a lock from %v is not stale", lf.Time)
	}
	if lf.Hostname != fuzzHost && time.Until(lf.Time) > time.Minute && l.Stale {
		t.Fatalf("a lock of another host from %v is stale", lf.Time)
	}
	_ = l.String()
	// The rule Lock applies: stale locks are ignored, an exclusive one
	// excludes all, a shared one excludes exclusive ones.
	stale := r.stale(lf)
	for _, exclusive := range []bool{false, true} {
		err := r.checkLocks(t.Context(), exclusive, ID{})
		var le *LockedError
		conflict := !stale && (exclusive || lf.Exclusive)
		if conflict != errors.As(err, &le) || (err != nil && le == nil) {
			t.Fatalf("exclusive %v over %+v (stale %v): %v", exclusive, lf, stale, err)
		}
	}
}
