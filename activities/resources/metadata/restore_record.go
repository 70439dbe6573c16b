package metadata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ErrRestoreNotFound is wrapped by Store.GetRestore for a restore without a
// record.
var ErrRestoreNotFound = errors.New("restore not found")

// RestoreRecordKey is the key of a restore's record. Velero keeps restores
// in the cluster only; Cairn keeps this record next to the restore's log,
// results and resource list (in the location of the restored backup) so
// that a restore stays known after Temporal forgets its workflow.
func RestoreRecordKey(name string) string { return path.Join("restores", name, "velero-restore.json") }

// Restore is the restore record, velero-restore.json: a velero.io/v1
// Restore with the fields Cairn fills in.
type Restore struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       RestoreSpec       `json:"spec"`
	Status     RestoreStatus     `json:"status"`
}

// RestoreSpec holds the restore's settings as Velero's Restore spec does.
type RestoreSpec struct {
	BackupName             string            `json:"backupName"`
	IncludedNamespaces     []string          `json:"includedNamespaces,omitempty"`
	ExcludedNamespaces     []string          `json:"excludedNamespaces,omitempty"`
	IncludedResources      []string          `json:"includedResources,omitempty"`
	ExcludedResources      []string          `json:"excludedResources,omitempty"`
	NamespaceMapping       map[string]string `json:"namespaceMapping,omitempty"`
	ExistingResourcePolicy string            `json:"existingResourcePolicy,omitempty"`
	PreserveNodePorts      *bool             `json:"preserveNodePorts,omitempty"`
	RestorePVs             *bool             `json:"restorePVs,omitempty"`
}

// RestoreStatus is the restore's outcome: Velero's fields, then Cairn's
// counts per outcome and its pod volume restores.
type RestoreStatus struct {
	Phase               string           `json:"phase"`
	StartTimestamp      *metav1.Time     `json:"startTimestamp,omitempty"`
	CompletionTimestamp *metav1.Time     `json:"completionTimestamp,omitempty"`
	Progress            *RestoreProgress `json:"progress,omitempty"`
	Errors              int              `json:"errors,omitempty"`
	Warnings            int              `json:"warnings,omitempty"`
	FailureReason       string           `json:"failureReason,omitempty"`

	ItemsCreated int `json:"itemsCreated,omitempty"`
	ItemsUpdated int `json:"itemsUpdated,omitempty"`
	ItemsSkipped int `json:"itemsSkipped,omitempty"`
	ItemsFailed  int `json:"itemsFailed,omitempty"`
	// PodVolumeRestores are the pod volumes the node agents wrote, once
	// the restore's workflow recorded them.
	PodVolumeRestores []PodVolumeRestore `json:"podVolumeRestores,omitempty"`
	HookStatus        *HookStatus        `json:"hookStatus,omitempty"`
}

// RestoreProgress counts the restore's items.
type RestoreProgress struct {
	TotalItems    int `json:"totalItems,omitempty"`
	ItemsRestored int `json:"itemsRestored,omitempty"`
}

// PodVolumeRestore is the outcome of one pod volume restore: names, ids
// and counts only.
type PodVolumeRestore struct {
	Namespace  string
	Pod        string
	Volume     string
	SnapshotID string `json:",omitempty"`
	Files      uint64
	Bytes      uint64
	Duration   time.Duration
	Phase      string
	Error      string `json:",omitempty"`
}

// PutRestoreRecord stores (or replaces) a restore's record alone.
func (s Store) PutRestoreRecord(ctx context.Context, r *Restore) error {
	name := r.Metadata.Name
	if err := checkName(name); err != nil {
		return err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encoding the record of restore %s: %w", name, err)
	}
	if err := s.Objects.Put(ctx, RestoreRecordKey(name), data); err != nil {
		return fmt.Errorf("storing the record of restore %s: %w", name, err)
	}
	return nil
}

// GetRestore returns a restore's record; a missing one wraps
// ErrRestoreNotFound.
func (s Store) GetRestore(ctx context.Context, name string) (*Restore, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	data, err := s.Objects.Get(ctx, RestoreRecordKey(name))
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("restore %q: %w", name, ErrRestoreNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the record of restore %s: %w", name, err)
	}
	var r Restore
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding the record of restore %s: %w", name, err)
	}
	return &r, nil
}

// GetRestoreLog returns a restore's log text.
func (s Store) GetRestoreLog(ctx context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	data, err := s.Objects.Get(ctx, RestoreLogKey(name))
	if err != nil {
		return nil, err
	}
	return gunzipBytes(data)
}

// ListRestores returns the names of the restores with a record or, for
// restores stored before records existed, with results.
func (s Store) ListRestores(ctx context.Context) ([]string, error) {
	keys, err := s.Objects.List(ctx, "restores/")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, k := range keys {
		parts := strings.Split(k, "/")
		if len(parts) != 3 {
			continue
		}
		if name := parts[1]; (parts[2] == "velero-restore.json" || parts[2] == "restore-"+name+"-results.gz") &&
			(len(names) == 0 || names[len(names)-1] != name) { // sorted keys: a restore's are together
			names = append(names, name)
		}
	}
	return names, nil
}

// AppendRestoreLog adds text to the end of a restore's log, unless the
// log ends with it already (a retried append).
func (s Store) AppendRestoreLog(ctx context.Context, name string, text []byte) error {
	log, err := s.GetRestoreLog(ctx, name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if len(text) == 0 || bytes.HasSuffix(log, text) {
		return nil
	}
	gz, err := gzipBytes(append(log, text...))
	if err != nil {
		return fmt.Errorf("compressing the log of restore %s: %w", name, err)
	}
	return s.Objects.Put(ctx, RestoreLogKey(name), gz)
}
