package objects

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

func fixture[T any](t *testing.T, name string) *T {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "velerov1", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	v := new(T)
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestBackupInputNamesWhatCairnCannotDo: the backup the stock velero CLI
// made with --ordered-resources and --parallel-files-upload asks for
// orderedResources, which Cairn refuses by name; without it, the rest
// becomes Cairn's spec.
func TestBackupInputNamesWhatCairnCannotDo(t *testing.T) {
	b := fixture[velerov1.Backup](t, "backup-cli.json")
	yes := true
	b.Spec.SnapshotVolumes = &yes
	_, err := BackupInput(b)
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "spec.snapshotVolumes") {
		t.Fatalf("BackupInput: %v, want spec.snapshotVolumes refused", err)
	}
	b.Spec.SnapshotVolumes = nil
	in, err := BackupInput(b)
	if err != nil {
		t.Fatal(err)
	}
	s := in.Spec
	if s.OrderedResources["pods"] != "nginx-example/web-0,nginx-example/web-1" {
		t.Errorf("orderedResources became %v", s.OrderedResources)
	}
	if in.Name != "nginx-backup" || !reflect.DeepEqual(s.IncludedNamespaces, []string{"nginx-example"}) || s.LabelSelector != "app=nginx" ||
		s.TTL != "720h0m0s" || s.StorageLocation != "default" || s.DefaultVolumesToFsBackup == nil || !*s.DefaultVolumesToFsBackup ||
		s.IncludeClusterResources == nil || !*s.IncludeClusterResources {
		t.Errorf("BackupInput: %+v", in)
	}
}

// TestBackupRoundTrip: a backup Cairn ran, as an object and back, asks for
// the same backup.
func TestBackupRoundTrip(t *testing.T) {
	yes := true
	spec := activities.BackupSpec{
		IncludedNamespaces: []string{"app"}, ExcludedResources: []string{"secrets"}, LabelSelector: "tier in (web),app=x",
		TTL: "72h0m0s", StorageLocation: "default", DefaultVolumesToFsBackup: &yes,
	}
	res := workflows.BackupResult{Name: "b", Spec: spec, Phase: workflows.PhaseCompleted, StorageLocation: "default",
		TTL: 72 * time.Hour, Items: 3, Started: time.Unix(1000, 0), Completed: time.Unix(1010, 0)}
	b := Backup(res, "cairn")
	if b.Kind != "Backup" || b.APIVersion != "velero.io/v1" || b.Namespace != "cairn" || b.Status.Phase != velerov1.BackupPhaseCompleted ||
		b.Status.Progress == nil || b.Status.Progress.ItemsBackedUp != 3 || b.Spec.TTL.Duration != 72*time.Hour ||
		b.Labels[velerov1.StorageLocationLabel] != "default" {
		t.Fatalf("Backup: %+v", b)
	}
	in, err := BackupInput(&b)
	if err != nil {
		t.Fatal(err)
	}
	if in.Spec.LabelSelector != "app=x,tier in (web)" {
		t.Errorf("selector: %q", in.Spec.LabelSelector)
	}
	in.Spec.LabelSelector = spec.LabelSelector
	spec.Labels = map[string]string{velerov1.StorageLocationLabel: "default"} // as Velero's server labels it
	if !reflect.DeepEqual(in.Spec, spec) {
		t.Errorf("round trip:\n got %+v\nwant %+v", in.Spec, spec)
	}
}

// TestFailedValidationStatus: a backup that failed validation says why in
// validationErrors, as Velero's does, not in failureReason.
func TestFailedValidationStatus(t *testing.T) {
	st := BackupStatus(workflows.BackupResult{Phase: workflows.PhaseFailedValidation, FailureReason: "no such location"})
	if st.Phase != velerov1.BackupPhaseFailedValidation || len(st.ValidationErrors) != 1 || st.FailureReason != "" {
		t.Errorf("status: %+v", st)
	}
	if p := backupPhase(workflows.PhaseWaitingForLock); p != velerov1.BackupPhaseInProgress {
		t.Errorf("waiting for a lock shows %s", p)
	}
}

// TestRestoreInput: the restore a Restore object asks for, and the fields
// Cairn refuses by name.
func TestRestoreInput(t *testing.T) {
	r := &velerov1.Restore{Spec: velerov1.RestoreSpec{BackupName: "b", NamespaceMapping: map[string]string{"a": "b"}}}
	r.Name = "r"
	in, err := RestoreInput(r)
	if err != nil || in.Name != "r" || in.Spec.BackupName != "b" || in.Spec.NamespaceMappings["a"] != "b" {
		t.Fatalf("RestoreInput: %+v, %v", in, err)
	}
	r.Spec.BackupName = ""
	if _, err := RestoreInput(r); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "spec.backupName") {
		t.Errorf("no backup: %v", err)
	}
}

func sameJSONForTest(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
