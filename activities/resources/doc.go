// Package resources groups the libraries that back up and restore
// Kubernetes API objects with Velero's semantics: filter (Velero's filter
// flags and resource name resolution), collect (discovery and paginated
// listing), archive (the objects as a repository snapshot in Velero's tarball
// layout), backup (collect into archive plus the plaintext records), restore
// (priority order, transforms, apply) and metadata (the backups/<name>/ and
// restores/<name>/ records in the bucket, and the tarball download).
//
// They are plain Go libraries for the Temporal activities: context first,
// small option structs, and results that carry counts, names and snapshot IDs,
// never object contents.
package resources
