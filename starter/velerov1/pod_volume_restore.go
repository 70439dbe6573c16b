package velerov1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PodVolumeRestoreSpec says which snapshot a node agent writes back into which pod volume.
type PodVolumeRestoreSpec struct {
	// Pod is the restored pod whose volume is filled.
	Pod corev1.ObjectReference `json:"pod"`

	// Volume is the name of the volume in the pod's spec.
	Volume string `json:"volume"`

	// BackupStorageLocation is the location that holds the repository.
	BackupStorageLocation string `json:"backupStorageLocation"`

	// RepoIdentifier identifies the repository within the location.
	RepoIdentifier string `json:"repoIdentifier"`

	// UploaderType is the uploader that made the snapshot, kopia or restic.
	// +kubebuilder:validation:Enum=kopia;restic;""
	// +optional
	UploaderType string `json:"uploaderType"`

	// SnapshotID is the snapshot written back.
	SnapshotID string `json:"snapshotID"`

	// SourceNamespace is the namespace the pod was backed up in, before any namespace mapping.
	SourceNamespace string `json:"sourceNamespace"`

	// UploaderSettings tune the uploader.
	// +optional
	// +nullable
	UploaderSettings map[string]string `json:"uploaderSettings,omitempty"`

	// Cancel asks the node agent to stop while it is InProgress.
	Cancel bool `json:"cancel,omitempty"`

	// SnapshotSize is the snapshot's size in bytes.
	// +optional
	SnapshotSize int64 `json:"snapshotSize,omitempty"`
}

// PodVolumeRestorePhase is where a pod volume restore is in its life.
// +kubebuilder:validation:Enum=New;Accepted;Prepared;InProgress;Canceling;Canceled;Completed;Failed
type PodVolumeRestorePhase string

// The phases of a pod volume restore, as those of a pod volume backup.
const (
	PodVolumeRestorePhaseNew        PodVolumeRestorePhase = "New"
	PodVolumeRestorePhaseAccepted   PodVolumeRestorePhase = "Accepted"
	PodVolumeRestorePhasePrepared   PodVolumeRestorePhase = "Prepared"
	PodVolumeRestorePhaseInProgress PodVolumeRestorePhase = "InProgress"
	PodVolumeRestorePhaseCanceling  PodVolumeRestorePhase = "Canceling"
	PodVolumeRestorePhaseCanceled   PodVolumeRestorePhase = "Canceled"
	PodVolumeRestorePhaseCompleted  PodVolumeRestorePhase = "Completed"
	PodVolumeRestorePhaseFailed     PodVolumeRestorePhase = "Failed"
)

// PodVolumeRestoreStatus is what the node agent reports of the write-back.
type PodVolumeRestoreStatus struct {
	// Phase is where the restore is in its life.
	// +optional
	Phase PodVolumeRestorePhase `json:"phase,omitempty"`

	// Message says why the restore failed or was canceled.
	// +optional
	Message string `json:"message,omitempty"`

	// StartTimestamp is when the write-back started, by the node agent's clock.
	// +optional
	// +nullable
	StartTimestamp *metav1.Time `json:"startTimestamp,omitempty"`

	// CompletionTimestamp is when the write-back ended, failed ones too.
	// +optional
	// +nullable
	CompletionTimestamp *metav1.Time `json:"completionTimestamp,omitempty"`

	// Progress counts the bytes of the snapshot and those written so far.
	// +optional
	Progress DataMoveOperationProgress `json:"progress,omitempty"`

	// AcceptedTimestamp is when a node agent accepted the restore.
	// +optional
	// +nullable
	AcceptedTimestamp *metav1.Time `json:"acceptedTimestamp,omitempty"`

	// Node is the node whose agent writes the data back.
	// +optional
	Node string `json:"node,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:printcolumn:name="Status",type="string",JSONPath=".status.phase",description="Where the restore is in its life"
// +kubebuilder:printcolumn:name="Started",type="date",JSONPath=".status.startTimestamp",description="When the write-back started"
// +kubebuilder:printcolumn:name="Bytes Done",type="integer",format="int64",JSONPath=".status.progress.bytesDone",description="Bytes written so far"
// +kubebuilder:printcolumn:name="Total Bytes",type="integer",format="int64",JSONPath=".status.progress.totalBytes",description="Bytes of the snapshot"
// +kubebuilder:printcolumn:name="Storage Location",type="string",JSONPath=".spec.backupStorageLocation",description="The location that holds the repository"
// +kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp",description="Time since the pod volume restore was created"
// +kubebuilder:printcolumn:name="Node",type="string",JSONPath=".status.node",description="The node whose agent writes the data back"
// +kubebuilder:printcolumn:name="Uploader Type",type="string",JSONPath=".spec.uploaderType",description="The uploader that made the snapshot"

// PodVolumeRestore writes one snapshot of a repository back into a volume of
// a restored pod, done by the node agent of the pod's node for a restore.
type PodVolumeRestore struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec PodVolumeRestoreSpec `json:"spec,omitempty"`

	// +optional
	Status PodVolumeRestoreStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// PodVolumeRestoreList is a list of PodVolumeRestores.
type PodVolumeRestoreList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []PodVolumeRestore `json:"items"`
}
