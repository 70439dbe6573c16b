package metadata

import "path"

// The keys of a backup's and a restore's files, as Velero names them.
func backupDir(name string) string        { return path.Join("backups", name) + "/" }
func BackupRecordKey(name string) string  { return path.Join("backups", name, "velero-backup.json") }
func BackupLogKey(name string) string     { return path.Join("backups", name, name+"-logs.gz") }
func BackupResultsKey(name string) string { return path.Join("backups", name, name+"-results.gz") }
func BackupResourcesKey(name string) string {
	return path.Join("backups", name, name+"-resource-list.json.gz")
}
func restoreDir(name string) string { return path.Join("restores", name) + "/" }
func RestoreLogKey(name string) string {
	return path.Join("restores", name, "restore-"+name+"-logs.gz")
}
func RestoreResultsKey(name string) string {
	return path.Join("restores", name, "restore-"+name+"-results.gz")
}
func RestoreResourcesKey(name string) string {
	return path.Join("restores", name, "restore-"+name+"-resource-list.json.gz")
}
