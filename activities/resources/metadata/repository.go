package metadata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// RepositoryRecordKey is the key of the maintenance record of the
// repository in folder restic/<repository> of a location.
func RepositoryRecordKey(repository string) string {
	return path.Join("repositories", repository+".json")
}

// Phases of a repository, as Velero names a BackupRepository's.
const (
	// RepositoryNew has not been maintained yet.
	RepositoryNew = "New"
	// RepositoryReady was maintained, and its last maintenance succeeded.
	RepositoryReady = "Ready"
	// RepositoryNotReady failed its last maintenance; Message says why.
	RepositoryNotReady = "NotReady"
)

// Results of a maintenance, as Velero's BackupRepository status has them.
const (
	MaintenanceSucceeded = "Succeeded"
	MaintenanceFailed    = "Failed"
)

// RepositoryRecord is what the control plane knows of one repository of a
// location between its maintenances: the outcome of the last one, and the
// snapshots deleted since, which decide when deletions ask for the next.
// It sits beside the records of backups so that `cairn repo get` answers
// after Temporal's retention. It holds names, times and counts only.
type RepositoryRecord struct {
	// Repository is the repository's folder under restic/.
	Repository string
	Phase      string
	// Message explains a NotReady phase.
	Message string `json:",omitempty"`
	// LastMaintenance is when the last maintenance ended, LastResult how.
	LastMaintenance time.Time `json:",omitzero"`
	LastResult      string    `json:",omitempty"`
	// LastSuccess is when a maintenance last succeeded.
	LastSuccess time.Time `json:",omitzero"`
	// Size is the size of the repository's packs after the last successful
	// maintenance, Reclaimed what its prune removed.
	Size      uint64
	Reclaimed uint64
	// Snapshots counts the snapshots after the last successful maintenance.
	Snapshots int
	// ForgottenSinceMaintenance counts the snapshots deletions removed since
	// the last successful maintenance.
	ForgottenSinceMaintenance int `json:",omitempty"`
}

// GetRepository returns the record of the repository in folder
// restic/<repository>; a missing one wraps ErrNotFound.
func (s Store) GetRepository(ctx context.Context, repository string) (*RepositoryRecord, error) {
	if err := checkName(repository); err != nil {
		return nil, err
	}
	data, err := s.Objects.Get(ctx, RepositoryRecordKey(repository))
	if err != nil {
		return nil, err
	}
	var rec RepositoryRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("reading %s: %w", RepositoryRecordKey(repository), err)
	}
	rec.Repository = repository
	return &rec, nil
}

// PutRepository stores rec, replacing the record of its repository.
func (s Store) PutRepository(ctx context.Context, rec *RepositoryRecord) error {
	if err := checkName(rec.Repository); err != nil {
		return err
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := s.Objects.Put(ctx, RepositoryRecordKey(rec.Repository), data); err != nil {
		return fmt.Errorf("writing the record of repository %s: %w", rec.Repository, err)
	}
	return nil
}

// ListRepositories returns the records of every repository that has one,
// by folder.
func (s Store) ListRepositories(ctx context.Context) (map[string]*RepositoryRecord, error) {
	keys, err := s.Objects.List(ctx, "repositories/")
	if err != nil {
		return nil, err
	}
	out := map[string]*RepositoryRecord{}
	for _, k := range keys {
		name, ok := strings.CutSuffix(strings.TrimPrefix(k, "repositories/"), ".json")
		if !ok || strings.Contains(name, "/") {
			continue
		}
		rec, err := s.GetRepository(ctx, name)
		if errors.Is(err, ErrNotFound) {
			continue // removed meanwhile
		}
		if err != nil {
			return out, err
		}
		out[name] = rec
	}
	return out, nil
}
