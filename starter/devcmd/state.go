package devcmd

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lockDataDir keeps a second `cairn dev` off the data folder while this one
// runs; the lock goes with the process.
func lockDataDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("another cairn dev runs on %s: stop it, or pass another --data-dir", dir)
		}
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	return f, nil
}

// forgetMembers empties the cluster membership table of the Temporal
// database in dbFile, when it exists. Each start of the embedded server
// listens on new internal ports and records them there; for about 20 s
// after a stop, the next start would try to join the previous run's
// addresses, and its matching service would not join the ring in time
// (schedules and task queues then time out). Nothing else uses the file
// while the data folder is locked. The SQLite driver is the one the
// embedded server registers (modernc.org/sqlite, as "sqlite").
func forgetMembers(ctx context.Context, dbFile string) error {
	if _, err := os.Stat(dbFile); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", dbFile+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("opening %s: %w", dbFile, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DELETE FROM cluster_membership"); err != nil {
		return fmt.Errorf("clearing the stale cluster membership in %s: %w", dbFile, err)
	}
	return nil
}
