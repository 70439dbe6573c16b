package metadata_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	ds, err := metadata.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := metadata.Store{Objects: ds}
	if _, err := s.GetBackup(ctx, "b1"); !errors.Is(err, metadata.ErrBackupNotFound) {
		t.Fatalf("missing backup: %v", err)
	}
	rec := &metadata.Backup{APIVersion: "velero.io/v1", Kind: "Backup", Metadata: metav1.ObjectMeta{Name: "b1",
		Annotations: map[string]string{metadata.SnapshotAnnotation: "abc"}}, Status: metadata.BackupStatus{Phase: metadata.PhaseCompleted, Version: 1, FormatVersion: "1.1.0"}}
	var results metadata.Results
	results.Errors.Add("ns1", "boom")
	results.Warnings.Add("", "careful")
	list := metadata.ResourceList{"v1/Pod": {"ns1/p1"}, "apps/v1/Deployment": {"ns1/d"}}
	if err := s.PutBackup(ctx, metadata.BackupFiles{Record: rec, Log: []byte("line\n"), Results: results, ResourceList: list}); err != nil {
		t.Fatal(err)
	}
	keys, _ := ds.List(ctx, "backups/b1/")
	want := []string{"backups/b1/b1-logs.gz", "backups/b1/b1-resource-list.json.gz", "backups/b1/b1-results.gz", "backups/b1/velero-backup.json"}
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Errorf("keys %v, want %v", keys, want)
	}
	got, err := s.GetBackup(ctx, "b1")
	if err != nil || got.SnapshotID() != "abc" || got.Status.Phase != metadata.PhaseCompleted {
		t.Fatalf("record %+v %v", got, err)
	}
	gotRes, err := s.GetBackupResults(ctx, "b1")
	if err != nil || gotRes.Errors.Namespaces["ns1"][0] != "boom" || gotRes.Warnings.Cluster[0] != "careful" || gotRes.Errors.Count() != 1 {
		t.Errorf("results %+v %v", gotRes, err)
	}
	gotList, err := s.GetBackupResourceList(ctx, "b1")
	if err != nil || gotList.Describe() != "Resource List:\n  apps/v1/Deployment:\n    - ns1/d\n  v1/Pod:\n    - ns1/p1\n" {
		t.Errorf("resource list %q %v", gotList.Describe(), err)
	}
	if log, err := s.GetBackupLog(ctx, "b1"); err != nil || string(log) != "line\n" {
		t.Errorf("log %q %v", log, err)
	}
	if names, err := s.ListBackups(ctx); err != nil || len(names) != 1 || names[0] != "b1" {
		t.Errorf("ListBackups %v %v", names, err)
	}
	if err := s.DeleteBackup(ctx, "b1"); err != nil {
		t.Fatal(err)
	}
	if keys, _ := ds.List(ctx, "backups/"); len(keys) != 0 {
		t.Errorf("left after delete: %v", keys)
	}
	if err := s.PutBackup(ctx, metadata.BackupFiles{Record: &metadata.Backup{Metadata: metav1.ObjectMeta{Name: "../x"}}}); err == nil {
		t.Error("a name with a slash was accepted")
	}
	if _, err := ds.Get(ctx, "../etc/passwd"); err == nil {
		t.Error("DirStore read outside its folder")
	}
}
