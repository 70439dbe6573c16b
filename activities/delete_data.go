package activities

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"

	"go.temporal.io/sdk/activity"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
)

// DeleteBackupDataInput names a backup and the location that holds it.
type DeleteBackupDataInput struct {
	Name            string
	StorageLocation string
	// SnapshotID is the resources snapshot the backup record names.
	SnapshotID string `json:",omitempty"`
}

// DeleteBackupDataResult counts the snapshots removed.
type DeleteBackupDataResult struct {
	Snapshots int
	// Maintain names the repositories (folders under restic/) due for a
	// maintenance after this deletion (see maintenanceDue).
	Maintain []string `json:",omitempty"`
}

// resticDir is the folder of a location that holds its repositories: the
// resources repository and one per namespace for pod volumes.
const resticDir = "restic"

// DeleteBackupData removes a backup's data from its location: in every
// repository under restic/ (the resources repository and the namespace
// repositories of the pod volumes), the snapshots tagged backup=<name> and
// the snapshot the record names, under an exclusive lock as restic forget
// takes one; then every file under backups/<name>/, the record last. The
// data packs stay until a maintenance prunes them: the repositories where
// the snapshots removed since their last maintenance passed the threshold
// are returned in Maintain. Things already removed are skipped, so a retry
// finishes what an attempt began. It heartbeats while it works. A
// repository that another process holds locked fails it with
// ErrTypeRepositoryLocked; the workflow waits and runs it again.
func (d *Deletion) DeleteBackupData(ctx context.Context, in DeleteBackupDataInput) (DeleteBackupDataResult, error) {
	if errs := CheckBackupName(in.Name); len(errs) > 0 {
		return DeleteBackupDataResult{}, invalid(fmt.Sprintf("cannot delete backup %q: %s", in.Name, joinProblems(errs)))
	}
	st, err := d.Locations.Resolve(ctx, in.StorageLocation)
	if IsLocationNotFound(err) {
		return DeleteBackupDataResult{}, invalid(fmt.Sprintf("cannot delete backup %q: %v", in.Name, err))
	}
	if err != nil {
		return DeleteBackupDataResult{}, err
	}
	if st.ReadOnly {
		return DeleteBackupDataResult{}, invalid(fmt.Sprintf("cannot delete backup %q because backup storage location %q is currently in read-only mode", in.Name, st.Name))
	}
	b := &beat{stage: "delete"}
	return heartbeatingWith(ctx, b.details, func(ctx context.Context) (DeleteBackupDataResult, error) {
		return deleteBackupData(ctx, st, in, b)
	})
}

func deleteBackupData(ctx context.Context, st Storage, in DeleteBackupDataInput, b *beat) (DeleteBackupDataResult, error) {
	records, err := st.Records()
	if err != nil {
		return DeleteBackupDataResult{}, err
	}
	folders, err := LocationRepositories(ctx, st)
	if err != nil {
		return DeleteBackupDataResult{}, err
	}
	tag := "backup=" + in.Name
	doomed := func(sn *repo.Snapshot) bool {
		return slices.Contains(sn.Tags, tag) || (in.SnapshotID != "" && sn.ID().String() == in.SnapshotID)
	}
	var res DeleteBackupDataResult
	for _, f := range folders {
		n, due, err := forgetSnapshots(ctx, st, records, f, doomed, b)
		if err != nil {
			return res, err
		}
		res.Snapshots += n
		if due {
			res.Maintain = append(res.Maintain, f)
		}
	}
	return res, deleteRecords(ctx, records, in.Name)
}

