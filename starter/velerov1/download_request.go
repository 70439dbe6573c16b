package velerov1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// DownloadRequestSpec says which file is wanted.
type DownloadRequestSpec struct {
	// Target is the file: its kind, and the backup or restore it belongs to.
	Target DownloadTarget `json:"target"`
}

// DownloadTargetKind is a kind of file kept with a backup or restore.
// +kubebuilder:validation:Enum=BackupLog;BackupContents;BackupVolumeSnapshots;BackupItemOperations;BackupResourceList;BackupResults;RestoreLog;RestoreResults;RestoreResourceList;RestoreItemOperations;CSIBackupVolumeSnapshots;CSIBackupVolumeSnapshotContents;BackupVolumeInfos;RestoreVolumeInfo
type DownloadTargetKind string

// The files a DownloadRequest can ask for; the CLI's `backup logs`,
// `backup download`, `backup describe --details`, `restore logs` and
// `restore describe` read them.
const (
	DownloadTargetKindBackupLog                       DownloadTargetKind = "BackupLog"
	DownloadTargetKindBackupContents                  DownloadTargetKind = "BackupContents"
	DownloadTargetKindBackupVolumeSnapshots           DownloadTargetKind = "BackupVolumeSnapshots"
	DownloadTargetKindBackupItemOperations            DownloadTargetKind = "BackupItemOperations"
	DownloadTargetKindBackupResourceList              DownloadTargetKind = "BackupResourceList"
	DownloadTargetKindBackupResults                   DownloadTargetKind = "BackupResults"
	DownloadTargetKindRestoreLog                      DownloadTargetKind = "RestoreLog"
	DownloadTargetKindRestoreResults                  DownloadTargetKind = "RestoreResults"
	DownloadTargetKindRestoreResourceList             DownloadTargetKind = "RestoreResourceList"
	DownloadTargetKindRestoreItemOperations           DownloadTargetKind = "RestoreItemOperations"
	DownloadTargetKindCSIBackupVolumeSnapshots        DownloadTargetKind = "CSIBackupVolumeSnapshots"
	DownloadTargetKindCSIBackupVolumeSnapshotContents DownloadTargetKind = "CSIBackupVolumeSnapshotContents"
	DownloadTargetKindBackupVolumeInfos               DownloadTargetKind = "BackupVolumeInfos"
	DownloadTargetKindRestoreVolumeInfo               DownloadTargetKind = "RestoreVolumeInfo"
)

// DownloadTarget is a file of a backup or restore.
type DownloadTarget struct {
	// Kind is the kind of file.
	Kind DownloadTargetKind `json:"kind"`

	// Name is the backup or restore the file belongs to.
	Name string `json:"name"`
}

// DownloadRequestPhase is where a download request is in its life.
// +kubebuilder:validation:Enum=New;Processed
type DownloadRequestPhase string

const (
	// DownloadRequestPhaseNew: created, not yet answered.
	DownloadRequestPhaseNew DownloadRequestPhase = "New"
	// DownloadRequestPhaseProcessed: answered; status.downloadURL is set.
	DownloadRequestPhaseProcessed DownloadRequestPhase = "Processed"
)

// DownloadRequestStatus is the server's answer.
type DownloadRequestStatus struct {
	// Phase is where the request is in its life.
	// +optional
	Phase DownloadRequestPhase `json:"phase,omitempty"`

	// DownloadURL is a pre-signed URL the file can be fetched from until Expiration.
	// +optional
	DownloadURL string `json:"downloadURL,omitempty"`

	// Expiration is when the URL stops working and the request may be deleted.
	// +optional
	// +nullable
	Expiration *metav1.Time `json:"expiration,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion

// DownloadRequest asks the server for a URL to fetch one file of a backup or
// restore from the storage location, such as a log; the CLI makes one for
// each file it shows.
type DownloadRequest struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec DownloadRequestSpec `json:"spec,omitempty"`

	// +optional
	Status DownloadRequestStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// DownloadRequestList is a list of DownloadRequests.
type DownloadRequestList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []DownloadRequest `json:"items"`
}
