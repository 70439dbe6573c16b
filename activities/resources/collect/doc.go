// Package collect lists the API objects a backup selects: every resource of
// a filter.Catalog that supports list, page by page (limit/continue) so that
// memory stays bounded by the page size, filtered by namespace, resource and
// labels, with Velero's auto rule pulling in the cluster-scoped objects that
// selected namespaced ones refer to, and the ordered resources first.
//
// Objects are handed to a Sink as they arrive; Collect keeps only names.
package collect
