// Package metadata keeps the plaintext records of backups and restores in
// Velero's bucket layout, beside the encrypted repository:
//
//	backups/<name>/velero-backup.json                 the backup record
//	backups/<name>/<name>-logs.gz                     gzip'd log
//	backups/<name>/<name>-results.gz                  gzip'd {"errors":…,"warnings":…}
//	backups/<name>/<name>-resource-list.json.gz       {"v1/Pod":["ns/name",…],…}
//	restores/<name>/restore-<name>-logs.gz
//	restores/<name>/restore-<name>-results.gz
//	restores/<name>/restore-<name>-resource-list.json.gz
//	repositories/<folder>.json                        maintenance record of restic/<folder>
//
// None of these hold object contents: the objects themselves live only in
// the repository snapshot the record names, from which Download rebuilds
// Velero's <name>.tar.gz. Records go through an ObjectStore: a local folder
// (DirStore) or an S3 bucket (S3Store).
package metadata
