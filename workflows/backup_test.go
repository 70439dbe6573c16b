package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
)

var a *activities.Resources

func TestBackupHappyPath(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	noVolumes(env)
	env.OnActivity(a.ValidateBackup, mock.Anything, activities.ValidateBackupInput{Name: "b1", Spec: activities.BackupSpec{IncludedNamespaces: []string{"ns"}}}).
		Return(activities.ValidateBackupResult{StorageLocation: "default", TTL: time.Hour}, nil)
	env.OnActivity(a.BackupResources, mock.Anything, mock.MatchedBy(func(in activities.BackupResourcesInput) bool {
		return in.Name == "b1" && in.StorageLocation == "default" && in.TTL == time.Hour
	})).Return(activities.BackupResourcesResult{Phase: PhaseCompleted, SnapshotID: "abc", Items: 7}, nil)
	var phases []string
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		if p, ok := sa.GetKeyword(AttrPhase); ok {
			phases = append(phases, p)
		}
	}).Return(nil)

	env.ExecuteWorkflow(Backup, BackupInput{Name: "b1", Spec: activities.BackupSpec{IncludedNamespaces: []string{"ns"}}})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res BackupResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != PhaseCompleted || res.SnapshotID != "abc" || res.Items != 7 || res.StorageLocation != "default" ||
		!res.Expiration.Equal(res.Started.Add(time.Hour)) {
		t.Errorf("result %+v", res)
	}
	if want := []string{PhaseNew, PhaseInProgress, PhaseCompleted}; !equal(phases, want) {
		t.Errorf("phases %v, want %v", phases, want)
	}
	v, err := env.QueryWorkflow(ProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var prog BackupResult
	if err := v.Get(&prog); err != nil || prog.Phase != PhaseCompleted || prog.Items != 7 {
		t.Errorf("progress %+v, %v", prog, err)
	}
}

func TestBackupValidationFailureIsNotRetried(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	noVolumes(env)
	calls := 0
	env.OnActivity(a.ValidateBackup, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.ValidateBackupInput) (activities.ValidateBackupResult, error) {
			calls++
			return activities.ValidateBackupResult{}, temporal.NewNonRetryableApplicationError("invalid backup: ttl", activities.ErrTypeInvalid, nil)
		})
	env.ExecuteWorkflow(Backup, BackupInput{Name: "Bad_Name"})
	err := env.GetWorkflowError()
	var res BackupResult
	if err == nil || !ResultOf(err, &res) {
		t.Fatalf("error %v carries no result", err)
	}
	if res.Phase != PhaseFailedValidation || res.FailureReason != "invalid backup: ttl" {
		t.Errorf("result %+v", res)
	}
	if calls != 1 {
		t.Errorf("validation ran %d times, want 1", calls)
	}
	env.AssertNotCalled(t, "BackupResources", mock.Anything, mock.Anything)
}

func TestBackupActivityRetry(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	noVolumes(env)
	env.OnActivity(a.ValidateBackup, mock.Anything, mock.Anything).Return(activities.ValidateBackupResult{StorageLocation: "default", TTL: time.Hour}, nil)
	calls := 0
	env.OnActivity(a.BackupResources, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.BackupResourcesInput) (activities.BackupResourcesResult, error) {
			calls++
			if calls < 3 {
				return activities.BackupResourcesResult{}, errors.New("s3 is down")
			}
			return activities.BackupResourcesResult{Phase: PhasePartiallyFailed, Items: 3, Errors: 1}, nil
		})
	env.ExecuteWorkflow(Backup, BackupInput{Name: "b2"})
	var res BackupResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if calls != 3 || res.Phase != PhasePartiallyFailed || res.Errors != 1 {
		t.Errorf("calls %d, result %+v", calls, res)
	}
}

func TestBackupFailsAfterRetries(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	noVolumes(env)
	env.OnActivity(a.ValidateBackup, mock.Anything, mock.Anything).Return(activities.ValidateBackupResult{StorageLocation: "default"}, nil)
	env.OnActivity(a.BackupResources, mock.Anything, mock.Anything).Return(activities.BackupResourcesResult{}, errors.New("s3 is down"))
	env.ExecuteWorkflow(Backup, BackupInput{Name: "b3"})
	var res BackupResult
	if err := env.GetWorkflowError(); !ResultOf(err, &res) || res.Phase != PhaseFailed || res.FailureReason != "s3 is down" {
		t.Errorf("error %v, result %+v", err, res)
	}
}

func TestRestoreHappyPath(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	noVolumes(env)
	spec := activities.RestoreSpec{BackupName: "b1", NamespaceMappings: map[string]string{"a": "b"}}
	env.OnActivity(a.ValidateRestore, mock.Anything, activities.ValidateRestoreInput{Name: "r1", Spec: spec}).
		Return(activities.ValidateRestoreResult{StorageLocation: "default"}, nil)
	env.OnActivity(a.RestoreResources, mock.Anything, activities.RestoreResourcesInput{Name: "r1", Spec: spec, StorageLocation: "default"}).
		Return(activities.RestoreResourcesResult{Phase: PhaseCompleted, Total: 5, Created: 5}, nil)
	env.ExecuteWorkflow(Restore, RestoreInput{Name: "r1", Spec: spec})
	var res RestoreResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != PhaseCompleted || res.Created != 5 || res.BackupName != "b1" || res.StorageLocation != "default" {
		t.Errorf("result %+v", res)
	}
}

func TestRestoreValidationFailure(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	noVolumes(env)
	env.OnActivity(a.ValidateRestore, mock.Anything, mock.Anything).Return(activities.ValidateRestoreResult{},
		temporal.NewNonRetryableApplicationError("invalid restore: backup \"x\": backup not found", activities.ErrTypeInvalid, nil))
	env.ExecuteWorkflow(Restore, RestoreInput{Name: "r2", Spec: activities.RestoreSpec{BackupName: "x"}})
	var res RestoreResult
	if err := env.GetWorkflowError(); !ResultOf(err, &res) || res.Phase != PhaseFailedValidation {
		t.Errorf("error %v, result %+v", err, res)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