// forgetSnapshots removes the snapshot files that doomed selects in the
// repository in folder restic/<folder>, counts them in the repository's
// record, and returns how many and whether the repository is now due for
// a maintenance. A folder without a repository, or with one that the
// location's password does not open, is not Cairn's and is left alone.
func forgetSnapshots(ctx context.Context, st Storage, records metadata.Store, folder string,
	doomed func(*repo.Snapshot) bool, b *beat) (int, bool, error) {
	dir := path.Join(resticDir, folder)
	r, closeRepo, err := st.OpenRepoAt(ctx, dir, false, repo.Options{NoIndex: true})
	if errors.Is(err, repo.ErrNoRepository) || errors.Is(err, repo.ErrWrongPassword) {
		activity.GetLogger(ctx).Info("skipping a folder that is not one of Cairn's repositories", "location", st.Name, "folder", dir, "reason", err.Error())
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer closeRepo()
	sns, err := r.ListSnapshots(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("location %s: repository %s: %w", st.Name, dir, err)
	}
	var ids []repo.ID
	for _, sn := range sns {
		if doomed(sn) {
			ids = append(ids, sn.ID())
		}
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	lock, err := lockRepo(ctx, r, true, fmt.Sprintf("location %s: repository %s", st.Name, dir))
	if err != nil {
		return 0, false, err
	}
	b.hold(lock)
	defer func() { b.hold(nil); unlock(ctx, lock) }()
	for _, id := range ids {
		err := r.Backend().Remove(ctx, backend.Handle{Type: backend.SnapshotFile, Name: id.String()})
		if err != nil && !backend.IsNotExist(err) {
			return 0, false, fmt.Errorf("location %s: repository %s: removing snapshot %s: %w", st.Name, dir, id.Str(), err)
		}
	}
	return len(ids), countForgotten(ctx, records, folder, len(ids), len(sns)-len(ids)), nil
}

// countForgotten adds n removed snapshots to the record of the repository
// in restic/<folder>, which keeps remaining, and tells whether it is due
// for a maintenance. It runs under the repository's exclusive lock, as the
// maintenance that resets the count does. A record that cannot be written
// only costs the trigger: the periodic maintenance still comes.
func countForgotten(ctx context.Context, records metadata.Store, folder string, n, remaining int) bool {
	rec, err := records.GetRepository(ctx, folder)
	if errors.Is(err, metadata.ErrNotFound) {
		rec, err = &metadata.RepositoryRecord{Repository: folder, Phase: metadata.RepositoryNew}, nil
	}
	if err == nil {
		rec.ForgottenSinceMaintenance += n
		err = records.PutRepository(ctx, rec)
	}
	if err != nil {
		activity.GetLogger(ctx).Warn("counting the deleted snapshots in the repository's record", "repository", folder, "error", err)
		return false
	}
	return maintenanceDue(rec.ForgottenSinceMaintenance, remaining)
}

// maintenanceDue is the rule by which deletions ask for a maintenance
// before the periodic one: when the snapshots removed since the last
// maintenance are more than a quarter of the snapshots the repository had
// then (those removed plus the remaining ones). Removing one backup of
// four does not prune; removing two does.
func maintenanceDue(forgotten, remaining int) bool {
	return forgotten > 0 && 4*forgotten > forgotten+remaining
}

// deleteRecords removes every file under backups/<name>/, the record last
// so that a backup never looks complete with files missing.
func deleteRecords(ctx context.Context, records metadata.Store, name string) error {
	keys, err := records.Objects.List(ctx, path.Join("backups", name)+"/")
	if err != nil {
		return fmt.Errorf("listing the files of backup %s: %w", name, err)
	}
	record := metadata.BackupRecordKey(name)
	slices.SortStableFunc(keys, func(a, b string) int {
		switch {
		case a == record && b != record:
			return 1
		case b == record && a != record:
			return -1
		}
		return 0
	})
	if !slices.Contains(keys, record) {
		keys = append(keys, record)
	}
	for _, k := range keys {
		if err := records.Objects.Delete(ctx, k); err != nil && !errors.Is(err, metadata.ErrNotFound) {
			return fmt.Errorf("deleting the files of backup %s: %w", name, err)
		}
	}
	return nil
}
