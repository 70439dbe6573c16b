// Package hooks holds the end-to-end tests of backup and restore hooks and
// application dumps on real nodes: Velero's exec hooks through the pod exec
// API in real containers, init-container restore hooks, and dumps streamed
// into the namespace repository and back into the restored application.
package hooks
