package metadata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrBackupNotFound is wrapped by Store.GetBackup for a backup without a
// record.
var ErrBackupNotFound = errors.New("backup not found")

// Store reads and writes the records of backups and restores.
type Store struct {
	Objects ObjectStore
}

// BackupFiles are the plaintext files of one backup.
type BackupFiles struct {
	Record       *Backup
	Log          []byte // plain text; stored gzip'd
	Results      Results
	ResourceList ResourceList
	// PodVolumeBackups and Dumps, when not nil, are stored before the
	// record.
	PodVolumeBackups []PodVolumeBackup
	Dumps            []PodDump
}

// putList stores v as gzip'd JSON at key, unless skip.
func (s Store) putList(ctx context.Context, key string, v any, skip bool) error {
	if skip {
		return nil
	}
	data, err := gzipJSON(v)
	if err != nil {
		return err
	}
	return s.Objects.Put(ctx, key, data)
}

// PutBackup stores a backup's files in Velero's order: the log, the record,
// then the rest. A failure after the record was written removes the record,
// so a backup never looks complete with files missing.
func (s Store) PutBackup(ctx context.Context, f BackupFiles) error {
	name := f.Record.Metadata.Name
	if err := checkName(name); err != nil {
		return err
	}
	logGz, err := gzipBytes(f.Log)
	if err != nil {
		return fmt.Errorf("compressing the log of backup %s: %w", name, err)
	}
	if err := s.Objects.Put(ctx, BackupLogKey(name), logGz); err != nil {
		return fmt.Errorf("storing the log of backup %s: %w", name, err)
	}
	if err := s.putList(ctx, BackupPodVolumesKey(name), f.PodVolumeBackups, f.PodVolumeBackups == nil); err != nil {
		return fmt.Errorf("storing the pod volume backups of backup %s: %w", name, err)
	}
	if err := s.putList(ctx, BackupDumpsKey(name), f.Dumps, f.Dumps == nil); err != nil {
		return fmt.Errorf("storing the application dumps of backup %s: %w", name, err)
	}
	record, err := json.Marshal(f.Record)
	if err != nil {
		return fmt.Errorf("encoding the record of backup %s: %w", name, err)
	}
	if err := s.Objects.Put(ctx, BackupRecordKey(name), record); err != nil {
		return fmt.Errorf("storing the record of backup %s: %w", name, err)
	}
	for key, v := range map[string]any{BackupResultsKey(name): f.Results, BackupResourcesKey(name): f.ResourceList} {
		data, err := gzipJSON(v)
		if err == nil {
			err = s.Objects.Put(ctx, key, data)
		}
		if err != nil {
			_ = s.Objects.Delete(ctx, BackupRecordKey(name))
			return fmt.Errorf("storing %s of backup %s: %w", key, name, err)
		}
	}
	return nil
}

// GetBackup returns a backup's record; a missing one wraps
// ErrBackupNotFound.
func (s Store) GetBackup(ctx context.Context, name string) (*Backup, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	data, err := s.Objects.Get(ctx, BackupRecordKey(name))
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("backup %q: %w", name, ErrBackupNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the record of backup %s: %w", name, err)
	}
	var b Backup
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("decoding the record of backup %s: %w", name, err)
	}
	return &b, nil
}

// GetBackupResults returns a backup's errors and warnings.
func (s Store) GetBackupResults(ctx context.Context, name string) (Results, error) {
	var r Results
	return r, s.getJSON(ctx, BackupResultsKey(name), &r)
}

// GetBackupResourceList returns a backup's resource list.
func (s Store) GetBackupResourceList(ctx context.Context, name string) (ResourceList, error) {
	var l ResourceList
	return l, s.getJSON(ctx, BackupResourcesKey(name), &l)
}

// GetBackupLog returns a backup's log text.
func (s Store) GetBackupLog(ctx context.Context, name string) ([]byte, error) {
	data, err := s.Objects.Get(ctx, BackupLogKey(name))
	if err != nil {
		return nil, err
	}
	return gunzipBytes(data)
}

// ListBackups returns the names of the backups with a record.
func (s Store) ListBackups(ctx context.Context) ([]string, error) {
	keys, err := s.Objects.List(ctx, "backups/")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, k := range keys {
		parts := strings.Split(k, "/")
		if len(parts) == 3 && parts[2] == "velero-backup.json" {
			names = append(names, parts[1])
		}
	}
	return names, nil
}

// DeleteBackup removes every file under backups/<name>/ (not the
// repository snapshot).
func (s Store) DeleteBackup(ctx context.Context, name string) error {
	return s.deleteDir(ctx, backupDir(name))
}

// RestoreFiles are the plaintext files of one restore.
type RestoreFiles struct {
	Name         string
	Log          []byte
	Results      Results
	ResourceList ResourceList
	// Record, when set, is stored last (see RestoreRecordKey).
	Record *Restore
}

// PutRestore stores a restore's log, results and resource list, then its
// record when there is one.
func (s Store) PutRestore(ctx context.Context, f RestoreFiles) error {
	if err := checkName(f.Name); err != nil {
		return err
	}
	logGz, err := gzipBytes(f.Log)
	if err != nil {
		return fmt.Errorf("compressing the log of restore %s: %w", f.Name, err)
	}
	if err := s.Objects.Put(ctx, RestoreLogKey(f.Name), logGz); err != nil {
		return fmt.Errorf("storing the log of restore %s: %w", f.Name, err)
	}
	for key, v := range map[string]any{RestoreResultsKey(f.Name): f.Results, RestoreResourcesKey(f.Name): f.ResourceList} {
		data, err := gzipJSON(v)
		if err == nil {
			err = s.Objects.Put(ctx, key, data)
		}
		if err != nil {
			return fmt.Errorf("storing %s of restore %s: %w", key, f.Name, err)
		}
	}
	if f.Record != nil {
		return s.PutRestoreRecord(ctx, f.Record)
	}
	return nil
}

// GetRestoreResults returns a restore's errors and warnings.
func (s Store) GetRestoreResults(ctx context.Context, name string) (Results, error) {
	var r Results
	return r, s.getJSON(ctx, RestoreResultsKey(name), &r)
}

// GetRestoreResourceList returns a restore's resource list, whose entries
// end in (created), (updated), (skipped) or (failed).
func (s Store) GetRestoreResourceList(ctx context.Context, name string) (ResourceList, error) {
	var l ResourceList
	return l, s.getJSON(ctx, RestoreResourcesKey(name), &l)
}

// DeleteRestore removes every file under restores/<name>/.
func (s Store) DeleteRestore(ctx context.Context, name string) error {
	return s.deleteDir(ctx, restoreDir(name))
}

func (s Store) getJSON(ctx context.Context, key string, v any) error {
	data, err := s.Objects.Get(ctx, key)
	if err != nil {
		return err
	}
	if err := gunzipJSON(data, v); err != nil {
		return fmt.Errorf("reading %s: %w", key, err)
	}
	return nil
}

func (s Store) deleteDir(ctx context.Context, prefix string) error {
	keys, err := s.Objects.List(ctx, prefix)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.Objects.Delete(ctx, k); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// checkName rejects names that cannot be one key element.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\\") {
		return fmt.Errorf("invalid backup or restore name %q", name)
	}
	return nil
}
