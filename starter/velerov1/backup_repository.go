package velerov1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// BackupRepositorySpec says which namespace's pod volumes a repository holds, and where it is.
type BackupRepositorySpec struct {
	// VolumeNamespace is the namespace whose pod volume backups the repository holds.
	VolumeNamespace string `json:"volumeNamespace"`

	// BackupStorageLocation is the location the repository is kept in.
	BackupStorageLocation string `json:"backupStorageLocation"`

	// RepositoryType is the repository's format, kopia or restic.
	// +kubebuilder:validation:Enum=kopia;restic;""
	// +optional
	RepositoryType string `json:"repositoryType"`

	// ResticIdentifier is the repository's full restic URL; only restic repositories have one.
	// +optional
	ResticIdentifier string `json:"resticIdentifier,omitempty"`

	// MaintenanceFrequency is how often the repository is maintained (unreferenced data pruned).
	MaintenanceFrequency metav1.Duration `json:"maintenanceFrequency"`

	// RepositoryConfig are the repository's own settings.
	// +optional
	// +nullable
	RepositoryConfig map[string]string `json:"repositoryConfig,omitempty"`
}

// BackupRepositoryPhase says whether a repository can be used.
// +kubebuilder:validation:Enum=New;Ready;NotReady
type BackupRepositoryPhase string

// The phases of a repository, and the values of spec.repositoryType.
const (
	BackupRepositoryPhaseNew      BackupRepositoryPhase = "New"
	BackupRepositoryPhaseReady    BackupRepositoryPhase = "Ready"
	BackupRepositoryPhaseNotReady BackupRepositoryPhase = "NotReady"

	BackupRepositoryTypeRestic string = "restic"
	BackupRepositoryTypeKopia  string = "kopia"
)

// BackupRepositoryStatus is what the server reports of a repository.
type BackupRepositoryStatus struct {
	// Phase says whether the repository can be used.
	// +optional
	Phase BackupRepositoryPhase `json:"phase,omitempty"`

	// Message says why the repository is not ready.
	// +optional
	Message string `json:"message,omitempty"`

	// LastMaintenanceTime is when maintenance last succeeded.
	// +optional
	// +nullable
	LastMaintenanceTime *metav1.Time `json:"lastMaintenanceTime,omitempty"`

	// RecentMaintenance are the latest maintenance runs and their results.
	// +optional
	RecentMaintenance []BackupRepositoryMaintenanceStatus `json:"recentMaintenance,omitempty"`
}

// BackupRepositoryMaintenanceResult is how a maintenance run ended.
// +kubebuilder:validation:Enum=Succeeded;Failed
type BackupRepositoryMaintenanceResult string

// The results of a maintenance run.
const (
	BackupRepositoryMaintenanceSucceeded BackupRepositoryMaintenanceResult = "Succeeded"
	BackupRepositoryMaintenanceFailed    BackupRepositoryMaintenanceResult = "Failed"
)

// BackupRepositoryMaintenanceStatus is one maintenance run of a repository.
type BackupRepositoryMaintenanceStatus struct {
	// Result is how the run ended.
	// +optional
	Result BackupRepositoryMaintenanceResult `json:"result,omitempty"`

	// StartTimestamp is when the run started.
	// +optional
	// +nullable
	StartTimestamp *metav1.Time `json:"startTimestamp,omitempty"`

	// CompleteTimestamp is when the run ended.
	// +optional
	// +nullable
	CompleteTimestamp *metav1.Time `json:"completeTimestamp,omitempty"`

	// Message says why the run failed.
	// +optional
	Message string `json:"message,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="Repository Type",type="string",JSONPath=".spec.repositoryType"

// BackupRepository is the repository, in a storage location, that holds the
// pod volume backups of one namespace.
type BackupRepository struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec BackupRepositorySpec `json:"spec,omitempty"`

	// +optional
	Status BackupRepositoryStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// BackupRepositoryList is a list of BackupRepositories.
type BackupRepositoryList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []BackupRepository `json:"items"`
}
