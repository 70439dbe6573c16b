// Package face is Cairn's Kubernetes face: a starter, in the design card's
// sense, that turns velero.io/v1 objects in the install namespace into
// workflow starts and writes the workflows' state back into the objects'
// status. A new Backup starts the backup workflow, a Restore the restore, a
// DeleteBackupRequest the deletion, a Schedule a Temporal Schedule, a
// BackupStorageLocation a location; a ServerStatusRequest is answered with
// the server's version and a DownloadRequest with a presigned URL. Temporal
// stays the engine and the record: backups, restores and schedules made
// any other way (cairn, Temporal Schedules, code, a bucket another cluster
// wrote) appear as objects too. `cairn server` runs it.
package face
