package velerov1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// RestoreSpec says which backup a restore reads and what it puts back.
type RestoreSpec struct {
	// BackupName is the backup restored from.
	// +optional
	BackupName string `json:"backupName,omitempty"`

	// ScheduleName, when BackupName is empty, restores the newest completed backup of this schedule.
	// +optional
	ScheduleName string `json:"scheduleName,omitempty"`

	// IncludedNamespaces are the backed-up namespaces restored; empty or "*" means all.
	// +optional
	// +nullable
	IncludedNamespaces []string `json:"includedNamespaces,omitempty"`

	// ExcludedNamespaces are backed-up namespaces not restored.
	// +optional
	// +nullable
	ExcludedNamespaces []string `json:"excludedNamespaces,omitempty"`

	// IncludedResources are the resources restored; empty means all the backup holds.
	// +optional
	// +nullable
	IncludedResources []string `json:"includedResources,omitempty"`

	// ExcludedResources are resources not restored.
	// +optional
	// +nullable
	ExcludedResources []string `json:"excludedResources,omitempty"`

	// NamespaceMapping restores the objects of a backed-up namespace (key) into another one (value);
	// namespaces not mapped keep their names.
	// +optional
	NamespaceMapping map[string]string `json:"namespaceMapping,omitempty"`

	// LabelSelector, when set, restores only the objects whose labels match it.
	// +optional
	// +nullable
	LabelSelector *metav1.LabelSelector `json:"labelSelector,omitempty"`

	// OrLabelSelectors restores the objects that match any one of them; it cannot be combined with LabelSelector.
	// +optional
	// +nullable
	OrLabelSelectors []*metav1.LabelSelector `json:"orLabelSelectors,omitempty"`

	// RestorePVs says whether PVs are recreated from their volume snapshots; unset means yes.
	// +optional
	// +nullable
	RestorePVs *bool `json:"restorePVs,omitempty"`

	// RestoreStatus names the resources whose status is restored too; unset restores no status.
	// +optional
	// +nullable
	RestoreStatus *RestoreStatusSpec `json:"restoreStatus,omitempty"`

	// PreserveNodePorts keeps the node ports services had when they were backed up.
	// +optional
	// +nullable
	PreserveNodePorts *bool `json:"preserveNodePorts,omitempty"`

	// IncludeClusterResources says whether cluster-scoped objects are restored: true all of them,
	// false none; unset all of them when every namespace is restored, else only those the restored
	// namespaced objects need.
	// +optional
	// +nullable
	IncludeClusterResources *bool `json:"includeClusterResources,omitempty"`

	// Hooks are what runs in restored pods: init containers added to them, and commands run in them.
	// +optional
	Hooks RestoreHooks `json:"hooks,omitempty"`

	// ExistingResourcePolicy is what happens to an object that already exists in the cluster:
	// none leaves it as it is, update patches it to the backed-up version.
	// +optional
	// +nullable
	ExistingResourcePolicy PolicyType `json:"existingResourcePolicy,omitempty"`

	// ItemOperationTimeout is how long the asynchronous operations of plugins may take (default 4h).
	// +optional
	ItemOperationTimeout metav1.Duration `json:"itemOperationTimeout,omitempty"`

	// ResourceModifier refers to a ConfigMap of patches applied to objects before they are created.
	// +optional
	// +nullable
	ResourceModifier *corev1.TypedLocalObjectReference `json:"resourceModifier,omitempty"`

	// ResourcePolicy refers to a ConfigMap of filters that choose, by namespace and by kind,
	// which of the backed-up objects are restored; its format is that of BackupSpec.ResourcePolicy.
	// +optional
	// +nullable
	ResourcePolicy *corev1.TypedLocalObjectReference `json:"resourcePolicy,omitempty"`

	// UploaderConfig tunes the uploader that writes volume data back.
	// +optional
	// +nullable
	UploaderConfig *UploaderConfigForRestore `json:"uploaderConfig,omitempty"`
}

// UploaderConfigForRestore tunes the uploader of a restore.
type UploaderConfigForRestore struct {
	// WriteSparseFiles writes runs of zeros as holes.
	// +optional
	// +nullable
	WriteSparseFiles *bool `json:"writeSparseFiles,omitempty"`

	// ParallelFilesDownload is how many files are written at once.
	// +optional
	ParallelFilesDownload int `json:"parallelFilesDownload,omitempty"`
}

