package velerov1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DataMoveOperationProgress counts the bytes of a volume's data copy.
type DataMoveOperationProgress struct {
	// TotalBytes is how many bytes the copy moves in all.
	// +optional
	TotalBytes int64 `json:"totalBytes,omitempty"`

	// BytesDone is how many bytes are moved so far.
	// +optional
	BytesDone int64 `json:"bytesDone,omitempty"`
}

// PodVolumeBackupSpec says which pod volume a node agent copies, and into which repository.
type PodVolumeBackupSpec struct {
	// Node is the node the pod runs on, whose node agent copies the volume.
	Node string `json:"node"`

	// Pod is the pod whose volume is copied.
	Pod corev1.ObjectReference `json:"pod"`

	// Volume is the name of the volume in the pod's spec.
	Volume string `json:"volume"`

	// BackupStorageLocation is the location that holds the repository.
	BackupStorageLocation string `json:"backupStorageLocation"`

	// RepoIdentifier identifies the repository within the location.
	RepoIdentifier string `json:"repoIdentifier"`

	// UploaderType is the uploader that copies the data, kopia or restic.
	// +kubebuilder:validation:Enum=kopia;restic;""
	// +optional
	UploaderType string `json:"uploaderType"`

	// Tags are put on the snapshot, such as the backup's and the pod's names.
	// +optional
	Tags map[string]string `json:"tags,omitempty"`

	// UploaderSettings tune the uploader.
	// +optional
	// +nullable
	UploaderSettings map[string]string `json:"uploaderSettings,omitempty"`

	// Cancel asks the node agent to stop the copy while it is InProgress.
	Cancel bool `json:"cancel,omitempty"`
}

// PodVolumeBackupPhase is where a pod volume backup is in its life.
// +kubebuilder:validation:Enum=New;Accepted;Prepared;InProgress;Canceling;Canceled;Completed;Failed
type PodVolumeBackupPhase string

// The phases of a pod volume backup: New, then Accepted and Prepared by a
// node agent, InProgress while it copies, and one of Completed, Failed or
// (after Canceling) Canceled.
const (
	PodVolumeBackupPhaseNew        PodVolumeBackupPhase = "New"
	PodVolumeBackupPhaseAccepted   PodVolumeBackupPhase = "Accepted"
	PodVolumeBackupPhasePrepared   PodVolumeBackupPhase = "Prepared"
	PodVolumeBackupPhaseInProgress PodVolumeBackupPhase = "InProgress"
	PodVolumeBackupPhaseCanceling  PodVolumeBackupPhase = "Canceling"
	PodVolumeBackupPhaseCanceled   PodVolumeBackupPhase = "Canceled"
	PodVolumeBackupPhaseCompleted  PodVolumeBackupPhase = "Completed"
	PodVolumeBackupPhaseFailed     PodVolumeBackupPhase = "Failed"
)

// PodVolumeBackupStatus is what the node agent reports of the copy.
type PodVolumeBackupStatus struct {
	// Phase is where the copy is in its life.
	// +optional
	Phase PodVolumeBackupPhase `json:"phase,omitempty"`

	// Path is the volume's path on the node that was copied.
	// +optional
	Path string `json:"path,omitempty"`

	// SnapshotID is the ID of the snapshot the copy made in the repository.
	// +optional
	SnapshotID string `json:"snapshotID,omitempty"`

	// Message says why the copy failed or was canceled.
	// +optional
	Message string `json:"message,omitempty"`

	// StartTimestamp is when the copy started, by the node agent's clock.
	// +optional
	// +nullable
	StartTimestamp *metav1.Time `json:"startTimestamp,omitempty"`

	// CompletionTimestamp is when the copy ended, failed ones too.
	// +optional
	// +nullable
	CompletionTimestamp *metav1.Time `json:"completionTimestamp,omitempty"`

	// Progress counts the bytes of the volume and those copied so far.
	// +optional
	Progress DataMoveOperationProgress `json:"progress,omitempty"`

	// IncrementalBytes counts the bytes new or changed since the volume's last snapshot.
	// +optional
	IncrementalBytes int64 `json:"incrementalBytes,omitempty"`

	// AcceptedTimestamp is when a node agent accepted the copy.
	// +optional
	// +nullable
	AcceptedTimestamp *metav1.Time `json:"acceptedTimestamp,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:printcolumn:name="Status",type="string",JSONPath=".status.phase",description="Where the copy is in its life"
// +kubebuilder:printcolumn:name="Started",type="date",JSONPath=".status.startTimestamp",description="When the copy started"
// +kubebuilder:printcolumn:name="Bytes Done",type="integer",format="int64",JSONPath=".status.progress.bytesDone",description="Bytes copied so far"
// +kubebuilder:printcolumn:name="Total Bytes",type="integer",format="int64",JSONPath=".status.progress.totalBytes",description="Bytes of the volume"
// +kubebuilder:printcolumn:name="Incremental Bytes",type="integer",format="int64",JSONPath=".status.incrementalBytes",description="Bytes new or changed since the last snapshot",priority=10
// +kubebuilder:printcolumn:name="Storage Location",type="string",JSONPath=".spec.backupStorageLocation",description="The location that holds the repository"
// +kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp",description="Time since the pod volume backup was created"
// +kubebuilder:printcolumn:name="Node",type="string",JSONPath=".status.node",description="The node whose agent copies the volume"
// +kubebuilder:printcolumn:name="Uploader",type="string",JSONPath=".spec.uploaderType",description="The uploader that copies the data"

// PodVolumeBackup is the copy of one pod volume's files into a repository,
// made by the node agent of the pod's node for a backup.
type PodVolumeBackup struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec PodVolumeBackupSpec `json:"spec,omitempty"`

	// +optional
	Status PodVolumeBackupStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// PodVolumeBackupList is a list of PodVolumeBackups.
type PodVolumeBackupList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []PodVolumeBackup `json:"items"`
}
