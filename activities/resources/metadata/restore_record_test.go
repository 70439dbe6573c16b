package metadata_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

func TestRestoreRecordRoundTrip(t *testing.T) {
	ctx := context.Background()
	ds, err := metadata.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := metadata.Store{Objects: ds}
	if _, err := s.GetRestore(ctx, "r1"); !errors.Is(err, metadata.ErrRestoreNotFound) {
		t.Fatalf("missing restore: %v", err)
	}
	rec := &metadata.Restore{APIVersion: "velero.io/v1", Kind: "Restore", Metadata: metav1.ObjectMeta{Name: "r1"},
		Spec: metadata.RestoreSpec{BackupName: "b1"}, Status: metadata.RestoreStatus{Phase: metadata.PhaseCompleted, ItemsCreated: 3}}
	if err := s.PutRestore(ctx, metadata.RestoreFiles{Name: "r1", Log: []byte("hello\n"), Record: rec}); err != nil {
		t.Fatal(err)
	}
	// A restore stored before records existed, and one whose name is a
	// prefix of another's.
	if err := s.PutRestore(ctx, metadata.RestoreFiles{Name: "r1-a"}); err != nil {
		t.Fatal(err)
	}
	keys, _ := ds.List(ctx, "restores/r1/")
	if !slices.Contains(keys, "restores/r1/velero-restore.json") {
		t.Errorf("keys %v", keys)
	}
	got, err := s.GetRestore(ctx, "r1")
	if err != nil || got.Spec.BackupName != "b1" || got.Status.ItemsCreated != 3 {
		t.Fatalf("record %+v, %v", got, err)
	}
	if log, err := s.GetRestoreLog(ctx, "r1"); err != nil || string(log) != "hello\n" {
		t.Fatalf("log %q, %v", log, err)
	}
	if names, err := s.ListRestores(ctx); err != nil || !slices.Equal(names, []string{"r1-a", "r1"}) {
		t.Fatalf("ListRestores: %v, %v", names, err)
	}
	rec.Status.Phase = metadata.PhasePartiallyFailed
	if err := s.PutRestoreRecord(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GetRestore(ctx, "r1"); got.Status.Phase != metadata.PhasePartiallyFailed {
		t.Fatalf("after PutRestoreRecord: %+v", got.Status)
	}
}
