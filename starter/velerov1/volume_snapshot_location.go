package velerov1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=vsl
// +kubebuilder:storageversion

// VolumeSnapshotLocation is where a volume snapshotter plugin takes the
// snapshots of PVs (a cloud's region, say): `velero snapshot-location create`
// makes one.
type VolumeSnapshotLocation struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec VolumeSnapshotLocationSpec `json:"spec,omitempty"`

	// +optional
	Status VolumeSnapshotLocationStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// VolumeSnapshotLocationList is a list of VolumeSnapshotLocations.
type VolumeSnapshotLocationList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []VolumeSnapshotLocation `json:"items"`
}

// VolumeSnapshotLocationSpec names the snapshotter plugin and its settings.
type VolumeSnapshotLocationSpec struct {
	// Provider is the volume snapshotter's plugin, e.g. aws, azure or gcp.
	Provider string `json:"provider"`

	// Config is the provider's settings, e.g. region for aws.
	// +optional
	Config map[string]string `json:"config,omitempty"`

	// Credential is the key of a Secret, in the server's namespace, holding this location's credentials;
	// unset means the server's own.
	// +optional
	Credential *corev1.SecretKeySelector `json:"credential,omitempty"`
}

// VolumeSnapshotLocationPhase says whether a snapshot location can be used.
// +kubebuilder:validation:Enum=Available;Unavailable
type VolumeSnapshotLocationPhase string

const (
	// VolumeSnapshotLocationPhaseAvailable: snapshots can be taken and read.
	VolumeSnapshotLocationPhaseAvailable VolumeSnapshotLocationPhase = "Available"
	// VolumeSnapshotLocationPhaseUnavailable: snapshots cannot be taken or read.
	VolumeSnapshotLocationPhaseUnavailable VolumeSnapshotLocationPhase = "Unavailable"
)

// VolumeSnapshotLocationStatus is what the server reports of a snapshot location.
type VolumeSnapshotLocationStatus struct {
	// +optional
	Phase VolumeSnapshotLocationPhase `json:"phase,omitempty"`
}