// RestoreHooks are the hooks of a restore.
type RestoreHooks struct {
	Resources []RestoreResourceHookSpec `json:"resources,omitempty"`
}

// RestoreStatusSpec chooses the resources whose status a restore puts back.
type RestoreStatusSpec struct {
	// IncludedResources are the resources whose status is restored; empty means all.
	// +optional
	// +nullable
	IncludedResources []string `json:"includedResources,omitempty"`

	// ExcludedResources are resources whose status is not restored.
	// +optional
	// +nullable
	ExcludedResources []string `json:"excludedResources,omitempty"`
}

// RestoreResourceHookSpec runs hooks in the restored pods it selects by namespace, resource and label.
type RestoreResourceHookSpec struct {
	// Name identifies the hook spec in logs and in the restore's hook status.
	Name string `json:"name"`

	// IncludedNamespaces are the namespaces whose pods get the hooks; empty means all.
	// +optional
	// +nullable
	IncludedNamespaces []string `json:"includedNamespaces,omitempty"`

	// ExcludedNamespaces are namespaces whose pods never get the hooks.
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

	// PostHooks are the hooks, in order: init containers added to the pod, or commands run once it runs.
	// +optional
	PostHooks []RestoreResourceHook `json:"postHooks,omitempty"`
}

// RestoreResourceHook is one hook of a restore: an exec hook or an init hook.
type RestoreResourceHook struct {
	// Exec is a command run in a container of the restored pod.
	Exec *ExecRestoreHook `json:"exec,omitempty"`

	// Init adds init containers to the restored pod.
	Init *InitRestoreHook `json:"init,omitempty"`
}

// ExecRestoreHook runs a command in a container of a restored pod through the exec API.
type ExecRestoreHook struct {
	// Container is the container the command runs in; empty means the pod's first one.
	// +optional
	Container string `json:"container,omitempty"`

	// Command is the program and its arguments.
	// +kubebuilder:validation:MinItems=1
	Command []string `json:"command"`

	// OnError says whether a failing command stops the hooks that follow (Fail) or not (Continue).
	// +optional
	OnError HookErrorMode `json:"onError,omitempty"`

	// ExecTimeout is how long the command may run before it counts as failed.
	// +optional
	ExecTimeout metav1.Duration `json:"execTimeout,omitempty"`

	// WaitTimeout is how long to wait for the container to run (or be ready) before the command.
	// +optional
	WaitTimeout metav1.Duration `json:"waitTimeout,omitempty"`

	// WaitForReady waits for the container to be ready, not just running, before the command.
	// +optional
	// +nullable
	WaitForReady *bool `json:"waitForReady,omitempty"`
}

// InitRestoreHook adds init containers to a restored pod, to run before its own containers start.
type InitRestoreHook struct {
	// InitContainers are the containers added, each a full Container object.
	// +kubebuilder:pruning:PreserveUnknownFields
	// +optional
	InitContainers []runtime.RawExtension `json:"initContainers"`

	// Timeout is how long the init containers may take.
	// +optional
	Timeout metav1.Duration `json:"timeout,omitempty"`
}

// RestorePhase is where a restore is in its life.
// +kubebuilder:validation:Enum=New;FailedValidation;InProgress;WaitingForPluginOperations;WaitingForPluginOperationsPartiallyFailed;Completed;PartiallyFailed;Failed;Finalizing;FinalizingPartiallyFailed
type RestorePhase string

