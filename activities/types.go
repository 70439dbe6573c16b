package activities

import (
	"time"

	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// BackupSpec holds a backup's settings as Velero's `backup create` flags
// give them. It carries names and selectors only, never secrets.
type BackupSpec struct {
	// IncludedNamespaces are the namespaces to back up (--include-namespaces);
	// empty or "*" means all.
	IncludedNamespaces []string `json:",omitempty"`
	// ExcludedNamespaces are namespaces left out (--exclude-namespaces).
	ExcludedNamespaces []string `json:",omitempty"`
	// IncludedResources are the resources to back up, as
	// resource.group names (--include-resources); empty or "*" means all.
	IncludedResources []string `json:",omitempty"`
	// ExcludedResources are resources left out (--exclude-resources).
	ExcludedResources []string `json:",omitempty"`
	// IncludeClusterResources backs up cluster-scoped resources (true), none
	// (false) or, when unset, those Velero's rules pick
	// (--include-cluster-resources).
	IncludeClusterResources *bool `json:",omitempty"`
	// The scoped resource filters (--include-cluster-scoped-resources,
	// --exclude-cluster-scoped-resources, --include-namespace-scoped-resources,
	// --exclude-namespace-scoped-resources), which replace the four above:
	// one kind or the other.
	IncludedClusterScopedResources   []string `json:",omitempty"`
	ExcludedClusterScopedResources   []string `json:",omitempty"`
	IncludedNamespaceScopedResources []string `json:",omitempty"`
	ExcludedNamespaceScopedResources []string `json:",omitempty"`
	// OrderedResources backs up the named objects of a resource first, in
	// their order (--ordered-resources): resource name to "ns/name,ns/name",
	// cluster-scoped objects by bare name.
	OrderedResources map[string]string `json:",omitempty"`
	// LabelSelector selects objects by label, in kubectl's syntax
	// (--selector).
	LabelSelector string `json:",omitempty"`
	// OrLabelSelectors select objects matching any of them
	// (--or-selector); not with LabelSelector.
	OrLabelSelectors []string `json:",omitempty"`
	// TTL is a Go duration ("720h"); empty means 720h, Velero's default.
	TTL string `json:",omitempty"`
	// StorageLocation is the backup storage location; empty means the default.
	StorageLocation string `json:",omitempty"`
	// DefaultVolumesToFsBackup is recorded for the pod volume backups of the
	// node agents; resource backups do not use it.
	DefaultVolumesToFsBackup *bool `json:",omitempty"`
	// Hooks are Velero's spec.hooks: exec hooks run before and after the
	// backup of the pods they select.
	Hooks *hooks.BackupHooks `json:",omitempty"`
	// Labels and Annotations go on the backup's record, as Velero puts
	// them on its Backup object (--labels, --annotations); `backup get
	// --selector` selects by Labels.
	Labels      map[string]string `json:",omitempty"`
	Annotations map[string]string `json:",omitempty"`
}

// RestoreSpec holds a restore's settings as Velero's `restore create` flags
// give them.
type RestoreSpec struct {
	// BackupName is the backup to restore from (--from-backup).
	BackupName string
	// IncludedNamespaces are the backed-up namespaces to restore; empty or
	// "*" means all.
	IncludedNamespaces []string `json:",omitempty"`
	// ExcludedNamespaces are backed-up namespaces left out.
	ExcludedNamespaces []string `json:",omitempty"`
	// IncludedResources are the resources to restore; empty or "*" means all.
	IncludedResources []string `json:",omitempty"`
	// ExcludedResources are resources left out.
	ExcludedResources []string `json:",omitempty"`
	// IncludeClusterResources restores cluster-scoped objects (true), none
	// (false), or, when unset, those the restored namespaced objects need
	// (--include-cluster-resources).
	IncludeClusterResources *bool `json:",omitempty"`
	// LabelSelector restores only the objects whose labels match it
	// (--selector); OrLabelSelectors, those that match any one of them
	// (--or-selector). They exclude each other.
	LabelSelector    string   `json:",omitempty"`
	OrLabelSelectors []string `json:",omitempty"`
	// StatusIncludedResources and StatusExcludedResources select the
	// resources whose status is restored too (--status-include-resources,
	// --status-exclude-resources).
	StatusIncludedResources []string `json:",omitempty"`
	StatusExcludedResources []string `json:",omitempty"`
	// NamespaceMappings restores namespace keys into namespace values
	// (--namespace-mappings old:new).
	NamespaceMappings map[string]string `json:",omitempty"`
	// ExistingResourcePolicy is none (the default: an object that exists
	// is left as it is) or update (--existing-resource-policy).
	ExistingResourcePolicy string `json:",omitempty"`
	// PreserveNodePorts keeps the node ports of restored Services
	// (--preserve-nodeports).
	PreserveNodePorts *bool `json:",omitempty"`
	// RestoreVolumes is recorded for the pod volume restores of the node
	// agents; resource restores do not use it.
	RestoreVolumes *bool `json:",omitempty"`
	// Hooks are Velero's spec.hooks: init containers added to the restored
	// pods they select and exec hooks run in them once they run.
	Hooks *hooks.RestoreHooks `json:",omitempty"`
	// Labels and Annotations go on the restore's record (--labels,
	// --annotations); `restore get --selector` selects by Labels.
	Labels      map[string]string `json:",omitempty"`
	Annotations map[string]string `json:",omitempty"`
}

// DefaultTTL is Velero's default backup retention.
const DefaultTTL = 720 * time.Hour

// ValidateBackupInput asks whether a backup may start.
type ValidateBackupInput struct {
	Name string
	Spec BackupSpec
}

// ValidateBackupResult is the resolved plan of a valid backup.
type ValidateBackupResult struct {
	// StorageLocation is the location's name, the default's when the spec
	// names none.
	StorageLocation string
	TTL             time.Duration
	// Warnings are discovery problems that do not stop the backup.
	Warnings []string `json:",omitempty"`
}

// BackupResourcesInput starts the resource backup of a validated backup.
type BackupResourcesInput struct {
	Name            string
	Spec            BackupSpec
	StorageLocation string
	TTL             time.Duration
	// PodVolumeBackups, Hooks and Dumps are stored with the record.
	PodVolumeBackups []metadata.PodVolumeBackup `json:",omitempty"`
	Hooks            []metadata.HookResult      `json:",omitempty"`
	Dumps            []metadata.PodDump         `json:",omitempty"`
}

// BackupResourcesResult is the outcome of a resource backup: counts and the
// snapshot ID.
type BackupResourcesResult struct {
	Phase      string
	SnapshotID string
	Items      int
	Errors     int
	Warnings   int
	// Bytes is the size of the backed-up objects' JSON (Velero's tarball
	// size).
	Bytes uint64 `json:",omitempty"`
}

// ValidateRestoreInput asks whether a restore may start.
type ValidateRestoreInput struct {
	Name string
	Spec RestoreSpec
}

// ValidateRestoreResult names the location that holds the backup.
type ValidateRestoreResult struct {
	StorageLocation string
}

// RestoreResourcesInput starts the resource restore of a validated restore.
type RestoreResourcesInput struct {
	Name            string
	Spec            RestoreSpec
	StorageLocation string
}

// RestoreResourcesResult is the outcome of a resource restore: counts only.
type RestoreResourcesResult struct {
	Phase    string
	Total    int
	Created  int
	Updated  int
	Skipped  int
	Failed   int
	Errors   int
	Warnings int
}
