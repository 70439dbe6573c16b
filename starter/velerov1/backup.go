package velerov1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Metadata is metadata that a backup stamps on what it creates.
type Metadata struct {
	// Labels are put on the Backup objects a Schedule creates from its template.
	Labels map[string]string `json:"labels,omitempty"`
}

// BackupSpec says what a backup takes and where it keeps it.
type BackupSpec struct {
	// +optional
	Metadata `json:"metadata,omitempty"`

	// IncludedNamespaces are the namespaces whose objects are taken; empty or "*" means all.
	// +optional
	// +nullable
	IncludedNamespaces []string `json:"includedNamespaces,omitempty"`

	// ExcludedNamespaces are namespaces left out, even when included.
	// +optional
	// +nullable
	ExcludedNamespaces []string `json:"excludedNamespaces,omitempty"`

	// IncludedResources are the resources taken (e.g. deployments, configmaps.v1); empty means all.
	// It cannot be combined with the namespace- and cluster-scoped lists below.
	// +optional
	// +nullable
	IncludedResources []string `json:"includedResources,omitempty"`

	// ExcludedResources are resources left out, even when included.
	// +optional
	// +nullable
	ExcludedResources []string `json:"excludedResources,omitempty"`

	// IncludedClusterScopedResources are the cluster-scoped resources taken; "*" means all,
	// and empty means only those the namespaced objects refer to (such as their PVs).
	// +optional
	// +nullable
	IncludedClusterScopedResources []string `json:"includedClusterScopedResources,omitempty"`

	// ExcludedClusterScopedResources are cluster-scoped resources left out; "*" leaves out all.
	// +optional
	// +nullable
	ExcludedClusterScopedResources []string `json:"excludedClusterScopedResources,omitempty"`

	// IncludedNamespaceScopedResources are the namespaced resources taken; empty means "*", all.
	// +optional
	// +nullable
	IncludedNamespaceScopedResources []string `json:"includedNamespaceScopedResources,omitempty"`

	// ExcludedNamespaceScopedResources are namespaced resources left out; "*" leaves out all.
	// +optional
	// +nullable
	ExcludedNamespaceScopedResources []string `json:"excludedNamespaceScopedResources,omitempty"`

	// LabelSelector, when set, takes only the objects whose labels match it.
	// +optional
	// +nullable
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`

	// OrLabelSelectors takes the objects that match any one of them; it cannot be combined with LabelSelector.
	// +optional
	// +nullable
	OrLabelSelectors []*metav1.LabelSelector `json:"orLabelSelectors,omitempty"`

	// SnapshotVolumes says whether the PVs of the objects taken are snapshotted; unset lets the server decide.
	// +optional
	// +nullable
	SnapshotVolumes *bool `json:"snapshotVolumes,omitempty"`

	// TTL is how long the backup is kept before it expires and is deleted, e.g. 720h0m0s.
	// +optional
	TTL metav1.Duration `json:"ttl,omitempty"`

	// VolumeGroupSnapshotLabelKey is the PVC label whose value groups PVCs into one volume group snapshot.
	// +optional
	VolumeGroupSnapshotLabelKey string `json:"volumeGroupSnapshotLabelKey,omitempty"`

	// IncludeClusterResources says whether cluster-scoped objects are taken: true takes all of them,
	// false none; unset takes all of them when every namespace is included, else only those the
	// namespaced objects need.
	// +optional
	// +nullable
	IncludeClusterResources *bool `json:"includeClusterResources,omitempty"`

	// Hooks are commands run in pods before and after they are backed up.
	// +optional
	Hooks BackupHooks `json:"hooks,omitempty"`

	// StorageLocation names the BackupStorageLocation the backup is written to; empty means the default one.
	// +optional
	StorageLocation string `json:"storageLocation,omitempty"`

	// VolumeSnapshotLocations names the VolumeSnapshotLocations volume snapshots are taken in.
	// +optional
	VolumeSnapshotLocations []string `json:"volumeSnapshotLocations,omitempty"`

	// DefaultVolumesToRestic is the old name of DefaultVolumesToFsBackup and is ignored.
	//
	// Deprecated: set DefaultVolumesToFsBackup.
	// +optional
	// +nullable
	DefaultVolumesToRestic *bool `json:"defaultVolumesToRestic,omitempty"`

	// DefaultVolumesToFsBackup, when true, backs up every pod volume by copying its files,
	// except the volumes a pod opts out of; when false, only the volumes pods opt in.
	// +optional
	// +nullable
	DefaultVolumesToFsBackup *bool `json:"defaultVolumesToFsBackup,omitempty"`

	// OrderedResources orders the objects of a resource in the backup: the key is a resource
	// name, the value a comma-separated list of namespace/name (or name, cluster-scoped).
	// +optional
	// +nullable
	OrderedResources map[string]string `json:"orderedResources,omitempty"`

	// CSISnapshotTimeout is how long a CSI VolumeSnapshot may take to become ready (default 10m).
	// +optional
	CSISnapshotTimeout metav1.Duration `json:"csiSnapshotTimeout,omitempty"`

	// ItemOperationTimeout is how long the asynchronous operations of plugins may take (default 4h).
	// +optional
	ItemOperationTimeout metav1.Duration `json:"itemOperationTimeout,omitempty"`

	// ResourcePolicy refers to a ConfigMap of resource policies (which volumes to skip, and how to back up the rest).
	// +optional
	ResourcePolicy *corev1.TypedLocalObjectReference `json:"resourcePolicy,omitempty"`

	// SnapshotMoveData, when true, copies the data of CSI snapshots to the storage location.
	// +optional
	// +nullable
	SnapshotMoveData *bool `json:"snapshotMoveData,omitempty"`

	// DataMover names the data mover that moves snapshot data; empty or "velero" is the built-in one.
	// +optional
	DataMover string `json:"datamover,omitempty"`

	// UploaderConfig tunes the uploader that copies volume data.
	// +optional
	// +nullable
	UploaderConfig *UploaderConfigForBackup `json:"uploaderConfig,omitempty"`
}

// UploaderConfigForBackup tunes the uploader of a backup.
type UploaderConfigForBackup struct {
	// ParallelFilesUpload is how many files are uploaded at once.
	// +optional
	ParallelFilesUpload int `json:"parallelFilesUpload,omitempty"`
}

// BackupHooks are the hooks of a backup.
type BackupHooks struct {
	// Resources are the hook specs, each for the pods it selects.
	// +optional
	// +nullable
	Resources []BackupResourceHookSpec `json:"resources,omitempty"`
}

// BackupResourceHookSpec runs hooks in the pods it selects by namespace, resource and label.
type BackupResourceHookSpec struct {
	// Name identifies the hook spec in logs and in the backup's hook status.
	Name string `json:"name"`

	// IncludedNamespaces are the namespaces whose pods run the hooks; empty means all.
	// +optional
	// +nullable
	IncludedNamespaces []string `json:"includedNamespaces,omitempty"`

	// ExcludedNamespaces are namespaces whose pods never run the hooks.
	// +optional
	// +nullable
	ExcludedNamespaces []string `json:"excludedNamespaces,omitempty"`

	// IncludedResources are the resources the hooks apply to; empty means all.
	// +optional
	// +nullable
	IncludedResources []string `json:"includedResources,omitempty"`

	// ExcludedResources are resources the hooks never apply to.
	// +optional
	// +nullable
	ExcludedResources []string `json:"excludedResources,omitempty"`

	// LabelSelector, when set, limits the hooks to the objects whose labels match it.
	// +optional
	// +nullable
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`

	// PreHooks run before the pod is written to the backup (e.g. to freeze a file system).
	// +optional
	PreHooks []BackupResourceHook `json:"pre,omitempty"`

	// PostHooks run after the pod and what it brings along are written (e.g. to unfreeze).
	// +optional
	PostHooks []BackupResourceHook `json:"post,omitempty"`
}

