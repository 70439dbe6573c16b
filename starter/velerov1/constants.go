package velerov1

// DefaultNamespace is the namespace the server and its objects live in unless told otherwise.
const DefaultNamespace = "velero"

// The layout of a backup's tarball, and the feature flags that change it.
const (
	// ResourcesDir is the top folder of the objects, one subfolder per resource.
	ResourcesDir = "resources"
	// MetadataDir is the top folder of the backup's own records, such as its format version.
	MetadataDir = "metadata"
	// ClusterScopedDir holds a resource's cluster-scoped objects.
	ClusterScopedDir = "cluster"
	// NamespaceScopedDir holds a resource's namespaced objects, one subfolder per namespace.
	NamespaceScopedDir = "namespaces"
	// PreferredVersionDir ends the name of a resource's folder of the group's preferred version.
	PreferredVersionDir = "-preferredversion"

	// CSIFeatureFlag turns on CSI snapshots.
	CSIFeatureFlag = "EnableCSI"
	// APIGroupVersionsFeatureFlag backs up every version of an API group, not just the preferred one.
	APIGroupVersionsFeatureFlag = "EnableAPIGroupVersions"
)
