// Package metrics holds the Prometheus metrics of Cairn's processes: every
// metric Velero's server and node agent export, under Velero's names, types
// and labels, so that dashboards and alert rules written for Velero work
// unchanged, and Cairn's own (cairn_*): per-step durations, bytes read,
// uploaded and deduplicated per pod volume, node agent queues, repository
// maintenance. The Temporal SDK's own metrics (temporal_*) go to the same
// registry through the SDK's Prometheus handler.
//
// Outcomes are observed by worker interceptors, outside the workflows'
// code: a backup counts as attempted when its phase becomes InProgress and
// as finished when its workflow returns, never while a worker replays
// history, so a restarted worker counts nothing twice.
package metrics
