package workflows

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

var mnt *activities.Maintenance

// lockedErr is the error of an activity that found its repository locked.
func lockedErr() error {
	holder := "exclusive lock 0badc0de by PID 812 on backup-host by root, created 2026-01-02T03:04:05Z"
	return temporal.NewNonRetryableApplicationError("location default: repository restic/app is locked: "+holder,
		activities.ErrTypeRepositoryLocked, nil, holder)
}

// timers records the durations of the timers a workflow starts.
func timers(env *testsuite.TestWorkflowEnvironment) *[]time.Duration {
	var ds []time.Duration
	env.SetOnTimerScheduledListener(func(_ string, d time.Duration) { ds = append(ds, d) })
	return &ds
}

// A maintenance that finds the repository locked waits on durable timers
// (10 s, then 20 s), not in activity retries, and goes on once it is free;
// while it waits it says so, and whom it waits for.
func TestRepoMaintenanceWaitsForTheLockOnATimer(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	waits := timers(env)
	calls := 0
	env.OnActivity(mnt.MaintainRepository, mock.Anything, activities.MaintainRepositoryInput{Location: "default", Repository: "app"}).Return(
		func(context.Context, activities.MaintainRepositoryInput) (activities.MaintainRepositoryResult, error) {
			calls++
			if calls < 3 {
				return activities.MaintainRepositoryResult{}, lockedErr()
			}
			return activities.MaintainRepositoryResult{SizeBefore: 300, SizeAfter: 100, BytesRemoved: 200, Snapshots: 1, Duration: time.Second}, nil
		})
	var recorded activities.RecordMaintenanceInput
	env.OnActivity(mnt.RecordMaintenance, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RecordMaintenanceInput) error { recorded = in; return nil }).Once()
	var during RepoMaintenanceResult
	env.RegisterDelayedCallback(func() {
		v, err := env.QueryWorkflow(ProgressQuery)
		if err == nil {
			err = v.Get(&during)
		}
		if err != nil {
			t.Error(err)
		}
	}, 5*time.Second)

	env.ExecuteWorkflow(RepoMaintenance, RepoMaintenanceInput{Location: "default", Repository: "app"})
	var res RepoMaintenanceResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if calls != 3 {
		t.Errorf("the maintenance ran %d times, want 3", calls)
	}
	if want := []time.Duration{LockWaitFirst, 2 * LockWaitFirst}; len(*waits) != 2 || (*waits)[0] != want[0] || (*waits)[1] != want[1] {
		t.Errorf("timers %v, want %v", *waits, want)
	}
	if during.Phase != PhaseWaitingForLock || !strings.Contains(during.Waiting, "by PID 812 on backup-host") {
		t.Errorf("state while waiting: %+v", during)
	}
	if res.Phase != PhaseCompleted || res.Waiting != "" || res.BytesRemoved != 200 || res.SizeAfter != 100 ||
		res.Name != "app-default-restic" || res.Namespace != "app" {
		t.Errorf("result %+v", res)
	}
	if !recorded.Succeeded || recorded.BytesRemoved != 200 || recorded.Repository != "app" || recorded.Completed.IsZero() {
		t.Errorf("recorded %+v", recorded)
	}
	env.AssertExpectations(t)
}

// A repository that cannot be maintained (a wrong password) is not tried
// again at once: the failure is recorded, and the workflow fails with it.
func TestRepoMaintenanceFailureIsRecorded(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	calls := 0
	env.OnActivity(mnt.MaintainRepository, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.MaintainRepositoryInput) (activities.MaintainRepositoryResult, error) {
			calls++
			return activities.MaintainRepositoryResult{}, temporal.NewNonRetryableApplicationError(
				"location default: repository restic/app: the location's repository password does not open it", activities.ErrTypeRepositoryUnusable, nil)
		})
	env.OnActivity(mnt.RecordMaintenance, mock.Anything, mock.MatchedBy(func(in activities.RecordMaintenanceInput) bool {
		return !in.Succeeded && strings.Contains(in.Message, "password does not open it")
	})).Return(nil).Once()
	env.ExecuteWorkflow(RepoMaintenance, RepoMaintenanceInput{Location: "default", Repository: "app"})
	var res RepoMaintenanceResult
	if err := env.GetWorkflowError(); !ResultOf(err, &res) || res.Phase != PhaseFailed || !strings.Contains(res.FailureReason, "password") {
		t.Fatalf("error %v, result %+v", err, res)
	}
	if calls != 1 {
		t.Errorf("tried %d times", calls)
	}
	env.AssertExpectations(t)
}

