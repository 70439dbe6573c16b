package metadata

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SnapshotAnnotation names the repository snapshot that holds a backup's
// objects, on the backup record.
const SnapshotAnnotation = "cairn.io/snapshot-id"

// ScheduleLabel, on a backup record, names the schedule that took the
// backup (Velero's velero.io/schedule-name).
const ScheduleLabel = "velero.io/schedule-name"

// Schedule is the schedule that took the backup, empty for one taken by
// hand.
func (b *Backup) Schedule() string { return b.Metadata.Labels[ScheduleLabel] }

// Phases with Velero's meaning.
const (
	PhaseInProgress       = "InProgress"
	PhaseCompleted        = "Completed"        // no errors
	PhasePartiallyFailed  = "PartiallyFailed"  // finished, some objects failed
	PhaseFailed           = "Failed"           // could not finish
	PhaseFailedValidation = "FailedValidation" // bad input, nothing done
)

// Backup is the backup record, velero-backup.json: a velero.io/v1 Backup
// with the fields Cairn fills in.
type Backup struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       BackupSpec        `json:"spec"`
	Status     BackupStatus      `json:"status"`
}

// BackupSpec holds the backup's filters as Velero's Backup spec does.
type BackupSpec struct {
	IncludedNamespaces               []string                `json:"includedNamespaces,omitempty"`
	ExcludedNamespaces               []string                `json:"excludedNamespaces,omitempty"`
	IncludedResources                []string                `json:"includedResources,omitempty"`
	ExcludedResources                []string                `json:"excludedResources,omitempty"`
	IncludeClusterResources          *bool                   `json:"includeClusterResources,omitempty"`
	IncludedClusterScopedResources   []string                `json:"includedClusterScopedResources,omitempty"`
	ExcludedClusterScopedResources   []string                `json:"excludedClusterScopedResources,omitempty"`
	IncludedNamespaceScopedResources []string                `json:"includedNamespaceScopedResources,omitempty"`
	ExcludedNamespaceScopedResources []string                `json:"excludedNamespaceScopedResources,omitempty"`
	LabelSelector                    *metav1.LabelSelector   `json:"labelSelector,omitempty"`
	OrLabelSelectors                 []*metav1.LabelSelector `json:"orLabelSelectors,omitempty"`
	OrderedResources                 map[string]string       `json:"orderedResources,omitempty"`
	StorageLocation                  string                  `json:"storageLocation,omitempty"`
	TTL                              metav1.Duration         `json:"ttl,omitempty"`
}

// BackupStatus is the backup's outcome.
type BackupStatus struct {
	Version             int             `json:"version"`
	FormatVersion       string          `json:"formatVersion"`
	Phase               string          `json:"phase"`
	StartTimestamp      *metav1.Time    `json:"startTimestamp,omitempty"`
	CompletionTimestamp *metav1.Time    `json:"completionTimestamp,omitempty"`
	Expiration          *metav1.Time    `json:"expiration,omitempty"`
	Progress            *BackupProgress `json:"progress,omitempty"`
	Errors              int             `json:"errors,omitempty"`
	Warnings            int             `json:"warnings,omitempty"`
	FailureReason       string          `json:"failureReason,omitempty"`
	HookStatus          *HookStatus     `json:"hookStatus,omitempty"`
}

// BackupProgress counts the backup's items.
type BackupProgress struct {
	TotalItems    int `json:"totalItems,omitempty"`
	ItemsBackedUp int `json:"itemsBackedUp,omitempty"`
}

// SnapshotID returns the snapshot the record names.
func (b *Backup) SnapshotID() string { return b.Metadata.Annotations[SnapshotAnnotation] }

// SelectorFor converts a selector string to the LabelSelector Velero's
// spec holds; "" gives nil.
func SelectorFor(s string) (*metav1.LabelSelector, error) {
	if s == "" {
		return nil, nil
	}
	return metav1.ParseToLabelSelector(s)
}
