// Package workflows holds Cairn's Temporal workflows: deterministic code only,
// with no I/O. Each workflow takes one struct and returns one struct; the work
// itself happens in the activities of package activities.
package workflows
