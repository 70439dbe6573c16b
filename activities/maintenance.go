package activities

import (
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
)

// MaintenanceControl starts maintenance workflows and keeps the Temporal
// Schedules that start them, one per location. Package worker implements
// it; the workflow IDs and types live in package workflows.
type MaintenanceControl interface {
	// Request asks for a maintenance of the repository in
	// restic/<repository> of location: it starts one, or has the one
	// running run again once done.
	Request(ctx context.Context, location, repository string) error
	// ScheduledLocations lists the locations that have a maintenance
	// schedule.
	ScheduledLocations(ctx context.Context) ([]string, error)
	// Schedule creates the maintenance schedule of location, or brings it
	// to the configured frequency.
	Schedule(ctx context.Context, location string) error
	// Unschedule removes the maintenance schedule of location; a missing
	// one is not an error.
	Unschedule(ctx context.Context, location string) error
}

// MaintenanceMetrics hears the outcome of each maintenance run of a
// repository (named by RepositoryName). Implementations are safe for
// concurrent use.
type MaintenanceMetrics interface {
	MaintenanceDone(repository string, succeeded bool, d time.Duration, bytesRemoved uint64, at time.Time)
}

// Maintenance holds the clients of the repository maintenance activities.
// Workflows reference its methods through a nil pointer.
type Maintenance struct {
	Locations LocationResolver
	// Control starts maintenance workflows and keeps their schedules.
	Control MaintenanceControl
	// NoSchedules, when set, keeps no maintenance schedule (periodic
	// maintenance is off); requests still run.
	NoSchedules bool
	// Metrics may be nil.
	Metrics MaintenanceMetrics
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (m *Maintenance) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// MaintainRepository prunes the repository in restic/<repository> of a
// location with restic's defaults (at most 5% unused space left), then
// checks it, all under an exclusive lock, and records the outcome in the
// repository's record. Stale locks (restic's rule: not refreshed for 30
// minutes, or of a process gone on this host) are removed first. It
// heartbeats while it works.
//
// Failures: a lock that another process holds, ErrTypeRepositoryLocked (the
// workflow waits and tries again); a wrong password or no repository,
// ErrTypeRepositoryUnusable; problems found by the check,
// ErrTypeCheckFailed; a read-only or missing location, ErrTypeInvalid. An
// unreachable storage is retryable. The prune writes new packs and index
// files before it removes anything, and stops when the lock is lost, so
// an interrupted maintenance leaves a repository that a later one
// finishes.
func (m *Maintenance) MaintainRepository(ctx context.Context, in MaintainRepositoryInput) (MaintainRepositoryResult, error) {
	var res MaintainRepositoryResult
	st, err := m.writable(ctx, in.Location)
	if err != nil {
		return res, err
	}
	what := fmt.Sprintf("location %s: repository %s", st.Name, path.Join(resticDir, in.Repository))
	r, closeRepo, err := openForMaintenance(ctx, st, in.Repository, what)
	if err != nil {
		return res, err
	}
	defer closeRepo()
	if res.StaleLocksRemoved, err = r.RemoveLocks(ctx, false); err != nil {
		activity.GetLogger(ctx).Warn("removing stale locks", "repository", what, "error", err)
	}
	lock, err := lockRepo(ctx, r, true, what)
	if err != nil {
		return res, err
	}
	defer unlock(ctx, lock)
	// Locked before the first heartbeat, which goes out at once (later
	// ones are throttled), so that it names the lock for a retry to remove.
	b := &beat{stage: "maintain", lock: lock}
	return heartbeatingWith(ctx, b.details, func(ctx context.Context) (MaintainRepositoryResult, error) {
		start := m.now()
		lctx, stop := lock.Guard(ctx)
		defer stop()
		if err := pruneAndCheck(lctx, r, b, &res); err != nil {
			if cause := context.Cause(lctx); errors.Is(cause, repo.ErrLockLost) {
				err = fmt.Errorf("%w: %w", cause, err)
			}
			return res, classifyMaintenance(what, err)
		}
		res.Duration = m.now().Sub(start)
		return res, recordSuccess(ctx, st, in.Repository, res, m.now())
	})
}

// writable resolves a location that maintenance may change.
func (m *Maintenance) writable(ctx context.Context, name string) (Storage, error) {
	st, err := m.Locations.Resolve(ctx, name)
	if IsLocationNotFound(err) {
		return st, invalid(fmt.Sprintf("backup storage location %q: %v", name, err))
	}
	if err != nil {
		return st, err
	}
	if st.ReadOnly {
		return st, invalid(fmt.Sprintf("backup storage location %q is read-only: its repositories are not maintained", name))
	}
	return st, nil
}

// openForMaintenance opens the repository in restic/<folder> of st without
// its index (which is loaded under the lock).
func openForMaintenance(ctx context.Context, st Storage, folder, what string) (*repo.Repository, func(), error) {
	be, err := st.repoAt(path.Join(resticDir, folder)).Open(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err) // the storage is unreachable: retried
	}
	r, err := repo.Open(ctx, be, st.Password, repo.Options{NoIndex: true})
	if err != nil {
		_ = be.Close()
		return nil, nil, classifyMaintenance(what, err)
	}
	return r, func() { _ = r.Close(); _ = be.Close() }, nil
}

