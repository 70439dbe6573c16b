package cli

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/activities/resources/archive"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/worker"
)

// TestRecordsWithoutWorkflows writes the records of a backup and of a
// restore into a local-folder location, as their workflows do, while
// Temporal knows neither (as after its retention): get, describe, logs
// and download read them from the location.
func TestRecordsWithoutWorkflows(t *testing.T) {
	e := newBSLEnv(t)
	t.Setenv(worker.AddressEnv, e.bed.Temporal.HostPort())
	t.Setenv(worker.NamespaceEnv, e.bed.Temporal.Namespace())
	ctx := context.Background()
	store := locations.NewStore(e.bed.Kube, e.ns)
	if _, err := store.Create(ctx, locations.Location{Name: "local", Spec: locations.Spec{
		Provider: locations.ProviderLocal, Path: filepath.Join(e.dir, "bsl"), Default: true}}); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(e.dir, "bsl"), 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := activities.KubeLocations{Store: store}.Resolve(ctx, "local")
	if err != nil {
		t.Fatal(err)
	}
	r, closeRepo, err := st.OpenRepo(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	w := archive.NewWriter(ctx, r)
	if err := w.AddItem(ctx, archive.Item{Resource: "configmaps", Version: "v1", Namespace: "app", Name: "settings",
		Data: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"app"}}`)}); err != nil {
		t.Fatal(err)
	}
	snap, err := w.Finish(ctx, archive.Meta{Time: time.Now(), Hostname: "test"})
	closeRepo()
	if err != nil {
		t.Fatal(err)
	}
	records, err := st.Records()
	if err != nil {
		t.Fatal(err)
	}
	name := "forgotten-" + e.ns
	started := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	if err := records.PutBackup(ctx, metadata.BackupFiles{
		Record: &metadata.Backup{APIVersion: "velero.io/v1", Kind: "Backup",
			Metadata: metav1.ObjectMeta{Name: name, Annotations: map[string]string{metadata.SnapshotAnnotation: snap.SnapshotID.String()}},
			Spec:     metadata.BackupSpec{IncludedNamespaces: []string{"app"}, StorageLocation: "local", TTL: metav1.Duration{Duration: 720 * time.Hour}},
			Status: metadata.BackupStatus{Phase: metadata.PhaseCompleted, StartTimestamp: &metav1.Time{Time: started},
				CompletionTimestamp: &metav1.Time{Time: started.Add(2 * time.Second)}, Expiration: &metav1.Time{Time: started.Add(720 * time.Hour)},
				Progress: &metadata.BackupProgress{TotalItems: 1, ItemsBackedUp: 1}}},
		Log:          []byte("time=\"2026-01-01T00:00:00Z\" level=info msg=\"starting backup\"\n"),
		ResourceList: metadata.ResourceList{"v1/ConfigMap": {"app/settings"}},
		PodVolumeBackups: []metadata.PodVolumeBackup{{Namespace: "app", Pod: "web-0", Volume: "data", PVC: "data-web-0",
			SnapshotID: "0123456789abcdef", Files: 2, Bytes: 2048, Phase: metadata.VolumeCompleted}},
	}); err != nil {
		t.Fatal(err)
	}
	restoreName := name + "-restore"
	if err := records.PutRestore(ctx, metadata.RestoreFiles{Name: restoreName, Log: []byte("restore log line\n"),
		Record: &metadata.Restore{APIVersion: "velero.io/v1", Kind: "Restore", Metadata: metav1.ObjectMeta{Name: restoreName},
			Spec: metadata.RestoreSpec{BackupName: name},
			Status: metadata.RestoreStatus{Phase: metadata.PhaseCompleted, StartTimestamp: &metav1.Time{Time: started.Add(time.Hour)},
				Progress: &metadata.RestoreProgress{TotalItems: 1, ItemsRestored: 1}, ItemsCreated: 1}},
	}); err != nil {
		t.Fatal(err)
	}

	out := mustCairn(t, "backup", "get")
	if !strings.Contains(out, name) || !strings.Contains(out, "Completed") || !strings.Contains(out, "local") {
		t.Errorf("backup get:\n%s", out)
	}
	out = mustCairn(t, "backup", "get", name, "-o", "json")
	if !strings.Contains(out, `"name": "`+name+`"`) || !strings.Contains(out, `"cairn.io/snapshot-id": "`+snap.SnapshotID.String()+`"`) ||
		!strings.Contains(out, `"apiVersion": "velero.io/v1"`) {
		t.Errorf("backup get -o json:\n%s", out)
	}
	out = mustCairn(t, "backup", "describe", name, "--details")
	for _, want := range []string{"Phase:  Completed", "Included:  app", "Storage Location:  local", "Items backed up:  1",
		"app/web-0: data (PVC data-web-0)", "Snapshot:  0123456789abcdef", "v1/ConfigMap:", "- app/settings"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe lacks %q:\n%s", want, out)
		}
	}
	if out := mustCairn(t, "backup", "logs", name); !strings.Contains(out, `msg="starting backup"`) {
		t.Errorf("backup logs:\n%s", out)
	}

	dl := filepath.Join(e.dir, name+"-data.tar.gz")
	if out := mustCairn(t, "backup", "download", name, "-o", dl); !strings.Contains(out, "successfully downloaded to "+dl) {
		t.Errorf("download:\n%s", out)
	}
	if files := tarFiles(t, dl); !slices.Contains(files, "resources/configmaps/namespaces/app/settings.json") ||
		!slices.Contains(files, "metadata/version") {
		t.Errorf("downloaded %v", files)
	}
	if code, _, errOut := cairn(t, "backup", "download", name, "-o", dl); code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("download over a file: exit %d, %s", code, errOut)
	}
	mustCairn(t, "backup", "download", name, "-o", dl, "--force")
	if code, _, errOut := cairn(t, "backup", "download", "nope-"+e.ns, "-o", filepath.Join(e.dir, "nope.tar.gz")); code == 0 ||
		!strings.Contains(errOut, "not found") {
		t.Errorf("download of a missing backup: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(e.dir, "nope.tar.gz")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed download left a file: %v", err)
	}
	if code, _, errOut := cairn(t, "backup", "logs", "nope-"+e.ns); code == 0 || !strings.Contains(errOut, `backup "nope-`+e.ns+`" does not exist`) {
		t.Errorf("logs of a missing backup: exit %d, %s", code, errOut)
	}

	out = mustCairn(t, "restore", "get")
	if !strings.Contains(out, restoreName) || !strings.Contains(out, name) {
		t.Errorf("restore get:\n%s", out)
	}
	out = mustCairn(t, "restore", "describe", restoreName)
	for _, want := range []string{"Phase:                       Completed", "Backup:  " + name, "Items restored:              1", "Created: 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("restore describe lacks %q:\n%s", want, out)
		}
	}
	if out := mustCairn(t, "restore", "logs", restoreName); out != "restore log line\n" {
		t.Errorf("restore logs: %q", out)
	}
	if code, _, errOut := cairn(t, "restore", "describe", "nope-"+e.ns); code == 0 || !strings.Contains(errOut, "not found") {
		t.Errorf("describe of a missing restore: exit %d, %s", code, errOut)
	}
}

// tarFiles lists the entries of a .tar.gz file.
func tarFiles(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
	}
}
