package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cairn-backup/cairn/activities/resources/backup"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
)

// ValidateBackup checks a backup before any work: what CheckBackup checks
// (its name, TTL, selectors, filters, hooks, labels), then its filters
// against the server's discovery, its storage location (which must exist
// and be writable) and that no backup of that name is recorded there. Bad
// input is a non-retryable error of type ErrTypeInvalid.
func (r *Resources) ValidateBackup(ctx context.Context, in ValidateBackupInput) (ValidateBackupResult, error) {
	if errs := CheckBackup(in.Name, in.Spec); len(errs) > 0 {
		return ValidateBackupResult{}, invalid("invalid backup: " + joinProblems(errs))
	}
	ttl, err := ParseTTL(in.Spec.TTL)
	if err != nil {
		return ValidateBackupResult{}, invalid("invalid backup: " + err.Error())
	}
	cat, warnings, err := filter.Discover(ctx, r.Discovery)
	if err != nil {
		return ValidateBackupResult{}, fmt.Errorf("discovering the server's resources: %w", err)
	}
	if _, err := filter.Compile(cat, in.Spec.filter()); err != nil {
		return ValidateBackupResult{}, invalid("invalid backup: " + err.Error())
	}
	st, err := r.Locations.Resolve(ctx, in.Spec.StorageLocation)
	if IsLocationNotFound(err) {
		return ValidateBackupResult{}, invalid("invalid backup: " + err.Error())
	}
	if err != nil {
		return ValidateBackupResult{}, err
	}
	if st.ReadOnly {
		return ValidateBackupResult{}, invalid(fmt.Sprintf("invalid backup: backup storage location %q is read-only", st.Name))
	}
	records, err := st.Records()
	if err != nil {
		return ValidateBackupResult{}, err
	}
	switch _, err := records.GetBackup(ctx, in.Name); {
	case err == nil:
		return ValidateBackupResult{}, invalid(fmt.Sprintf("backup %q already exists in backup storage location %q", in.Name, st.Name))
	case !errors.Is(err, metadata.ErrBackupNotFound):
		return ValidateBackupResult{}, err
	}
	return ValidateBackupResult{StorageLocation: st.Name, TTL: ttl, Warnings: warnings}, nil
}

// BackupResources backs up the API objects a validated backup selects into
// the resources repository of its location, under a shared lock (a
// repository locked exclusively fails it with ErrTypeRepositoryLocked, and
// the workflow waits), and writes its record. It heartbeats while it works. A retry after a failed attempt first removes
// that attempt's Failed record; one that finds the backup already recorded
// as done returns that record's outcome.
func (r *Resources) BackupResources(ctx context.Context, in BackupResourcesInput) (BackupResourcesResult, error) {
	st, err := r.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return BackupResourcesResult{}, err
	}
	records, err := st.Records()
	if err != nil {
		return BackupResourcesResult{}, err
	}
	if activity.GetInfo(ctx).Attempt > 1 {
		if res, done, err := resumeBackup(ctx, records, in.Name); done || err != nil {
			return res, err
		}
	}
	rp, lock, closeRepo, err := openShared(ctx, st, ResourcesRepoDir, true, false)
	if err != nil {
		return BackupResourcesResult{}, err
	}
	defer closeRepo()
	b := &beat{stage: "backup", lock: lock}
	res, err := heartbeatingWith(ctx, b.details, func(ctx context.Context) (backup.Result, error) {
		return backup.Run(ctx, backup.Options{
			Name: in.Name, Spec: in.Spec.filter(), Client: r.Dynamic, Discovery: r.Discovery,
			Repo: rp, Store: records, StorageLocation: st.Name, TTL: in.TTL, Now: r.now,
			Labels: in.Spec.Labels, Annotations: in.Spec.Annotations,
			PodVolumeBackups: in.PodVolumeBackups, Hooks: in.Hooks, Dumps: in.Dumps, Stored: &b.items,
		})
	})
	unlock(ctx, lock)
	if err != nil {
		return BackupResourcesResult{}, fmt.Errorf("backup %s: %w", in.Name, err)
	}
	compactIndex(ctx, rp)
	return BackupResourcesResult{
		Phase: res.Phase, SnapshotID: res.SnapshotID, Items: res.Items, Errors: res.Errors, Warnings: res.Warnings, Bytes: res.Bytes,
	}, nil
}

// resumeBackup looks at the record a previous attempt left: a finished one
// is the result (done), an unfinished or failed one is removed.
func resumeBackup(ctx context.Context, records metadata.Store, name string) (BackupResourcesResult, bool, error) {
	b, err := records.GetBackup(ctx, name)
	if errors.Is(err, metadata.ErrBackupNotFound) {
		return BackupResourcesResult{}, false, nil
	}
	if err != nil {
		return BackupResourcesResult{}, false, err
	}
	switch b.Status.Phase {
	case metadata.PhaseCompleted, metadata.PhasePartiallyFailed:
		items := 0
		if b.Status.Progress != nil {
			items = b.Status.Progress.ItemsBackedUp
		}
		return BackupResourcesResult{
			Phase: b.Status.Phase, SnapshotID: b.SnapshotID(), Items: items,
			Errors: b.Status.Errors, Warnings: b.Status.Warnings,
		}, true, nil
	}
	return BackupResourcesResult{}, false, records.DeleteBackup(ctx, name)
}

// ParseTTL reads a backup's TTL; empty means DefaultTTL.
func ParseTTL(s string) (time.Duration, error) {
	if errs := checkTTL(field.NewPath("TTL"), s); len(errs) > 0 {
		return 0, errs[0]
	}
	if s == "" {
		return DefaultTTL, nil
	}
	return time.ParseDuration(s)
}

// joinProblems joins the problems of an input into one message.
func joinProblems(errs field.ErrorList) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// filter maps the spec onto the filter package's.
func (s BackupSpec) filter() filter.Spec {
	return filter.Spec{
		IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
		IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
		IncludeClusterResources:        s.IncludeClusterResources,
		IncludedClusterScopedResources: s.IncludedClusterScopedResources, ExcludedClusterScopedResources: s.ExcludedClusterScopedResources,
		IncludedNamespaceScopedResources: s.IncludedNamespaceScopedResources, ExcludedNamespaceScopedResources: s.ExcludedNamespaceScopedResources,
		OrderedResources: s.OrderedResources,
		LabelSelector:    s.LabelSelector, OrLabelSelectors: s.OrLabelSelectors,
	}
}

// resourcesIndexLimit is how many index files the resources repository may
// gather (one per backup) before a backup merges them.
const resourcesIndexLimit = 16

// compactIndex merges the resources repository's index files once there
// are many, when no one else holds a lock on it; it is housekeeping, so a
// failure is only logged.
func compactIndex(ctx context.Context, rp *repo.Repository) {
	if n, err := rp.IndexFileCount(ctx); err != nil || n <= resourcesIndexLimit {
		return
	}
	lock, err := rp.Lock(ctx, true)
	if err != nil {
		return // another backup, restore or restic holds a lock: next time
	}
	defer func() { _ = lock.Unlock(context.WithoutCancel(ctx)) }()
	if n, err := rp.CompactIndex(ctx, resourcesIndexLimit); err != nil {
		activity.GetLogger(ctx).Warn("merging the index files of the resources repository", "error", err)
	} else if n > 0 {
		activity.GetLogger(ctx).Info("merged the index files of the resources repository", "files", n)
	}
}
