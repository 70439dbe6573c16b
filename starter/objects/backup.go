package objects

import (
	"maps"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// Format versions of the backups Cairn writes, as Velero's status says them.
const (
	backupVersion       = 1
	backupFormatVersion = "1.1.0"
)

// Backup is backup res as the Backup object of namespace ns: its spec as
// it was asked for, its status as Cairn knows it now.
func Backup(res workflows.BackupResult, ns string) velerov1.Backup {
	b := velerov1.Backup{TypeMeta: typeMeta("Backup"), ObjectMeta: objectMeta(res.Name, ns, backupLabels(res))}
	b.CreationTimestamp = ptrTime(res.Started)
	b.Annotations = maps.Clone(res.Spec.Annotations)
	if res.SnapshotID != "" {
		if b.Annotations == nil {
			b.Annotations = map[string]string{}
		}
		b.Annotations[metadata.SnapshotAnnotation] = res.SnapshotID
	}
	b.Spec = BackupSpec(res.Spec)
	if res.StorageLocation != "" {
		b.Spec.StorageLocation = res.StorageLocation
	}
	if res.TTL != 0 {
		b.Spec.TTL = metav1.Duration{Duration: res.TTL}
	}
	b.Status = BackupStatus(res)
	return b
}

// backupLabels are the backup's own labels and the one Velero's server
// adds, naming its location.
func backupLabels(res workflows.BackupResult) map[string]string {
	labels := maps.Clone(res.Spec.Labels)
	if res.StorageLocation != "" {
		if labels == nil {
			labels = map[string]string{}
		}
		labels[velerov1.StorageLocationLabel] = res.StorageLocation
	}
	return labels
}

// BackupStatus is the status of backup res.
func BackupStatus(res workflows.BackupResult) velerov1.BackupStatus {
	st := velerov1.BackupStatus{
		Version: backupVersion, FormatVersion: backupFormatVersion,
		Phase:          backupPhase(res.Phase),
		StartTimestamp: timeOrNil(res.Started), CompletionTimestamp: timeOrNil(res.Completed),
		Expiration: timeOrNil(res.Expiration),
		Errors:     res.Errors, Warnings: res.Warnings,
		HookStatus: hookStatus(res.Hooks),
	}
	if res.Items > 0 {
		st.Progress = &velerov1.BackupProgress{TotalItems: res.Items, ItemsBackedUp: res.Items}
	}
	if st.Phase == velerov1.BackupPhaseFailedValidation {
		st.ValidationErrors = []string{res.FailureReason}
	} else {
		st.FailureReason = res.FailureReason
	}
	return st
}

// backupPhase is Cairn's phase as Velero's: the phases Velero knows are
// the same words; a phase only Cairn has (waiting for a repository lock)
// is InProgress.
func backupPhase(p string) velerov1.BackupPhase {
	switch p {
	case "":
		return velerov1.BackupPhaseNew
	case workflows.PhaseNew, workflows.PhaseCompleted, workflows.PhasePartiallyFailed,
		workflows.PhaseFailed, workflows.PhaseFailedValidation:
		return velerov1.BackupPhase(p)
	}
	return velerov1.BackupPhaseInProgress
}

// hookStatus counts hooks as Velero's status does; nil without hooks.
func hookStatus(results []metadata.HookResult) *velerov1.HookStatus {
	n := metadata.CountHooks(results)
	if n == nil {
		return nil
	}
	return &velerov1.HookStatus{HooksAttempted: n.HooksAttempted, HooksFailed: n.HooksFailed}
}

// Finished tells whether a backup's phase is final.
func Finished(p velerov1.BackupPhase) bool {
	switch p {
	case velerov1.BackupPhaseCompleted, velerov1.BackupPhasePartiallyFailed,
		velerov1.BackupPhaseFailed, velerov1.BackupPhaseFailedValidation:
		return true
	}
	return false
}
