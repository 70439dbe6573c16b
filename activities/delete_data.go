package activities

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"k8s.io/apimachinery/pkg/util/validation"

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
}

// resticDir is the folder of a location that holds its repositories: the
// resources repository and one per namespace for pod volumes.
const resticDir = "restic"

// Lock retries: deletions running at once each lock a repository
// exclusively for a moment, so a conflict is retried after a random pause.
const (
	lockAttempts = 10
	lockPauseMin = 500 * time.Millisecond
	lockPauseMax = 2500 * time.Millisecond
)

// DeleteBackupData removes a backup's data from its location: in every
// repository under restic/ (the resources repository and the namespace
// repositories of the pod volumes), the snapshots tagged backup=<name> and
// the snapshot the record names, under an exclusive lock as restic forget
// takes one; then every file under backups/<name>/, the record last. The
// data packs stay until a prune. Things already removed are skipped, so a
// retry finishes what an attempt began. It heartbeats while it works.
func (d *Deletion) DeleteBackupData(ctx context.Context, in DeleteBackupDataInput) (DeleteBackupDataResult, error) {
	if problems := validation.IsDNS1123Label(in.Name); len(problems) > 0 {
		return DeleteBackupDataResult{}, invalid(fmt.Sprintf("cannot delete backup %q: %s", in.Name, strings.Join(problems, "; ")))
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
	return heartbeating(ctx, "delete", func(ctx context.Context) (DeleteBackupDataResult, error) {
		return deleteBackupData(ctx, st, in)
	})
}

func deleteBackupData(ctx context.Context, st Storage, in DeleteBackupDataInput) (DeleteBackupDataResult, error) {
	records, err := st.Records()
	if err != nil {
		return DeleteBackupDataResult{}, err
	}
	folders, err := records.Folders(ctx, resticDir+"/")
	if err != nil {
		return DeleteBackupDataResult{}, fmt.Errorf("location %s: listing the repositories: %w", st.Name, err)
	}
	tag := "backup=" + in.Name
	doomed := func(sn *repo.Snapshot) bool {
		return slices.Contains(sn.Tags, tag) || (in.SnapshotID != "" && sn.ID().String() == in.SnapshotID)
	}
	var res DeleteBackupDataResult
	for _, f := range folders {
		n, err := forgetSnapshots(ctx, st, path.Join(resticDir, f), doomed)
		if err != nil {
			return res, err
		}
		res.Snapshots += n
	}
	return res, deleteRecords(ctx, records, in.Name)
}

// forgetSnapshots removes the snapshot files that doomed selects in the
// repository in folder dir, and returns how many. A folder without a
// repository, or with one that the location's password does not open, is
// not Cairn's and is left alone.
func forgetSnapshots(ctx context.Context, st Storage, dir string, doomed func(*repo.Snapshot) bool) (int, error) {
	r, closeRepo, err := st.OpenRepoAt(ctx, dir, false, repo.Options{NoIndex: true})
	if errors.Is(err, repo.ErrNoRepository) || errors.Is(err, repo.ErrWrongPassword) {
		activity.GetLogger(ctx).Info("skipping a folder that is not one of Cairn's repositories", "location", st.Name, "folder", dir, "reason", err.Error())
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer closeRepo()
	sns, err := r.ListSnapshots(ctx)
	if err != nil {
		return 0, fmt.Errorf("location %s: repository %s: %w", st.Name, dir, err)
	}
	var ids []repo.ID
	for _, sn := range sns {
		if doomed(sn) {
			ids = append(ids, sn.ID())
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	lock, err := lockExclusive(ctx, r)
	if err != nil {
		return 0, fmt.Errorf("location %s: repository %s: %w", st.Name, dir, err)
	}
	defer func() { _ = lock.Unlock(context.WithoutCancel(ctx)) }()
	for _, id := range ids {
		err := r.Backend().Remove(ctx, backend.Handle{Type: backend.SnapshotFile, Name: id.String()})
		if err != nil && !backend.IsNotExist(err) {
			return 0, fmt.Errorf("location %s: repository %s: removing snapshot %s: %w", st.Name, dir, id.Str(), err)
		}
	}
	return len(ids), nil
}

// lockExclusive takes an exclusive lock on r, trying again after a random
// pause while another process holds one.
func lockExclusive(ctx context.Context, r *repo.Repository) (*repo.Lock, error) {
	for attempt := 1; ; attempt++ {
		l, err := r.Lock(ctx, true)
		if err == nil || !errors.Is(err, repo.ErrLocked) || attempt == lockAttempts {
			return l, err
		}
		wait := lockPauseMin + rand.N(lockPauseMax-lockPauseMin)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
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