// BackupResourceHook is one hook of a backup.
type BackupResourceHook struct {
	// Exec is the command the hook runs.
	Exec *ExecHook `json:"exec"`
}

// ExecHook runs a command in a container of the pod through the exec API.
type ExecHook struct {
	// Container is the container the command runs in; empty means the pod's first one.
	// +optional
	Container string `json:"container,omitempty"`

	// Command is the program and its arguments.
	// +kubebuilder:validation:MinItems=1
	Command []string `json:"command"`

	// OnError says whether a failing command stops the hooks that follow (Fail) or not (Continue).
	// +optional
	OnError HookErrorMode `json:"onError,omitempty"`

	// Timeout is how long the command may run before it counts as failed.
	// +optional
	Timeout metav1.Duration `json:"timeout,omitempty"`
}

// HookErrorMode is what a hook's failure does to the operation.
// +kubebuilder:validation:Enum=Continue;Fail
type HookErrorMode string

const (
	// HookErrorModeContinue goes on with the remaining hooks; the operation ends PartiallyFailed.
	HookErrorModeContinue HookErrorMode = "Continue"
	// HookErrorModeFail runs no more hooks of the pod; the operation ends PartiallyFailed.
	HookErrorModeFail HookErrorMode = "Fail"
)

// BackupPhase is where a backup is in its life.
// +kubebuilder:validation:Enum=New;Queued;ReadyToStart;FailedValidation;InProgress;WaitingForPluginOperations;WaitingForPluginOperationsPartiallyFailed;Finalizing;FinalizingPartiallyFailed;Completed;PartiallyFailed;Failed;Deleting
type BackupPhase string