const (
	// RestorePhaseNew: created, not yet picked up by the server.
	RestorePhaseNew RestorePhase = "New"
	// RestorePhaseFailedValidation: its spec was refused; it will not run (see status.validationErrors).
	RestorePhaseFailedValidation RestorePhase = "FailedValidation"
	// RestorePhaseInProgress: running.
	RestorePhaseInProgress RestorePhase = "InProgress"
	// RestorePhaseWaitingForPluginOperations: the objects are created; volume data is still moving.
	RestorePhaseWaitingForPluginOperations RestorePhase = "WaitingForPluginOperations"
	// RestorePhaseWaitingForPluginOperationsPartiallyFailed: as WaitingForPluginOperations, with errors so far.
	RestorePhaseWaitingForPluginOperationsPartiallyFailed RestorePhase = "WaitingForPluginOperationsPartiallyFailed"
	// RestorePhaseFinalizing: the data is back; the restore is finishing its last steps.
	RestorePhaseFinalizing RestorePhase = "Finalizing"
	// RestorePhaseFinalizingPartiallyFailed: as Finalizing, with errors so far.
	RestorePhaseFinalizingPartiallyFailed RestorePhase = "FinalizingPartiallyFailed"
	// RestorePhaseCompleted: done without errors.
	RestorePhaseCompleted RestorePhase = "Completed"
	// RestorePhasePartiallyFailed: done, but some items failed (see status.errors and the log).
	RestorePhasePartiallyFailed RestorePhase = "PartiallyFailed"
	// RestorePhaseFailed: stopped by an error (see status.failureReason).
	RestorePhaseFailed RestorePhase = "Failed"
)

// PolicyType is the value of RestoreSpec.ExistingResourcePolicy.
type PolicyType string

const (
	// PolicyTypeNone leaves an object that already exists as it is.
	PolicyTypeNone PolicyType = "none"
	// PolicyTypeUpdate patches an object that already exists to its backed-up version.
	PolicyTypeUpdate PolicyType = "update"
)

// RestoreStatus is what the server reports of a restore.
type RestoreStatus struct {
	// Phase is where the restore is in its life.
	// +optional
	Phase RestorePhase `json:"phase,omitempty"`

	// ValidationErrors say why the spec was refused, in phase FailedValidation.
	// +optional
	// +nullable
	ValidationErrors []string `json:"validationErrors,omitempty"`

	// Warnings counts the warnings logged; the messages are in the restore's results.
	// +optional
	Warnings int `json:"warnings,omitempty"`

	// Errors counts the errors logged; the messages are in the restore's results.
	// +optional
	Errors int `json:"errors,omitempty"`

	// FailureReason is the error that failed the whole restore.
	// +optional
	FailureReason string `json:"failureReason,omitempty"`

	// StartTimestamp is when the server started the restore, by the server's clock.
	// +optional
	// +nullable
	StartTimestamp *metav1.Time `json:"startTimestamp,omitempty"`

	// CompletionTimestamp is when the restore ended, failed ones too, by the server's clock.
	// +optional
	// +nullable
	CompletionTimestamp *metav1.Time `json:"completionTimestamp,omitempty"`

	// Progress counts the items restored so far; it is best effort and may lag.
	// +optional
	// +nullable
	Progress *RestoreProgress `json:"progress,omitempty"`

	// RestoreItemOperationsAttempted counts the asynchronous plugin operations started.
	// +optional
	RestoreItemOperationsAttempted int `json:"restoreItemOperationsAttempted,omitempty"`

	// RestoreItemOperationsCompleted counts the asynchronous plugin operations that succeeded.
	// +optional
	RestoreItemOperationsCompleted int `json:"restoreItemOperationsCompleted,omitempty"`

	// RestoreItemOperationsFailed counts the asynchronous plugin operations that failed.
	// +optional
	RestoreItemOperationsFailed int `json:"restoreItemOperationsFailed,omitempty"`

	// HookStatus counts the hooks run and failed.
	// +optional
	// +nullable
	HookStatus *HookStatus `json:"hookStatus,omitempty"`
}

// RestoreProgress counts a restore's items.
type RestoreProgress struct {
	// TotalItems is how many items the restore expects to create; it can grow while it runs.
	// +optional
	TotalItems int `json:"totalItems,omitempty"`

	// ItemsRestored is how many items are restored so far.
	// +optional
	ItemsRestored int `json:"itemsRestored,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion

// Restore puts the objects and volume data of a backup back into a cluster:
// `velero restore create` makes one.
type Restore struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec RestoreSpec `json:"spec,omitempty"`

	// +optional
	Status RestoreStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// RestoreList is a list of Restores.
type RestoreList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata"`

	Items []Restore `json:"items"`
}
