package metadata

import "path"

// DownloadKey is the key of the file that a Velero download request of
// kind names for backup or restore name (the DownloadTargetKind values), as
// Velero lays them out; false for a kind Velero does not define.
func DownloadKey(kind, name string) (string, bool) {
	b, r := path.Join("backups", name, name), path.Join("restores", name, "restore-"+name)
	keys := map[string]string{
		"BackupLog":                       b + "-logs.gz",
		"BackupContents":                  BackupContentsKey(name),
		"BackupVolumeSnapshots":           b + "-volumesnapshots.json.gz",
		"BackupItemOperations":            b + "-itemoperations.json.gz",
		"BackupResourceList":              b + "-resource-list.json.gz",
		"BackupResults":                   b + "-results.gz",
		"BackupVolumeInfos":               b + "-volumeinfo.json.gz",
		"CSIBackupVolumeSnapshots":        b + "-csi-volumesnapshots.json.gz",
		"CSIBackupVolumeSnapshotContents": b + "-csi-volumesnapshotcontents.json.gz",
		"RestoreLog":                      r + "-logs.gz",
		"RestoreResults":                  r + "-results.gz",
		"RestoreResourceList":             r + "-resource-list.json.gz",
		"RestoreItemOperations":           r + "-itemoperations.json.gz",
		"RestoreVolumeInfo":               path.Join("restores", name, name+"-volumeinfo.json.gz"),
	}
	k, ok := keys[kind]
	return k, ok
}

// BackupContentsKey is the key of a backup's resource tarball, Velero's
// <name>.tar.gz, which Cairn writes only when a download asks for it.
func BackupContentsKey(name string) string { return path.Join("backups", name, name+".tar.gz") }