// A storage that is down is tried three times, then the failure is
// recorded for `cairn repo get` and left to the next maintenance.
func TestRepoMaintenanceRetriesAStorageFailure(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(mnt.MaintainRepository, mock.Anything, mock.Anything).
		Return(activities.MaintainRepositoryResult{}, errors.New("dial tcp 127.0.0.1:9000: connection refused")).Times(3)
	env.OnActivity(mnt.RecordMaintenance, mock.Anything, mock.MatchedBy(func(in activities.RecordMaintenanceInput) bool {
		return !in.Succeeded && strings.Contains(in.Message, "connection refused")
	})).Return(nil).Once()
	env.ExecuteWorkflow(RepoMaintenance, RepoMaintenanceInput{Location: "default", Repository: "app"})
	var res RepoMaintenanceResult
	if err := env.GetWorkflowError(); !ResultOf(err, &res) || res.Phase != PhaseFailed {
		t.Fatalf("error %v, result %+v", err, res)
	}
	env.AssertExpectations(t)
}

// A lock that is never let go of ends the wait after LockWaitLimit, with
// a failure naming the holder.
func TestRepoMaintenanceGivesUpWaiting(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	waits := timers(env)
	env.OnActivity(mnt.MaintainRepository, mock.Anything, mock.Anything).Return(activities.MaintainRepositoryResult{}, lockedErr())
	env.OnActivity(mnt.RecordMaintenance, mock.Anything, mock.Anything).Return(nil)
	env.ExecuteWorkflow(RepoMaintenance, RepoMaintenanceInput{Location: "default", Repository: "app"})
	var res RepoMaintenanceResult
	if err := env.GetWorkflowError(); !ResultOf(err, &res) || !strings.HasPrefix(res.FailureReason, "gave up after waiting 24h0m0s") ||
		!strings.Contains(res.FailureReason, "on backup-host") {
		t.Fatalf("error %v, result %+v", err, res)
	}
	var total time.Duration
	for _, d := range *waits {
		total += d
		if d > LockWaitMax {
			t.Errorf("a wait of %v", d)
		}
	}
	if total > LockWaitLimit || total < LockWaitLimit-LockWaitMax {
		t.Errorf("waited %v in %d timers", total, len(*waits))
	}
}

// A request that arrives while the maintenance runs makes it pass again.
func TestRepoMaintenanceRunsAgainWhenAskedMeanwhile(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(mnt.MaintainRepository, mock.Anything, mock.Anything).After(time.Minute).Return(activities.MaintainRepositoryResult{}, nil)
	env.OnActivity(mnt.RecordMaintenance, mock.Anything, mock.Anything).Return(nil)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(MaintainSignal, nil) }, 30*time.Second)
	env.ExecuteWorkflow(RepoMaintenance, RepoMaintenanceInput{Location: "default", Repository: "app"})
	if err := env.GetWorkflowError(); !workflow.IsContinueAsNewError(err) {
		t.Fatalf("error %v, want a continue-as-new", err)
	}
}

// The periodic maintenance of a location runs a child per repository
// under the repository's own ID, and sorts them by outcome.
func TestMaintainLocationMaintainsEachRepository(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(mnt.ListRepositories, mock.Anything, activities.ListRepositoriesInput{Location: "default"}).
		Return(activities.ListRepositoriesResult{Repositories: []string{"app", "cairn.resources", "db"}}, nil)
	env.RegisterWorkflow(RepoMaintenance)
	env.OnWorkflow(RepoMaintenance, mock.Anything, RepoMaintenanceInput{Location: "default", Repository: "app"}).
		Return(RepoMaintenanceResult{Phase: PhaseCompleted}, nil)
	env.OnWorkflow(RepoMaintenance, mock.Anything, RepoMaintenanceInput{Location: "default", Repository: "cairn.resources"}).
		Return(RepoMaintenanceResult{Phase: PhaseCompleted}, nil)
	env.OnWorkflow(RepoMaintenance, mock.Anything, RepoMaintenanceInput{Location: "default", Repository: "db"}).
		Return(RepoMaintenanceResult{}, failure(PhaseFailed, "wrong password", RepoMaintenanceResult{Phase: PhaseFailed}))
	var ids []string
	env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
		ids = append(ids, info.WorkflowExecution.ID)
	})
	env.ExecuteWorkflow(MaintainLocation, MaintainLocationInput{Location: "default"})
	var res MaintainLocationResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if len(res.Completed) != 2 || !equal(res.Failed, []string{"db-default-restic"}) {
		t.Errorf("result %+v", res)
	}
	// The test environment tells of the children's starts in no set order.
	slices.Sort(ids)
	if !equal(ids, []string{"repo-maintenance/default/app", "repo-maintenance/default/cairn.resources", "repo-maintenance/default/db"}) {
		t.Errorf("children %v", ids)
	}
}

