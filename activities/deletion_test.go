package activities_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/location"
)

// dirLocations resolves locations to local folders.
type dirLocations map[string]activities.Storage

func (l dirLocations) Resolve(_ context.Context, name string) (activities.Storage, error) {
	if name == "" {
		name = "default"
	}
	st, ok := l[name]
	if !ok {
		return activities.Storage{}, os.ErrNotExist
	}
	return st, nil
}

func (l dirLocations) Names(context.Context) ([]string, error) {
	var names []string
	for n := range l {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}

func localStorage(t *testing.T, name string) activities.Storage {
	return activities.Storage{Name: name, Where: location.Location{Path: t.TempDir()}, Password: "location password"}
}

// addSnapshot saves a snapshot with tags in the repository in folder dir of
// st, creating the repository with password, and returns its ID. Only the
// snapshot file matters to deletion, so its tree need not exist.
func addSnapshot(t *testing.T, st activities.Storage, dir, password string, tags ...string) string {
	t.Helper()
	st.Password = password
	// Storage.OpenRepoAt's create fails on an existing local repository.
	_, err := os.Stat(filepath.Join(st.Where.Path, dir, "config"))
	r, closeRepo, err := st.OpenRepoAt(t.Context(), dir, err != nil, repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	defer closeRepo()
	tree := repo.Hash([]byte(dir))
	id, err := r.SaveSnapshot(t.Context(), &repo.Snapshot{Time: time.Now(), Tree: &tree, Paths: []string{"/" + dir}, Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

// snapshotTags lists the first tag of every snapshot in folder dir of st.
func snapshotTags(t *testing.T, st activities.Storage, dir string) []string {
	t.Helper()
	r, closeRepo, err := st.OpenRepoAt(t.Context(), dir, false, repo.Options{NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer closeRepo()
	sns, err := r.ListSnapshots(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, sn := range sns {
		tags = append(tags, sn.Tags[0])
	}
	slices.Sort(tags)
	return tags
}

func putRecord(t *testing.T, st activities.Storage, name, snapshot string, expiration time.Time) {
	t.Helper()
	records, err := st.Records()
	if err != nil {
		t.Fatal(err)
	}
	b := &metadata.Backup{APIVersion: "velero.io/v1", Kind: "Backup",
		Metadata: metav1.ObjectMeta{Name: name, Annotations: map[string]string{metadata.SnapshotAnnotation: snapshot}},
		Status:   metadata.BackupStatus{Phase: metadata.PhaseCompleted, Expiration: &metav1.Time{Time: expiration}}}
	if err := records.PutBackup(t.Context(), metadata.BackupFiles{Record: b, Log: []byte("log"),
		PodVolumeBackups: []metadata.PodVolumeBackup{}}); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteBackupDataRemovesTheBackupsSnapshotsAndRecords(t *testing.T) {
	st := localStorage(t, "default")
	pw := st.Password
	res1 := addSnapshot(t, st, activities.ResourcesRepoDir, pw, "cairn-resources", "backup=b1")
	addSnapshot(t, st, activities.ResourcesRepoDir, pw, "cairn-resources", "backup=b2")
	// A failed attempt's snapshot, tagged but not in the record.
	addSnapshot(t, st, activities.ResourcesRepoDir, pw, "cairn-resources", "backup=b1")
	addSnapshot(t, st, "restic/app", pw, "backup=b1", "ns=app", "pod=web-0", "volume=data", "pvc=data")
	addSnapshot(t, st, "restic/app", pw, "backup=b2", "ns=app", "pod=web-0", "volume=data", "pvc=data")
	addSnapshot(t, st, "restic/db", pw, "backup=b1", "ns=db", "pod=pg-0", "volume=cache")
	// Not Cairn's: another password, and a folder without a repository.
	addSnapshot(t, st, "restic/foreign", "another password", "backup=b1")
	if err := os.MkdirAll(filepath.Join(st.Where.Path, "restic", "empty"), 0o700); err != nil {
		t.Fatal(err)
	}
	putRecord(t, st, "b1", res1, time.Now())
	putRecord(t, st, "b2", "", time.Now())

	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	d := &activities.Deletion{Locations: dirLocations{"default": st}}
	env.RegisterActivity(d)
	in := activities.DeleteBackupDataInput{Name: "b1", StorageLocation: "default", SnapshotID: res1}
	val, err := env.ExecuteActivity(d.DeleteBackupData, in)
	if err != nil {
		t.Fatal(err)
	}
	var res activities.DeleteBackupDataResult
	if err := val.Get(&res); err != nil || res.Snapshots != 4 {
		t.Fatalf("result %+v, %v", res, err)
	}
	// Each repository lost more than a quarter of its snapshots.
	if want := []string{"app", "cairn.resources", "db"}; !slices.Equal(res.Maintain, want) {
		t.Errorf("maintenance of %v asked for, want %v", res.Maintain, want)
	}
	for dir, want := range map[string][]string{
		activities.ResourcesRepoDir: {"cairn-resources"}, "restic/app": {"backup=b2"}, "restic/db": nil,
	} {
		if got := snapshotTags(t, st, dir); !slices.Equal(got, want) {
			t.Errorf("%s: snapshots %v, want %v", dir, got, want)
		}
		if locks, _ := os.ReadDir(filepath.Join(st.Where.Path, dir, "locks")); len(locks) != 0 {
			t.Errorf("%s: %d locks left", dir, len(locks))
		}
	}
	records, _ := st.Records()
	if names, err := records.ListBackups(t.Context()); err != nil || !slices.Equal(names, []string{"b2"}) {
		t.Errorf("backups %v, %v", names, err)
	}
	if keys, _ := records.Objects.List(t.Context(), "backups/b1/"); len(keys) != 0 {
		t.Errorf("files left: %v", keys)
	}
	foreign := st
	foreign.Password = "another password"
	if got := snapshotTags(t, foreign, "restic/foreign"); len(got) != 1 {
		t.Errorf("the foreign repository lost its snapshot: %v", got)
	}

	// A retry finds nothing left to do.
	val, err = env.ExecuteActivity(d.DeleteBackupData, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := val.Get(&res); err != nil || res.Snapshots != 0 {
		t.Fatalf("retry: result %+v, %v", res, err)
	}
}

func TestDeleteBackupDataRefusesAReadOnlyLocation(t *testing.T) {
	st := localStorage(t, "ro")
	st.ReadOnly = true
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	d := &activities.Deletion{Locations: dirLocations{"ro": st}}
	env.RegisterActivity(d)
	_, err := env.ExecuteActivity(d.DeleteBackupData, activities.DeleteBackupDataInput{Name: "b1", StorageLocation: "ro"})
	if err == nil || !strings.Contains(err.Error(), `backup storage location "ro" is currently in read-only mode`) {
		t.Fatalf("error %v", err)
	}
}

func TestListExpiredBackups(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	a, b, ro := localStorage(t, "a"), localStorage(t, "b"), localStorage(t, "ro")
	ro.ReadOnly = true
	putRecord(t, a, "late", "", now.Add(-time.Minute))
	putRecord(t, a, "early", "", now.Add(-time.Hour))
	putRecord(t, a, "fresh", "", now.Add(time.Second))
	putRecord(t, b, "due", "", now)
	putRecord(t, ro, "kept", "", now.Add(-time.Hour))

	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	d := &activities.Deletion{Locations: dirLocations{"a": a, "b": b, "ro": ro}}
	env.RegisterActivity(d)
	val, err := env.ExecuteActivity(d.ListExpiredBackups, activities.ListExpiredInput{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var res activities.ListExpiredResult
	if err := val.Get(&res); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Backups {
		got = append(got, e.StorageLocation+"/"+e.Name)
	}
	if want := []string{"a/early", "a/late", "b/due"}; !slices.Equal(got, want) {
		t.Errorf("expired %v, want %v", got, want)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "ro/kept: the location is read-only") {
		t.Errorf("skipped %v", res.Skipped)
	}

	val, err = env.ExecuteActivity(d.ListExpiredBackups, activities.ListExpiredInput{Now: now, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := val.Get(&res); err != nil || len(res.Backups) != 2 {
		t.Errorf("limited: %+v, %v", res, err)
	}
}
