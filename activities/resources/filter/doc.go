// Package filter parses and validates Velero's backup and restore filter
// flags and answers, for one object, whether they select it.
//
// Namespaces match by name or glob ("*", "?", "[a-z]"), with excludes
// winning. Resource names resolve through a Catalog built from discovery:
// plural ("deployments"), "resource.group" ("deployments.apps"), singular,
// kind ("Deployment") and short names ("deploy") are all accepted; a name that
// resolves to nothing is an error. The cluster-scoped rule follows Velero:
// IncludeClusterResources true includes every cluster-scoped resource the
// resource filter allows, false none, and unset ("auto") includes them all
// only when every namespace is selected, and otherwise only the cluster-scoped
// objects that selected namespaced ones refer to (see Related).
package filter
