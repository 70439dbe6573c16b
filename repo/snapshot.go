package repo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/repo/backend"
)

// Snapshot is a snapshot file, encoded exactly as restic encodes it.
type Snapshot struct {
	Time           time.Time        `json:"time"`
	Parent         *ID              `json:"parent,omitempty"`
	Tree           *ID              `json:"tree"`
	Paths          []string         `json:"paths"`
	Hostname       string           `json:"hostname,omitempty"`
	Username       string           `json:"username,omitempty"`
	UID            uint32           `json:"uid,omitempty"`
	GID            uint32           `json:"gid,omitempty"`
	Excludes       []string         `json:"excludes,omitempty"`
	Tags           []string         `json:"tags,omitempty"`
	Original       *ID              `json:"original,omitempty"`
	ProgramVersion string           `json:"program_version,omitempty"`
	Summary        *SnapshotSummary `json:"summary,omitempty"`

	id ID // the file's id once saved or loaded
}

// SnapshotSummary holds a backup's statistics (restic 0.17 and later).
type SnapshotSummary struct {
	BackupStart         time.Time `json:"backup_start"`
	BackupEnd           time.Time `json:"backup_end"`
	FilesNew            uint      `json:"files_new"`
	FilesChanged        uint      `json:"files_changed"`
	FilesUnmodified     uint      `json:"files_unmodified"`
	DirsNew             uint      `json:"dirs_new"`
	DirsChanged         uint      `json:"dirs_changed"`
	DirsUnmodified      uint      `json:"dirs_unmodified"`
	DataBlobs           int       `json:"data_blobs"`
	TreeBlobs           int       `json:"tree_blobs"`
	DataAdded           uint64    `json:"data_added"`
	DataAddedPacked     uint64    `json:"data_added_packed"`
	TotalFilesProcessed uint      `json:"total_files_processed"`
	TotalBytesProcessed uint64    `json:"total_bytes_processed"`
}

// ID returns the snapshot file's id (zero until saved or loaded).
func (sn *Snapshot) ID() ID { return sn.id }

// SaveSnapshot stores sn and sets its id. Blobs must be flushed first
// (packs, then index, then snapshot), so it fails with ErrNotFlushed while
// a write session holds unsaved blobs.
func (r *Repository) SaveSnapshot(ctx context.Context, sn *Snapshot) (ID, error) {
	if sn.Tree == nil || sn.Tree.IsNull() {
		return ID{}, errors.New("saving snapshot: it has no tree")
	}
	r.sessMu.Lock()
	s, failed := r.sess, r.sessErr
	r.sessMu.Unlock()
	if s != nil || failed != nil {
		return ID{}, fmt.Errorf("saving snapshot: %w; call Flush first", ErrNotFlushed)
	}
	id, err := r.saveJSONUnpacked(ctx, backend.SnapshotFile, sn)
	if err != nil {
		return ID{}, err
	}
	sn.id = id
	return id, nil
}

// LoadSnapshot loads the snapshot file id.
func (r *Repository) LoadSnapshot(ctx context.Context, id ID) (*Snapshot, error) {
	h := backend.Handle{Type: backend.SnapshotFile, Name: id.String()}
	plain, err := r.loadUnpacked(ctx, h)
	if err != nil {
		if backend.IsNotExist(err) {
			return nil, fmt.Errorf("snapshot %v: %w", id.Str(), ErrNotFound)
		}
		return nil, err
	}
	sn, err := DecodeSnapshot(plain)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", h, err)
	}
	sn.id = id
	return sn, nil
}

// DecodeSnapshot parses a snapshot file's JSON. It requires a tree.
func DecodeSnapshot(data []byte) (*Snapshot, error) {
	var sn Snapshot
	if err := json.Unmarshal(data, &sn); err != nil {
		return nil, fmt.Errorf("%w: decoding snapshot: %w", ErrInvalidData, err)
	}
	if sn.Tree == nil {
		return nil, fmt.Errorf("%w: snapshot has no tree", ErrInvalidData)
	}
	return &sn, nil
}

// ListSnapshots loads every snapshot, oldest first.
func (r *Repository) ListSnapshots(ctx context.Context) ([]*Snapshot, error) {
	ids, err := listNames(ctx, r.be, backend.SnapshotFile)
	if err != nil {
		return nil, err
	}
	sns := make([]*Snapshot, 0, len(ids))
	for _, id := range ids {
		sn, err := r.LoadSnapshot(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue // removed meanwhile
		} else if err != nil {
			return nil, err
		}
		sns = append(sns, sn)
	}
	slices.SortStableFunc(sns, func(a, b *Snapshot) int { return a.Time.Compare(b.Time) })
	return sns, nil
}

// FindSnapshot returns the snapshot named by a unique id prefix, or the
// newest snapshot for "latest".
func (r *Repository) FindSnapshot(ctx context.Context, name string) (*Snapshot, error) {
	if strings.EqualFold(name, "latest") {
		sns, err := r.ListSnapshots(ctx)
		if err != nil {
			return nil, err
		}
		if len(sns) == 0 {
			return nil, fmt.Errorf("latest snapshot: %w: the repository has no snapshots", ErrNotFound)
		}
		return sns[len(sns)-1], nil
	}
	id, err := r.FindID(ctx, backend.SnapshotFile, name)
	if err != nil {
		return nil, fmt.Errorf("snapshot %q: %w", name, err)
	}
	return r.LoadSnapshot(ctx, id)
}
