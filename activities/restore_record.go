package activities

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// StorageLocationAnnotation names, on a restore record, the backup storage
// location that holds it and the restored backup.
const StorageLocationAnnotation = "cairn.io/storage-location"

// newRestoreRecord is the record of restore name with its spec filled in;
// the resource restore fills in its status. Its metadata holds the
// spec's labels and annotations.
func newRestoreRecord(name string, s RestoreSpec, location string) *metadata.Restore {
	annotations := maps.Clone(s.Annotations)
	if annotations == nil {
		annotations = map[string]string{}
	}
	annotations[StorageLocationAnnotation] = location
	return &metadata.Restore{
		APIVersion: "velero.io/v1", Kind: "Restore",
		Metadata: metav1.ObjectMeta{Name: name, Namespace: "velero", Labels: s.Labels, Annotations: annotations},
		Spec: metadata.RestoreSpec{
			BackupName:         s.BackupName,
			IncludedNamespaces: s.IncludedNamespaces, ExcludedNamespaces: s.ExcludedNamespaces,
			IncludedResources: s.IncludedResources, ExcludedResources: s.ExcludedResources,
			NamespaceMapping: s.NamespaceMappings, ExistingResourcePolicy: s.ExistingResourcePolicy,
			PreserveNodePorts: s.PreserveNodePorts, RestorePVs: s.RestoreVolumes,
		},
	}
}

// RecordRestoreInput is a restore's final outcome, once its pod volumes are
// restored too: names, counts and times only.
type RecordRestoreInput struct {
	Name            string
	Spec            RestoreSpec
	StorageLocation string
	Phase           string
	FailureReason   string `json:",omitempty"`
	Started         time.Time
	Completed       time.Time
	Errors          int
	Warnings        int
	// PodVolumeRestores are the node agents' outcomes.
	PodVolumeRestores []PodVolumeRestoreResult `json:",omitempty"`
	// Hooks and Loads are the outcomes of the exec hooks and dump loads
	// run in the restored pods: counted in the record and logged.
	Hooks []metadata.HookResult `json:",omitempty"`
	Loads []metadata.PodDump    `json:",omitempty"`
}

// RecordRestore brings a restore's record up to its final outcome: the
// resource restore writes the record when the resources are back, before
// the node agents restore the pod volumes, which may change the phase. A
// restore whose resource restore stored nothing gets a record of its own.
// Retrying is safe.
func (r *Resources) RecordRestore(ctx context.Context, in RecordRestoreInput) error {
	st, err := r.Locations.Resolve(ctx, in.StorageLocation)
	if err != nil {
		return err
	}
	records, err := st.Records()
	if err != nil {
		return err
	}
	rec, err := records.GetRestore(ctx, in.Name)
	if errors.Is(err, metadata.ErrRestoreNotFound) {
		rec = newRestoreRecord(in.Name, in.Spec, st.Name)
		rec.Status.StartTimestamp = &metav1.Time{Time: in.Started}
	} else if err != nil {
		return err
	}
	s := &rec.Status
	s.Phase, s.FailureReason, s.Errors, s.Warnings = in.Phase, in.FailureReason, in.Errors, in.Warnings
	s.CompletionTimestamp = &metav1.Time{Time: in.Completed}
	s.PodVolumeRestores = nil
	for _, v := range in.PodVolumeRestores {
		s.PodVolumeRestores = append(s.PodVolumeRestores, metadata.PodVolumeRestore{
			Namespace: v.Namespace, Pod: v.Pod, Volume: v.Volume, SnapshotID: v.SnapshotID,
			Files: v.Files, Bytes: v.Bytes, Duration: v.Duration, Phase: v.Phase, Error: v.Error,
		})
	}
	s.HookStatus = metadata.CountHooks(in.Hooks)
	if err := records.AppendRestoreLog(ctx, in.Name, restoreHooksLog(in.Hooks, in.Loads, r.now)); err != nil {
		return fmt.Errorf("restore %s: %w", in.Name, err)
	}
	if err := records.PutRestoreRecord(ctx, rec); err != nil {
		return fmt.Errorf("restore %s: %w", in.Name, err)
	}
	return nil
}

// restoreHooksLog is the log of a restore's hooks and loads: each hook
// with its exit code and the tails of its output, a warning when it failed
// with on-error Continue and an error with Fail; each load with its bytes,
// an error when it failed.
func restoreHooksLog(hs []metadata.HookResult, loads []metadata.PodDump, now func() time.Time) []byte {
	if len(hs)+len(loads) == 0 {
		return nil
	}
	rec := metadata.NewRecorder(func() string { return now().UTC().Format(time.RFC3339) })
	for _, h := range hs {
		switch {
		case !h.Failed():
			rec.Info("%s", h)
		case h.Fatal():
			rec.Error(h.Namespace, "%s", h)
		default:
			rec.Warn(h.Namespace, "%s", h)
		}
	}
	for _, d := range loads {
		if d.Phase == metadata.VolumeCompleted {
			rec.Info("loaded application dump %s into pod %s/%s container %s: %d bytes", d.Filename, d.Namespace, d.Pod, d.Container, d.Bytes)
			continue
		}
		rec.Error(d.Namespace, "loading application dump %s into pod %s/%s container %s failed: %s (exit code %d); stderr: %s",
			d.Filename, d.Namespace, d.Pod, d.Container, d.Error, d.ExitCode, d.Stderr)
	}
	return rec.Log()
}
