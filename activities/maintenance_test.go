package activities_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
)

// foreignLock takes a lock on the repository in folder dir of st as
// another host's process (restic elsewhere) and returns it.
func foreignLock(t *testing.T, st activities.Storage, dir string, exclusive bool) *repo.Lock {
	t.Helper()
	r, closeRepo, err := st.OpenRepoAt(t.Context(), dir, false, repo.Options{NoIndex: true, Hostname: "restic-elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeRepo)
	l, err := r.Lock(t.Context(), exclusive)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Unlock(t.Context()) })
	return l
}

func maintain(t *testing.T, env *testsuite.TestActivityEnvironment, m *activities.Maintenance, repository string) (activities.MaintainRepositoryResult, error) {
	t.Helper()
	var res activities.MaintainRepositoryResult
	val, err := env.ExecuteActivity(m.MaintainRepository, activities.MaintainRepositoryInput{Location: "default", Repository: repository})
	if err == nil {
		err = val.Get(&res)
	}
	return res, err
}

func errorType(err error) string {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) {
		return ae.Type()
	}
	return ""
}

// A repository that another process holds locked fails the maintenance
// with the typed error that makes the workflow wait, naming the holder.
func TestMaintainRepositoryLockedByAnotherProcess(t *testing.T) {
	activities.ShortLockPauses(t)
	st := localStorage(t, "default")
	addSnapshot(t, st, "restic/app", st.Password, "backup=b1")
	foreignLock(t, st, "restic/app", false)
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	m := &activities.Maintenance{Locations: dirLocations{"default": st}}
	env.RegisterActivity(m)
	_, err := maintain(t, env, m, "app")
	var ae *temporal.ApplicationError
	var holder string
	if !errors.As(err, &ae) || ae.Type() != activities.ErrTypeRepositoryLocked || ae.Details(&holder) != nil ||
		!strings.Contains(holder, "shared lock") || !strings.Contains(holder, "on restic-elsewhere") {
		t.Fatalf("error %v (holder %q)", err, holder)
	}
}

// A repository that the location's password does not open, or a folder
// without a repository, is unusable: not retried at once.
func TestMaintainRepositoryUnusable(t *testing.T) {
	st := localStorage(t, "default")
	addSnapshot(t, st, "restic/foreign", "another password", "backup=b1")
	if err := os.MkdirAll(filepath.Join(st.Where.Path, "restic", "empty"), 0o700); err != nil {
		t.Fatal(err)
	}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	m := &activities.Maintenance{Locations: dirLocations{"default": st}}
	env.RegisterActivity(m)
	_, err := maintain(t, env, m, "foreign")
	if errorType(err) != activities.ErrTypeRepositoryUnusable || !strings.Contains(err.Error(), "the location's repository password does not open it") {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := maintain(t, env, m, "empty"); errorType(err) != activities.ErrTypeRepositoryUnusable {
		t.Errorf("no repository: %v", err)
	}
	ro := st
	ro.ReadOnly = true
	m.Locations = dirLocations{"default": ro}
	if _, err := maintain(t, env, m, "foreign"); errorType(err) != activities.ErrTypeInvalid || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("read-only location: %v", err)
	}
}

// A retried maintenance removes the exclusive lock that the attempt it
// replaces heartbeated (its worker was killed), instead of waiting 30
// minutes for it to go stale, and gets past it.
func TestMaintainRepositoryRemovesTheLockOfTheAttemptItReplaces(t *testing.T) {
	activities.ShortLockPauses(t)
	st := localStorage(t, "default")
	addSnapshot(t, st, "restic/app", st.Password, "backup=b1")
	killed := foreignLock(t, st, "restic/app", true)
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	env.SetHeartbeatDetails(activities.StageBeat{Stage: "prune", LockID: killed.ID().String()})
	m := &activities.Maintenance{Locations: dirLocations{"default": st}}
	env.RegisterActivity(m)
	_, err := maintain(t, env, m, "app")
	if errorType(err) == activities.ErrTypeRepositoryLocked {
		t.Fatalf("the replaced attempt's lock still held the repository: %v", err)
	}
	if _, serr := os.Stat(filepath.Join(st.Where.Path, "restic", "app", "locks", killed.ID().String())); !os.IsNotExist(serr) {
		t.Errorf("the replaced attempt's lock is still there: %v", serr)
	}
}