const (
	// BackupPhaseNew: created, not yet picked up by the server.
	BackupPhaseNew BackupPhase = "New"
	// BackupPhaseQueued: waiting for its turn behind other backups.
	BackupPhaseQueued BackupPhase = "Queued"
	// BackupPhaseReadyToStart: out of the queue, about to run.
	BackupPhaseReadyToStart BackupPhase = "ReadyToStart"
	// BackupPhaseFailedValidation: its spec was refused; it will not run (see status.validationErrors).
	BackupPhaseFailedValidation BackupPhase = "FailedValidation"
	// BackupPhaseInProgress: running.
	BackupPhaseInProgress BackupPhase = "InProgress"
	// BackupPhaseWaitingForPluginOperations: the objects are written; volume data is still moving.
	BackupPhaseWaitingForPluginOperations BackupPhase = "WaitingForPluginOperations"
	// BackupPhaseWaitingForPluginOperationsPartiallyFailed: as WaitingForPluginOperations, with errors so far.
	BackupPhaseWaitingForPluginOperationsPartiallyFailed BackupPhase = "WaitingForPluginOperationsPartiallyFailed"
	// BackupPhaseFinalizing: the data is moved; the backup's last records are being written.
	BackupPhaseFinalizing BackupPhase = "Finalizing"
	// BackupPhaseFinalizingPartiallyFailed: as Finalizing, with errors so far.
	BackupPhaseFinalizingPartiallyFailed BackupPhase = "FinalizingPartiallyFailed"
	// BackupPhaseCompleted: done without errors; the backup can be restored.
	BackupPhaseCompleted BackupPhase = "Completed"
	// BackupPhasePartiallyFailed: done, but some items failed (see status.errors and the log).
	BackupPhasePartiallyFailed BackupPhase = "PartiallyFailed"
	// BackupPhaseFailed: stopped by an error (see status.failureReason).
	BackupPhaseFailed BackupPhase = "Failed"
	// BackupPhaseDeleting: the backup and its data are being deleted.
	BackupPhaseDeleting BackupPhase = "Deleting"
)