// A read-only location is not maintained.
func TestMaintainLocationSkipsAReadOnlyLocation(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(mnt.ListRepositories, mock.Anything, mock.Anything).Return(activities.ListRepositoriesResult{ReadOnly: true}, nil)
	env.ExecuteWorkflow(MaintainLocation, MaintainLocationInput{Location: "archive"})
	var res MaintainLocationResult
	if err := env.GetWorkflowResult(&res); err != nil || !res.ReadOnly || len(res.Completed)+len(res.Failed) != 0 {
		t.Fatalf("result %+v, %v", res, err)
	}
}

// A pod volume whose repository is being maintained waits on a timer and
// is backed up once the maintenance is done.
func TestBackupPodVolumeWaitsForTheLock(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	waits := timers(env)
	env.OnActivity(a.ValidateBackup, mock.Anything, mock.Anything).Return(activities.ValidateBackupResult{StorageLocation: "default", TTL: time.Hour}, nil)
	env.OnActivity(a.PlanPodVolumeBackups, mock.Anything, mock.Anything).Return(activities.PlanPodVolumeBackupsResult{
		Volumes: []activities.PodVolume{{Namespace: "app", Pod: "p1", Node: "n1", Volume: "data", Dir: "data"}}}, nil)
	calls := 0
	env.OnActivity(na.BackupPodVolume, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.BackupPodVolumeInput) (metadata.PodVolumeBackup, error) {
			calls++
			if calls == 1 {
				return metadata.PodVolumeBackup{}, lockedErr()
			}
			return metadata.PodVolumeBackup{Namespace: "app", Pod: "p1", Volume: "data", SnapshotID: "s1", Phase: metadata.VolumeCompleted}, nil
		})
	env.OnActivity(a.BackupResources, mock.Anything, mock.Anything).Return(activities.BackupResourcesResult{Phase: PhaseCompleted}, nil)
	env.ExecuteWorkflow(Backup, BackupInput{Name: "b"})
	var res BackupResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != PhaseCompleted || len(res.PodVolumeBackups) != 1 || res.PodVolumeBackups[0].SnapshotID != "s1" || res.Waiting != "" {
		t.Errorf("result %+v", res)
	}
	if calls != 2 || len(*waits) != 1 {
		t.Errorf("%d calls, timers %v", calls, *waits)
	}
}

// A deletion that meets a maintenance's lock waits for it; one that
// removed enough snapshots asks for the maintenance of their repositories.
func TestDeleteWaitsForTheLockAndAsksForMaintenance(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	waits := timers(env)
	env.OnActivity(del.CheckBackupDeletable, mock.Anything, mock.Anything).Return(activities.CheckDeletableResult{StorageLocation: "default"}, nil)
	calls := 0
	env.OnActivity(del.DeleteBackupData, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.DeleteBackupDataInput) (activities.DeleteBackupDataResult, error) {
			calls++
			if calls == 1 {
				return activities.DeleteBackupDataResult{}, lockedErr()
			}
			return activities.DeleteBackupDataResult{Snapshots: 2, Maintain: []string{"app"}}, nil
		})
	env.OnActivity(mnt.RequestMaintenance, mock.Anything, activities.RequestMaintenanceInput{Location: "default", Repositories: []string{"app"}}).
		Return(nil).Once()
	env.OnActivity(del.DeleteBackupHistory, mock.Anything, mock.Anything).Return(activities.DeleteBackupHistoryResult{}, nil)
	env.ExecuteWorkflow(Delete, DeleteInput{Name: "b1"})
	var res DeleteResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != PhaseCompleted || res.Snapshots != 2 || !equal(res.Maintain, []string{"app"}) || calls != 2 || len(*waits) != 1 {
		t.Errorf("result %+v, %d calls, timers %v", res, calls, *waits)
	}
	env.AssertExpectations(t)
}
