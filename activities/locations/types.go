package locations

import (
	"time"
)

// Provider is where a location keeps its data.
type Provider string

// Providers Cairn knows.
const (
	// ProviderAWS is S3 or an S3-compatible server (MinIO, Ceph, versitygw).
	ProviderAWS Provider = "aws"
	// ProviderLocal is a folder on the worker's file system.
	ProviderLocal Provider = "local"
)

// AccessMode says whether backups may be written to a location.
type AccessMode string

// Access modes, as Velero's.
const (
	ReadWrite AccessMode = "ReadWrite"
	ReadOnly  AccessMode = "ReadOnly"
)

// Phase is the outcome of the last validation of a location.
type Phase string

// Phases, as Velero's.
const (
	Available   Phase = "Available"
	Unavailable Phase = "Unavailable"
)

// Location is one backup storage location.
type Location struct {
	// Name is a DNS-1123 label.
	Name   string `json:"name"`
	Spec   Spec   `json:"spec"`
	Status Status `json:"status"`

	// ResourceVersion is the ConfigMap's, for optimistic concurrency in
	// Update; empty before Create.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// CredentialsFile, when set, is an AWS shared-credentials file that
	// Create or Update stores into the location's own Secret. Check and
	// Open use it in place of the Secret until then. It is never
	// serialized.
	CredentialsFile Sensitive `json:"-"`
}

// Spec is what the user configures.
type Spec struct {
	Provider Provider `json:"provider"`
	// Bucket is the S3 bucket (provider aws).
	Bucket string `json:"bucket,omitempty"`
	// Path is the folder (provider local), absolute.
	Path string `json:"path,omitempty"`
	// Prefix is the folder inside the bucket or path, without surrounding
	// slashes; empty for the root.
	Prefix string `json:"prefix,omitempty"`
	// Config holds the provider settings; see ConfigKeys.
	Config map[string]string `json:"config,omitempty"`
	// Credential names the Secret key that holds the S3 credentials.
	Credential *SecretKeyRef `json:"credential,omitempty"`
	// RepositoryPassword names the Secret key that holds the repository
	// password; nil means the shared generated one.
	RepositoryPassword *SecretKeyRef `json:"repositoryPassword,omitempty"`
	// AccessMode is ReadWrite when empty.
	AccessMode AccessMode `json:"accessMode,omitempty"`
	// Default marks the location backups use when they name none; at most
	// one location has it.
	Default bool `json:"default,omitempty"`
}

// Status is the outcome of the last validation.
type Status struct {
	Phase              Phase     `json:"phase,omitempty"`
	LastValidationTime time.Time `json:"lastValidationTime,omitzero"`
	// Message says why the location is unavailable, or what was checked.
	Message string `json:"message,omitempty"`
}

// SecretKeyRef names a key of a Secret in Cairn's namespace.
type SecretKeyRef struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

// String prints r as the --credential flag takes it: name=key.
func (r SecretKeyRef) String() string { return r.Name + "=" + r.Key }

// Mode returns the access mode, ReadWrite when unset.
func (s Spec) Mode() AccessMode {
	if s.AccessMode == "" {
		return ReadWrite
	}
	return s.AccessMode
}

// Sensitive is secret data that prints as "[redacted]".
type Sensitive []byte

// String hides the data.
func (s Sensitive) String() string {
	if s == nil {
		return "<nil>"
	}
	return "[redacted]"
}

// GoString hides the data from %#v.
func (s Sensitive) GoString() string { return s.String() }
