package velerov1

import (
	"errors"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// BackupStorageLocationSpec says where, in which object store, backups are kept.
type BackupStorageLocationSpec struct {
	// Provider is the object store's plugin, e.g. aws (any S3-compatible store), azure or gcp.
	Provider string `json:"provider"`

	// Config is the provider's settings, e.g. region, s3Url and s3ForcePathStyle for aws.
	// +optional
	Config map[string]string `json:"config,omitempty"`

	// Credential is the key of a Secret, in the server's namespace, holding this location's credentials;
	// unset means the server's own.
	// +optional
	Credential *corev1.SecretKeySelector `json:"credential,omitempty"`

	StorageType `json:",inline"`

	// Default makes this the location of backups that name none.
	// +optional
	Default bool `json:"default,omitempty"`

	// AccessMode is ReadWrite, or ReadOnly to restore from the location without writing to it.
	// +optional
	AccessMode BackupStorageLocationAccessMode `json:"accessMode,omitempty"`

	// BackupSyncPeriod is how often the backups found in the store are synced into the cluster; 0 turns it off.
	// +optional
	// +nullable
	BackupSyncPeriod *metav1.Duration `json:"backupSyncPeriod,omitempty"`

	// ValidationFrequency is how often the location is checked to be reachable; 0 turns it off.
	// +optional
	// +nullable
	ValidationFrequency *metav1.Duration `json:"validationFrequency,omitempty"`
}

// BackupStorageLocationStatus is what the server reports of a location.
type BackupStorageLocationStatus struct {
	// Phase says whether the location was reachable when last checked.
	// +optional
	Phase BackupStorageLocationPhase `json:"phase,omitempty"`

	// LastSyncedTime is when the backups in the store were last synced into the cluster.
	// +optional
	// +nullable
	LastSyncedTime *metav1.Time `json:"lastSyncedTime,omitempty"`

	// LastValidationTime is when the location was last checked.
	// +optional
	// +nullable
	LastValidationTime *metav1.Time `json:"lastValidationTime,omitempty"`

	// Message says why the location is unavailable.
	// +optional
	Message string `json:"message,omitempty"`

	// LastSyncedRevision is no longer written or read.
	//
	// Deprecated: kept so that old objects keep their value.
	// +optional
	LastSyncedRevision types.UID `json:"lastSyncedRevision,omitempty"`

	// AccessMode is no longer used: the access mode is spec.accessMode.
	//
	// Deprecated: set spec.accessMode.
	// +optional
	AccessMode BackupStorageLocationAccessMode `json:"accessMode,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=bsl
// +kubebuilder:storageversion
// +kubebuilder:printcolumn:name="Phase",type="string",JSONPath=".status.phase",description="Whether the location was reachable when last checked: Available or Unavailable"
// +kubebuilder:printcolumn:name="Last Validated",type="date",JSONPath=".status.lastValidationTime",description="When the location was last checked"
// +kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="Default",type="boolean",JSONPath=".spec.default",description="Whether backups that name no location go here"

// BackupStorageLocation is a bucket (and prefix) of an object store that
// backups are written to and read from: `velero backup-location create`
// makes one.
type BackupStorageLocation struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   BackupStorageLocationSpec   `json:"spec,omitempty"`
	Status BackupStorageLocationStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// BackupStorageLocationList is a list of BackupStorageLocations.
type BackupStorageLocationList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []BackupStorageLocation `json:"items"`
}

// StorageType is the kind of store a location is; an object store is the only one.
type StorageType struct {
	ObjectStorage *ObjectStorageLocation `json:"objectStorage"`
}

// ObjectStorageLocation is the bucket of a location, and how to reach it.
type ObjectStorageLocation struct {
	// Bucket is the bucket backups are kept in.
	Bucket string `json:"bucket"`

	// Prefix is the folder within the bucket that backups are kept under; empty means its top.
	// +optional
	Prefix string `json:"prefix,omitempty"`

	// CACert is a PEM bundle of the CAs to trust for the store's TLS certificate.
	//
	// Deprecated: set CACertRef.
	// +optional
	CACert []byte `json:"caCert,omitempty"`

	// CACertRef is the key of a Secret, in the location's namespace, holding a PEM bundle of the CAs
	// to trust for the store's TLS certificate.
	// +optional
	CACertRef *corev1.SecretKeySelector `json:"caCertRef,omitempty"`
}

// BackupStorageLocationPhase says whether a location can be read and written.
// +kubebuilder:validation:Enum=Available;Unavailable
// +kubebuilder:default=Unavailable
type BackupStorageLocationPhase string

const (
	// BackupStorageLocationPhaseAvailable: the store was reachable when last checked.
	BackupStorageLocationPhaseAvailable BackupStorageLocationPhase = "Available"
	// BackupStorageLocationPhaseUnavailable: the store was not reachable when last checked (see status.message).
	BackupStorageLocationPhaseUnavailable BackupStorageLocationPhase = "Unavailable"
)

// BackupStorageLocationAccessMode is what may be done to a location.
// +kubebuilder:validation:Enum=ReadOnly;ReadWrite
type BackupStorageLocationAccessMode string

const (
	// BackupStorageLocationAccessModeReadOnly: backups are read and restored, never written or deleted.
	BackupStorageLocationAccessModeReadOnly BackupStorageLocationAccessMode = "ReadOnly"
	// BackupStorageLocationAccessModeReadWrite: backups are written, read and deleted.
	BackupStorageLocationAccessModeReadWrite BackupStorageLocationAccessMode = "ReadWrite"
)

// Validate refuses a location that sets both objectStorage.caCert and
// objectStorage.caCertRef: the server could not tell which CAs to trust.
func (bsl *BackupStorageLocation) Validate() error {
	if o := bsl.Spec.ObjectStorage; o != nil && o.CACert != nil && o.CACertRef != nil {
		return errors.New("objectStorage sets both caCert and caCertRef: set only one")
	}
	return nil
}
