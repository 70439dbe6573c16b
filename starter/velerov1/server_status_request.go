package velerov1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// +kubebuilder:object:root=true
// +kubebuilder:resource:shortName=ssr
// +kubebuilder:storageversion

// ServerStatusRequest asks the server for its version and plugins: `velero
// version` and `velero plugin get` make one.
type ServerStatusRequest struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// +optional
	Spec ServerStatusRequestSpec `json:"spec,omitempty"`

	// +optional
	Status ServerStatusRequestStatus `json:"status,omitempty"`
}

// ServerStatusRequestSpec is empty: the request asks for everything.
type ServerStatusRequestSpec struct {
}

// ServerStatusRequestPhase is where a status request is in its life.
// +kubebuilder:validation:Enum=New;Processed
type ServerStatusRequestPhase string

const (
	// ServerStatusRequestPhaseNew: created, not yet answered.
	ServerStatusRequestPhaseNew ServerStatusRequestPhase = "New"
	// ServerStatusRequestPhaseProcessed: answered.
	ServerStatusRequestPhaseProcessed ServerStatusRequestPhase = "Processed"
)

// PluginInfo is one plugin the server runs.
type PluginInfo struct {
	// Name is the plugin's name, e.g. velero.io/aws.
	Name string `json:"name"`
	// Kind is what the plugin does, e.g. ObjectStore or BackupItemAction.
	Kind string `json:"kind"`
}

// ServerStatusRequestStatus is the server's answer.
type ServerStatusRequestStatus struct {
	// Phase is where the request is in its life.
	// +optional
	Phase ServerStatusRequestPhase `json:"phase,omitempty"`

	// ProcessedTimestamp is when the server answered.
	// +optional
	// +nullable
	ProcessedTimestamp *metav1.Time `json:"processedTimestamp,omitempty"`

	// ServerVersion is the server's version.
	// +optional
	ServerVersion string `json:"serverVersion,omitempty"`

	// Plugins are the plugins the server runs.
	// +optional
	// +nullable
	Plugins []PluginInfo `json:"plugins,omitempty"`
}

// +kubebuilder:object:root=true

// ServerStatusRequestList is a list of ServerStatusRequests.
type ServerStatusRequestList struct {
	metav1.TypeMeta `json:",inline"`

	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`

	Items []ServerStatusRequest `json:"items"`
}
