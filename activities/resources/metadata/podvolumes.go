package metadata

import (
	"context"
	"errors"
	"path"
	"time"
)

// BackupPodVolumesKey is the key of a backup's pod volume backups, named
// as Velero names its own list.
func BackupPodVolumesKey(name string) string {
	return path.Join("backups", name, name+"-podvolumebackups.json.gz")
}

// Phases of one pod volume backup or restore.
const (
	VolumeCompleted = "Completed"
	VolumeFailed    = "Failed"
	// VolumeSkipped is a volume that was asked for but not backed up (its
	// pod was not running, or its kind of volume has no files to back up).
	VolumeSkipped = "Skipped"
)

// PodVolumeBackup is the outcome of one pod volume backup: where the data
// came from and the snapshot that holds it, in the repository of the pod's
// namespace. It holds names, ids and counts only.
type PodVolumeBackup struct {
	Namespace string
	Pod       string
	PodUID    string `json:",omitempty"`
	Node      string `json:",omitempty"`
	Volume    string
	// PVC is the claim behind the volume, empty for an emptyDir.
	PVC        string `json:",omitempty"`
	SnapshotID string `json:",omitempty"`
	Files      uint64
	Bytes      uint64
	// BytesUploaded counts the bytes of new packs: zero for an unchanged
	// volume.
	BytesUploaded uint64
	// BytesAdded counts the bytes of file content new to the repository,
	// before compression; Bytes less BytesAdded were deduplicated.
	BytesAdded uint64 `json:",omitempty"`
	Duration   time.Duration
	Phase      string
	Error      string `json:",omitempty"`
	Warnings   int    `json:",omitempty"`
}

// GetBackupPodVolumes returns the pod volume backups of a backup; a backup
// without any has an empty list.
func (s Store) GetBackupPodVolumes(ctx context.Context, name string) ([]PodVolumeBackup, error) {
	var l []PodVolumeBackup
	err := s.getJSON(ctx, BackupPodVolumesKey(name), &l)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return l, err
}
