package metadata

import (
	"context"
	"errors"
	"path"
	"time"
)

// BackupDumpsKey is the key of a backup's application dumps.
func BackupDumpsKey(name string) string { return path.Join("backups", name, name+"-dumps.json.gz") }

// PodDump is the outcome of one application dump: the command's stdout,
// stored as one file of a snapshot in the repository of the pod's
// namespace (restic's --stdin layout), or of its load at restore.
type PodDump struct {
	Namespace  string
	Pod        string
	Container  string
	Filename   string
	SnapshotID string `json:",omitempty"`
	Bytes      uint64
	Duration   time.Duration
	Phase      string // VolumeCompleted or VolumeFailed
	ExitCode   int    `json:",omitempty"`
	Error      string `json:",omitempty"`
	// Stderr is the end of the command's stderr.
	Stderr string `json:",omitempty"`
}

// GetBackupDumps returns the application dumps of a backup; a backup
// without any has an empty list.
func (s Store) GetBackupDumps(ctx context.Context, name string) ([]PodDump, error) {
	var l []PodDump
	err := s.getJSON(ctx, BackupDumpsKey(name), &l)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return l, err
}
