// Package starter starts, waits for and describes Cairn's backup and restore
// workflows through a Temporal client; package cli puts Velero's commands on
// top of it.
package starter
