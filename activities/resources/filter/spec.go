package filter

// Spec holds Velero's filter flags as a user gives them (the Backup and
// Restore spec fields of the same names). Compile validates and resolves it.
type Spec struct {
	IncludedNamespaces []string
	ExcludedNamespaces []string

	// The old-style resource filters, with the tri-state cluster toggle.
	IncludedResources       []string
	ExcludedResources       []string
	IncludeClusterResources *bool

	// The scoped filters (backup only); they cannot be combined with the
	// old-style ones.
	IncludedClusterScopedResources   []string
	ExcludedClusterScopedResources   []string
	IncludedNamespaceScopedResources []string
	ExcludedNamespaceScopedResources []string

	// LabelSelector ("app=web,tier!=db") and OrLabelSelectors (any one
	// matches) are mutually exclusive.
	LabelSelector    string
	OrLabelSelectors []string

	// OrderedResources maps a resource name to "ns/name,ns/name" (cluster
	// objects by bare name): those objects are collected first, in order.
	OrderedResources map[string]string
}

func (s Spec) scoped() bool {
	return len(s.IncludedClusterScopedResources)+len(s.ExcludedClusterScopedResources)+
		len(s.IncludedNamespaceScopedResources)+len(s.ExcludedNamespaceScopedResources) > 0
}

func (s Spec) oldStyle() bool {
	return len(s.IncludedResources)+len(s.ExcludedResources) > 0 || s.IncludeClusterResources != nil
}
