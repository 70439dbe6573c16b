package forget

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// ByIDs removes the snapshots named by ids: full ids, unique id prefixes
// or "latest". Every name is resolved before anything is removed, so a
// name that matches no snapshot, or several, fails the call with nothing
// removed (restic instead warns and removes the rest). It returns the
// snapshots removed. The caller must hold an exclusive lock.
func ByIDs(ctx context.Context, r *repo.Repository, ids []string) ([]*repo.Snapshot, error) {
	sns, err := Resolve(ctx, r, ids, repo.SnapshotFilter{})
	if err != nil {
		return nil, err
	}
	return sns, Remove(ctx, r, sns)
}

// Resolve finds the snapshots named by ids (full ids, unique prefixes or
// "latest"), each once, in the order named. "latest" is the newest
// snapshot that passes f, and a snapshot named by id must pass f. It fails
// on the first name that matches no snapshot, or several.
func Resolve(ctx context.Context, r *repo.Repository, ids []string, f repo.SnapshotFilter) ([]*repo.Snapshot, error) {
	if len(ids) == 0 {
		return nil, errors.New("no snapshot ids given")
	}
	seen := map[repo.ID]bool{}
	var sns []*repo.Snapshot
	for _, name := range ids {
		sn, err := r.FindSnapshotFiltered(ctx, name, f)
		if err != nil {
			return nil, fmt.Errorf("%w; nothing was removed", err)
		}
		if !seen[sn.ID()] {
			seen[sn.ID()] = true
			sns = append(sns, sn)
		}
	}
	return sns, nil
}

// Remove deletes the snapshot files of sns, several at once (as many as
// the backend suggests, else 4). A file already gone counts as removed.
// It tries every snapshot and returns the failures joined, each naming its
// snapshot. The caller must hold an exclusive lock.
func Remove(ctx context.Context, r *repo.Repository, sns []*repo.Snapshot) error {
	be := r.Backend()
	work := make(chan *repo.Snapshot)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range max(1, min(connections(be), len(sns))) {
		wg.Go(func() {
			for sn := range work {
				if err := removeSnapshot(ctx, be, sn); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, sn := range sns {
		work <- sn
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

// connections is how many removals to run at once on be.
func connections(be backend.Backend) int {
	if h, ok := be.(backend.ConnectionHinter); ok && h.Connections() > 0 {
		return h.Connections()
	}
	return 4
}

func removeSnapshot(ctx context.Context, be backend.Backend, sn *repo.Snapshot) error {
	if sn.ID().IsNull() {
		return fmt.Errorf("removing a snapshot of %s: it has no id (it was never saved)", sn.Time)
	}
	h := backend.Handle{Type: backend.SnapshotFile, Name: sn.ID().String()}
	if err := be.Remove(ctx, h); err != nil && !backend.IsNotExist(err) {
		return fmt.Errorf("removing snapshot %s (%s): %w", sn.ID().Str(), h, err)
	}
	return nil
}
