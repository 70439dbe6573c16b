package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/activities/resources/restore"
)

// ValidateRestore checks a restore before any work: what CheckRestore
// checks (its name, the backup's name, the existing-resource policy, the
// namespace mappings, filters, hooks, labels), then the filters against
// discovery, that the backup exists in some location and finished, and
// that no restore of that name is recorded. Bad input is a non-retryable
// error of type ErrTypeInvalid.
func (r *Resources) ValidateRestore(ctx context.Context, in ValidateRestoreInput) (ValidateRestoreResult, error) {
	if errs := CheckRestore(in.Name, in.Spec); len(errs) > 0 {
		return ValidateRestoreResult{}, invalid("invalid restore: " + joinProblems(errs))
	}
	cat, _, err := filter.Discover(ctx, r.Discovery)
	if err != nil {
		return ValidateRestoreResult{}, fmt.Errorf("discovering the server's resources: %w", err)
	}
	if _, err := filter.Compile(cat, in.Spec.filter()); err != nil {
		return ValidateRestoreResult{}, invalid("invalid restore: " + err.Error())
	}
	loc, b, err := FindBackup(ctx, r.Locations, in.Spec.BackupName, "")
	if errors.Is(err, metadata.ErrBackupNotFound) {
		return ValidateRestoreResult{}, invalid("invalid restore: " + err.Error())
	}
	if err != nil {
		return ValidateRestoreResult{}, err
	}
	if ph := b.Status.Phase; ph != metadata.PhaseCompleted && ph != metadata.PhasePartiallyFailed {
		return ValidateRestoreResult{}, invalid(fmt.Sprintf("invalid restore: backup %q is %s", in.Spec.BackupName, ph))
	}
	st, err := r.Locations.Resolve(ctx, loc)
	if err != nil {
		return ValidateRestoreResult{}, err
	}
	records, err := st.Records()
	if err != nil {
		return ValidateRestoreResult{}, err
	}
	switch _, err := records.GetRestoreResults(ctx, in.Name); {
	case err == nil:
		return ValidateRestoreResult{}, invalid(fmt.Sprintf("restore %q already exists", in.Name))
	case !errors.Is(err, metadata.ErrNotFound):
		return ValidateRestoreResult{}, err
	}
	return ValidateRestoreResult{StorageLocation: loc}, nil
}

// RestoreResources restores the API objects of a validated restore and
// records its results, heartbeating while it works. It reads the resources
// repository under a shared lock, as BackupResources writes it. Retrying is safe: objects
// an earlier attempt created are found and treated by the existing-resource
// policy.
func (r *Resources) RestoreResources(ctx context.Context, in RestoreResourcesInput) (RestoreResourcesResult, error) {
	st, err := r.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return RestoreResourcesResult{}, err
	}
	records, err := st.Records()
	if err != nil {
		return RestoreResourcesResult{}, err
	}
	rp, lock, closeRepo, err := openShared(ctx, st, ResourcesRepoDir, false, false)
	if err != nil {
		return RestoreResourcesResult{}, err
	}
	defer closeRepo()
	defer unlock(ctx, lock)
	pvbs, err := restoredPodVolumes(ctx, records, in.Spec)
	if err != nil {
		return RestoreResourcesResult{}, err
	}
	podVolumes, claims := map[string][]string{}, []string(nil)
	for _, v := range pvbs {
		key := v.Namespace + "/" + v.Pod
		podVolumes[key] = append(podVolumes[key], v.Volume)
		if v.PVC != "" {
			claims = append(claims, v.Namespace+"/"+v.PVC)
		}
	}
	policy := in.Spec.ExistingResourcePolicy
	if policy == "" {
		policy = restore.PolicyNone
	}
	b := &beat{stage: "restore", lock: lock}
	res, err := heartbeatingWith(ctx, b.details, func(ctx context.Context) (restore.Result, error) {
		return restore.Run(ctx, restore.Options{
			Name: in.Name, BackupName: in.Spec.BackupName, Spec: in.Spec.filter(),
			NamespaceMapping: in.Spec.NamespaceMappings, ExistingResourcePolicy: policy,
			PreserveNodePorts:       in.Spec.PreserveNodePorts != nil && *in.Spec.PreserveNodePorts,
			StatusIncludedResources: in.Spec.StatusIncludedResources, StatusExcludedResources: in.Spec.StatusExcludedResources,
			PodVolumes: podVolumes, PodVolumeClaims: claims, HelperImage: r.HelperImage, Hooks: in.Spec.Hooks,
			Client: r.Dynamic, Discovery: r.Discovery, Repo: rp, Store: records, Now: r.now,
			Record: newRestoreRecord(in.Name, in.Spec, st.Name),
		})
	})
	if err != nil {
		return RestoreResourcesResult{}, fmt.Errorf("restore %s: %w", in.Name, err)
	}
	return RestoreResourcesResult{
		Phase: res.Phase, Total: res.Total, Created: res.Created, Updated: res.Updated,
		Skipped: res.Skipped, Failed: res.Failed, Errors: res.Errors, Warnings: res.Warnings,
	}, nil
}

// filter maps the spec onto the filter package's.
func (s RestoreSpec) filter() filter.Spec {
	return filter.Spec{
		IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
		IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
		IncludeClusterResources: s.IncludeClusterResources,
		LabelSelector:           s.LabelSelector, OrLabelSelectors: s.OrLabelSelectors,
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// restoredPodVolumes are the completed pod volume backups of the restore's
// backup whose data the node agents restore: none with --restore-volumes=false.
func restoredPodVolumes(ctx context.Context, records metadata.Store, spec RestoreSpec) ([]metadata.PodVolumeBackup, error) {
	if spec.RestoreVolumes != nil && !*spec.RestoreVolumes {
		return nil, nil
	}
	all, err := records.GetBackupPodVolumes(ctx, spec.BackupName)
	if err != nil {
		return nil, fmt.Errorf("reading the pod volume backups of backup %s: %w", spec.BackupName, err)
	}
	var out []metadata.PodVolumeBackup
	for _, v := range all {
		if v.Phase == metadata.VolumeCompleted && v.SnapshotID != "" {
			out = append(out, v)
		}
	}
	return out, nil
}