// BackupStatus is what the server reports of a backup.
type BackupStatus struct {
	// Version is the major version of the backup's format.
	//
	// Deprecated: read FormatVersion.
	// +optional
	Version int `json:"version,omitempty"`

	// FormatVersion is the version of the backup's format, e.g. 1.1.0.
	// +optional
	FormatVersion string `json:"formatVersion,omitempty"`

	// Expiration is when the backup expires and is deleted (creation plus TTL).
	// +optional
	// +nullable
	Expiration *metav1.Time `json:"expiration,omitempty"`

	// Phase is where the backup is in its life.
	// +optional
	Phase BackupPhase `json:"phase,omitempty"`

	// QueuePosition is the backup's place in the queue while it is Queued.
	// +optional
	QueuePosition int `json:"queuePosition,omitempty"`

	// ValidationErrors say why the spec was refused, in phase FailedValidation.
	// +optional
	// +nullable
	ValidationErrors []string `json:"validationErrors,omitempty"`

	// StartTimestamp is when the server started the backup, by the server's clock.
	// +optional
	// +nullable
	StartTimestamp *metav1.Time `json:"startTimestamp,omitempty"`

	// CompletionTimestamp is when the backup ended, failed ones too, by the server's clock.
	// +optional
	// +nullable
	CompletionTimestamp *metav1.Time `json:"completionTimestamp,omitempty"`

	// VolumeSnapshotsAttempted counts the volume snapshots the backup started.
	// +optional
	VolumeSnapshotsAttempted int `json:"volumeSnapshotsAttempted,omitempty"`

	// VolumeSnapshotsCompleted counts the volume snapshots that succeeded.
	// +optional
	VolumeSnapshotsCompleted int `json:"volumeSnapshotsCompleted,omitempty"`

	// FailureReason is the error that failed the whole backup.
	// +optional
	FailureReason string `json:"failureReason,omitempty"`

	// Warnings counts the warnings logged; the messages are in the backup's results.
	// +optional
	Warnings int `json:"warnings,omitempty"`

	// Errors counts the errors logged; the messages are in the backup's results.
	// +optional
	Errors int `json:"errors,omitempty"`

	// Progress counts the items written so far; it is best effort and may lag.
	// +optional
	// +nullable
	Progress *BackupProgress `json:"progress,omitempty"`

	// CSIVolumeSnapshotsAttempted counts the CSI VolumeSnapshots the backup created.
	// +optional
	CSIVolumeSnapshotsAttempted int `json:"csiVolumeSnapshotsAttempted,omitempty"`

	// CSIVolumeSnapshotsCompleted counts the CSI VolumeSnapshots that became ready.
	// +optional
	CSIVolumeSnapshotsCompleted int `json:"csiVolumeSnapshotsCompleted,omitempty"`

	// BackupItemOperationsAttempted counts the asynchronous plugin operations started.
	// +optional
	BackupItemOperationsAttempted int `json:"backupItemOperationsAttempted,omitempty"`

	// BackupItemOperationsCompleted counts the asynchronous plugin operations that succeeded.
	// +optional
	BackupItemOperationsCompleted int `json:"backupItemOperationsCompleted,omitempty"`

	// BackupItemOperationsFailed counts the asynchronous plugin operations that failed.
	// +optional
	BackupItemOperationsFailed int `json:"backupItemOperationsFailed,omitempty"`

	// HookStatus counts the hooks run and failed.
	// +optional
	// +nullable
	HookStatus *HookStatus `json:"hookStatus,omitempty"`
}

// BackupProgress counts a backup's items.
type BackupProgress struct {
	// TotalItems is how many items the backup expects to write; it can grow while it runs.
	// +optional
	TotalItems int `json:"totalItems,omitempty"`

	// ItemsBackedUp is how many items are written so far.
	// +optional
	ItemsBackedUp int `json:"itemsBackedUp,omitempty"`
}

// HookStatus counts the hooks of a backup or restore.
type HookStatus struct {
	// HooksAttempted counts the hooks run, successful or not.
	// +optional
	HooksAttempted int `json:"hooksAttempted,omitempty"`

	// HooksFailed counts the hooks that failed.
	// +optional
	HooksFailed int `json:"hooksFailed,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion

// Backup is a backup of a cluster's objects, and of the data of their volumes,
// at one point in time: `velero backup create` makes one.
type Backup struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec BackupSpec `json:"spec,omitempty"`

	// +optional
	Status BackupStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// BackupList is a list of Backups.
type BackupList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []Backup `json:"items"`
}