// classifyMaintenance turns err into the error of a maintenance of what:
// non-retryable when trying again at once cannot help.
func classifyMaintenance(what string, err error) error {
	var ae *temporal.ApplicationError
	switch {
	case errors.As(err, &ae):
		return err
	case errors.Is(err, repo.ErrWrongPassword):
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf(
			"%s: the location's repository password does not open it (%v)", what, err), ErrTypeRepositoryUnusable, err)
	case errors.Is(err, repo.ErrNoRepository), errors.Is(err, repo.ErrUnsupportedVersion), errors.Is(err, repo.ErrInvalidData):
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("%s: %v", what, err), ErrTypeRepositoryUnusable, err)
	case errors.Is(err, repo.ErrCheckFailed):
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("%s: %v", what, err), ErrTypeCheckFailed, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// pruneAndCheck prunes r, which the caller holds locked exclusively, then
// checks it, filling res.
func pruneAndCheck(ctx context.Context, r *repo.Repository, b *beat, res *MaintainRepositoryResult) error {
	b.setStage("loading the index")
	if err := r.LoadIndex(ctx); err != nil {
		return err
	}
	stats, err := r.Prune(ctx, repo.PruneOptions{
		MaxUnused: repo.DefaultMaxUnused(),
		Progress:  func(p repo.PruneProgress) { b.setStage("prune: " + string(p.Phase)) },
	})
	if err != nil {
		return fmt.Errorf("pruning: %w", err)
	}
	res.SizeBefore, res.SizeAfter = stats.SizeBefore, stats.SizeAfter
	if stats.SizeBefore > stats.SizeAfter {
		res.BytesRemoved = stats.SizeBefore - stats.SizeAfter
	}
	res.PacksRemoved, res.PacksRepacked = stats.Packs.Remove, stats.Packs.Repack
	b.setStage("check")
	if err := checkAfterPrune(ctx, r); err != nil {
		return err
	}
	sns, err := r.ListSnapshots(ctx)
	if err != nil {
		return err
	}
	res.Snapshots = len(sns)
	return nil
}

// maintenanceCheckSubset is the share of the packs each maintenance reads
// and verifies after its prune (restic's --read-data-subset): over twenty
// runs every pack is likely to have been read once.
const maintenanceCheckSubset = "5%"

// checkAfterPrune checks the repository after a prune: every index, pack
// header, snapshot and tree, and the data of a random subset of the packs.
func checkAfterPrune(ctx context.Context, r *repo.Repository) error {
	subset, err := repo.ParseCheckSubset(maintenanceCheckSubset)
	if err != nil {
		return err
	}
	_, err = r.Check(ctx, repo.CheckOptions{Subset: subset})
	return err
}

// recordSuccess writes the outcome of a successful maintenance into the
// repository's record, under the lock: the deleted snapshots counted since
// the last maintenance start again from zero.
func recordSuccess(ctx context.Context, st Storage, folder string, res MaintainRepositoryResult, at time.Time) error {
	records, err := st.Records()
	if err != nil {
		return err
	}
	rec, err := records.GetRepository(ctx, folder)
	if errors.Is(err, metadata.ErrNotFound) {
		rec, err = &metadata.RepositoryRecord{Repository: folder}, nil
	}
	if err != nil {
		return err
	}
	rec.Phase, rec.Message = metadata.RepositoryReady, ""
	rec.LastMaintenance, rec.LastResult, rec.LastSuccess = at, metadata.MaintenanceSucceeded, at
	rec.Size, rec.Reclaimed, rec.Snapshots, rec.ForgottenSinceMaintenance = res.SizeAfter, res.BytesRemoved, res.Snapshots, 0
	return records.PutRepository(ctx, rec)
}
