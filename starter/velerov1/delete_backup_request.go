package velerov1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// DeleteBackupRequestSpec names the backup to delete.
type DeleteBackupRequestSpec struct {
	BackupName string `json:"backupName"`
}

// DeleteBackupRequestPhase is where a deletion is in its life.
// +kubebuilder:validation:Enum=New;InProgress;Processed
type DeleteBackupRequestPhase string

const (
	// DeleteBackupRequestPhaseNew: created, not yet picked up by the server.
	DeleteBackupRequestPhaseNew DeleteBackupRequestPhase = "New"
	// DeleteBackupRequestPhaseInProgress: the backup and its data are being deleted.
	DeleteBackupRequestPhaseInProgress DeleteBackupRequestPhase = "InProgress"
	// DeleteBackupRequestPhaseProcessed: done; status.errors lists what could not be deleted.
	DeleteBackupRequestPhaseProcessed DeleteBackupRequestPhase = "Processed"
)

// DeleteBackupRequestStatus is what the server reports of a deletion.
type DeleteBackupRequestStatus struct {
	// Phase is where the deletion is in its life.
	// +optional
	Phase DeleteBackupRequestPhase `json:"phase,omitempty"`

	// Errors say what could not be deleted, and why.
	// +optional
	// +nullable
	Errors []string `json:"errors,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:printcolumn:name="BackupName",type="string",JSONPath=".spec.backupName",description="The backup to delete"
// +kubebuilder:printcolumn:name="Status",type="string",JSONPath=".status.phase",description="Where the deletion is in its life"

// DeleteBackupRequest asks the server to delete a backup, with its data in
// the storage location and its volume snapshots: `velero backup delete`
// makes one.
type DeleteBackupRequest struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec DeleteBackupRequestSpec `json:"spec,omitempty"`

	// +optional
	Status DeleteBackupRequestStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// DeleteBackupRequestList is a list of DeleteBackupRequests.
type DeleteBackupRequestList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []DeleteBackupRequest `json:"items"`
}