// backupDir backs dir up into the repository in folder restic/<folder> of
// st, creating it, with tags, and returns the snapshot.
func backupDir(t *testing.T, st activities.Storage, folder, dir string, tags ...string) repo.ID {
	t.Helper()
	_, statErr := os.Stat(filepath.Join(st.Where.Path, "restic", folder, "config"))
	r, closeRepo, err := st.OpenRepoAt(t.Context(), "restic/"+folder, statErr != nil, repo.Options{KDF: repo.TestKDFParams})
	if err != nil {
		t.Fatal(err)
	}
	defer closeRepo()
	res, err := archiver.Backup(t.Context(), r, []string{dir}, archiver.Options{Hostname: "test", Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	return res.SnapshotID
}

func writeFile(t *testing.T, path string, size int, seed byte) {
	t.Helper()
	data := make([]byte, size)
	x := uint32(seed) + 1
	for i := range data {
		x = x*1664525 + 1013904223
		data[i] = byte(x >> 24)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A maintenance prunes the data of removed snapshots, checks the
// repository, writes the record (Ready, the size, what was reclaimed, the
// count of deleted snapshots back at zero) and leaves no lock; its outcome
// reaches the metrics.
func TestMaintainRepositoryPrunesAndRecords(t *testing.T) {
	st := localStorage(t, "default")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a"), 3<<20, 1)
	old := backupDir(t, st, "app", dir, "backup=b1")
	writeFile(t, filepath.Join(dir, "a"), 3<<20, 2)
	backupDir(t, st, "app", dir, "backup=b2")
	if err := os.Remove(filepath.Join(st.Where.Path, "restic", "app", "snapshots", old.String())); err != nil {
		t.Fatal(err)
	}
	records, _ := st.Records()
	if err := records.PutRepository(t.Context(), &metadata.RepositoryRecord{Repository: "app", Phase: metadata.RepositoryNew, ForgottenSinceMaintenance: 1}); err != nil {
		t.Fatal(err)
	}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	metrics := &fakeMaintenanceMetrics{}
	m := &activities.Maintenance{Locations: dirLocations{"default": st}, Metrics: metrics}
	env.RegisterActivity(m)
	res, err := maintain(t, env, m, "app")
	if err != nil {
		t.Fatal(err)
	}
	if res.BytesRemoved < 2<<20 || res.SizeAfter >= res.SizeBefore || res.Snapshots != 1 {
		t.Errorf("result %+v", res)
	}
	rec, err := records.GetRepository(t.Context(), "app")
	if err != nil || rec.Phase != metadata.RepositoryReady || rec.LastResult != metadata.MaintenanceSucceeded ||
		rec.Size != res.SizeAfter || rec.Reclaimed != res.BytesRemoved || rec.ForgottenSinceMaintenance != 0 || rec.Snapshots != 1 {
		t.Errorf("record %+v, %v", rec, err)
	}
	if locks, _ := os.ReadDir(filepath.Join(st.Where.Path, "restic", "app", "locks")); len(locks) != 0 {
		t.Errorf("%d locks left", len(locks))
	}
	if _, err := env.ExecuteActivity(m.RecordMaintenance, activities.RecordMaintenanceInput{Location: "default", Repository: "app",
		Succeeded: true, BytesRemoved: res.BytesRemoved, Duration: time.Second, Completed: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(metrics.done, []string{"app-default-restic ok"}) {
		t.Errorf("metrics %v", metrics.done)
	}
}

type fakeMaintenanceMetrics struct{ done []string }

func (f *fakeMaintenanceMetrics) MaintenanceDone(repository string, ok bool, _ time.Duration, _ uint64, _ time.Time) {
	outcome := "failed"
	if ok {
		outcome = "ok"
	}
	f.done = append(f.done, repository+" "+outcome)
}

// A failed maintenance is recorded (NotReady with the reason), keeping
// the count of deleted snapshots, and counted.
func TestRecordMaintenanceFailure(t *testing.T) {
	st := localStorage(t, "default")
	records, _ := st.Records()
	if err := records.PutRepository(t.Context(), &metadata.RepositoryRecord{Repository: "app", Phase: metadata.RepositoryReady,
		Size: 10, ForgottenSinceMaintenance: 3}); err != nil {
		t.Fatal(err)
	}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	metrics := &fakeMaintenanceMetrics{}
	m := &activities.Maintenance{Locations: dirLocations{"default": st}, Metrics: metrics}
	env.RegisterActivity(m)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	if _, err := env.ExecuteActivity(m.RecordMaintenance, activities.RecordMaintenanceInput{Location: "default", Repository: "app",
		Message: "connection refused", Completed: at}); err != nil {
		t.Fatal(err)
	}
	rec, err := records.GetRepository(t.Context(), "app")
	if err != nil || rec.Phase != metadata.RepositoryNotReady || rec.Message != "connection refused" || !rec.LastMaintenance.Equal(at) ||
		rec.LastResult != metadata.MaintenanceFailed || rec.Size != 10 || rec.ForgottenSinceMaintenance != 3 {
		t.Errorf("record %+v, %v", rec, err)
	}
	if !slices.Equal(metrics.done, []string{"app-default-restic failed"}) {
		t.Errorf("metrics %v", metrics.done)
	}
}

// The schedules follow the locations: a new location gets one, a deleted
// location's goes; with periodic maintenance off, all go.
func TestReconcileMaintenanceSchedules(t *testing.T) {
	ctl := &fakeControl{scheduled: []string{"gone", "kept"}}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	m := &activities.Maintenance{Locations: dirLocations{"kept": localStorage(t, "kept"), "new": localStorage(t, "new")}, Control: ctl}
	env.RegisterActivity(m)
	val, err := env.ExecuteActivity(m.ReconcileMaintenanceSchedules, activities.ReconcileSchedulesInput{})
	var res activities.ReconcileSchedulesResult
	if err == nil {
		err = val.Get(&res)
	}
	if err != nil || !slices.Equal(res.Created, []string{"new"}) || !slices.Equal(res.Removed, []string{"gone"}) ||
		!slices.Equal(ctl.scheduled, []string{"kept", "new"}) {
		t.Fatalf("result %+v, schedules %v, %v", res, ctl.scheduled, err)
	}
	m.NoSchedules = true
	if _, err := env.ExecuteActivity(m.ReconcileMaintenanceSchedules, activities.ReconcileSchedulesInput{}); err != nil || len(ctl.scheduled) != 0 {
		t.Fatalf("with maintenance off: schedules %v, %v", ctl.scheduled, err)
	}
}

type fakeControl struct {
	scheduled []string
	requested []string
}

func (f *fakeControl) Request(_ context.Context, loc, repository string) error {
	f.requested = append(f.requested, loc+"/"+repository)
	return nil
}

func (f *fakeControl) ScheduledLocations(context.Context) ([]string, error) {
	return slices.Clone(f.scheduled), nil
}

func (f *fakeControl) Schedule(_ context.Context, loc string) error {
	f.scheduled = append(f.scheduled, loc)
	slices.Sort(f.scheduled)
	return nil
}

func (f *fakeControl) Unschedule(_ context.Context, loc string) error {
	f.scheduled = slices.DeleteFunc(f.scheduled, func(s string) bool { return s == loc })
	return nil
}

// Deleting one backup of four does not ask for a maintenance; deleting a
// second does, once.
func TestDeleteBackupDataAsksForMaintenanceOnceAQuarterIsGone(t *testing.T) {
	st := localStorage(t, "default")
	for _, b := range []string{"b1", "b2", "b3", "b4"} {
		addSnapshot(t, st, "restic/app", st.Password, "backup="+b, "ns=app")
	}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	d := &activities.Deletion{Locations: dirLocations{"default": st}}
	env.RegisterActivity(d)
	for _, c := range []struct {
		backup string
		want   []string
	}{{"b1", nil}, {"b2", []string{"app"}}} {
		val, err := env.ExecuteActivity(d.DeleteBackupData, activities.DeleteBackupDataInput{Name: c.backup, StorageLocation: "default"})
		var res activities.DeleteBackupDataResult
		if err == nil {
			err = val.Get(&res)
		}
		if err != nil || res.Snapshots != 1 || !slices.Equal(res.Maintain, c.want) {
			t.Fatalf("deleting %s: %+v, %v; want maintenance of %v", c.backup, res, err, c.want)
		}
	}
	records, _ := st.Records()
	if rec, err := records.GetRepository(t.Context(), "app"); err != nil || rec.ForgottenSinceMaintenance != 2 {
		t.Errorf("record %+v, %v", rec, err)
	}
}

// The deletion asks the control for each repository named.
func TestRequestMaintenance(t *testing.T) {
	ctl := &fakeControl{}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	m := &activities.Maintenance{Control: ctl}
	env.RegisterActivity(m)
	if _, err := env.ExecuteActivity(m.RequestMaintenance, activities.RequestMaintenanceInput{Location: "default",
		Repositories: []string{"app", "cairn.resources"}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ctl.requested, []string{"default/app", "default/cairn.resources"}) {
		t.Errorf("requested %v", ctl.requested)
	}
}
