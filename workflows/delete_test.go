package workflows

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
)

var del *activities.Deletion

func TestDeleteRemovesDataThenHistory(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var order []string
	env.OnActivity(del.CheckBackupDeletable, mock.Anything, activities.CheckDeletableInput{Name: "b1"}).
		Return(activities.CheckDeletableResult{StorageLocation: "default", SnapshotID: "abc"}, nil)
	env.OnActivity(del.DeleteBackupData, mock.Anything, activities.DeleteBackupDataInput{Name: "b1", StorageLocation: "default", SnapshotID: "abc"}).
		Run(func(mock.Arguments) { order = append(order, "data") }).Return(activities.DeleteBackupDataResult{Snapshots: 3}, nil)
	env.OnActivity(del.DeleteBackupHistory, mock.Anything, activities.DeleteBackupHistoryInput{Name: "b1", StorageLocation: "default"}).
		Run(func(mock.Arguments) { order = append(order, "history") }).Return(activities.DeleteBackupHistoryResult{Restores: []string{"r1"}}, nil)
	var phases []string
	env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		sa := args.Get(0).(temporal.SearchAttributes)
		if k, _ := sa.GetKeyword(AttrKind); k != KindDelete {
			t.Errorf("kind %q", k)
		}
		if p, ok := sa.GetKeyword(AttrPhase); ok {
			phases = append(phases, p)
		}
	}).Return(nil)

	env.ExecuteWorkflow(Delete, DeleteInput{Name: "b1"})
	var res DeleteResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Phase != PhaseCompleted || res.Snapshots != 3 || res.StorageLocation != "default" || !equal(res.Restores, []string{"r1"}) {
		t.Errorf("result %+v", res)
	}
	if !equal(order, []string{"data", "history"}) {
		t.Errorf("order %v", order)
	}
	if phases[len(phases)-1] != PhaseCompleted {
		t.Errorf("phases %v", phases)
	}
}

func TestDeleteRefusedIsNotRetriedAndDeletesNothing(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	calls := 0
	env.OnActivity(del.CheckBackupDeletable, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.CheckDeletableInput) (activities.CheckDeletableResult, error) {
			calls++
			return activities.CheckDeletableResult{}, temporal.NewNonRetryableApplicationError(
				`cannot delete backup "b1": restore r1 is reading from it`, activities.ErrTypeInvalid, nil)
		})
	env.ExecuteWorkflow(Delete, DeleteInput{Name: "b1"})
	var res DeleteResult
	if err := env.GetWorkflowError(); !ResultOf(err, &res) || res.Phase != PhaseFailedValidation ||
		res.FailureReason != `cannot delete backup "b1": restore r1 is reading from it` {
		t.Fatalf("error %v, result %+v", err, res)
	}
	if calls != 1 {
		t.Errorf("the check ran %d times", calls)
	}
	env.AssertNotCalled(t, "DeleteBackupData", mock.Anything, mock.Anything)
	env.AssertNotCalled(t, "DeleteBackupHistory", mock.Anything, mock.Anything)
}

func TestDeleteOfABackupWithoutRecordRemovesItsWorkflowOnly(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(del.CheckBackupDeletable, mock.Anything, mock.Anything).Return(activities.CheckDeletableResult{}, nil)
	env.OnActivity(del.DeleteBackupHistory, mock.Anything, activities.DeleteBackupHistoryInput{Name: "failed"}).
		Return(activities.DeleteBackupHistoryResult{}, nil)
	env.ExecuteWorkflow(Delete, DeleteInput{Name: "failed"})
	var res DeleteResult
	if err := env.GetWorkflowResult(&res); err != nil || res.Phase != PhaseCompleted || res.Snapshots != 0 {
		t.Fatalf("result %+v, %v", res, err)
	}
	env.AssertNotCalled(t, "DeleteBackupData", mock.Anything, mock.Anything)
}

func TestDeleteRetriesTransientFailures(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(del.CheckBackupDeletable, mock.Anything, mock.Anything).Return(activities.CheckDeletableResult{StorageLocation: "default"}, nil)
	calls := 0
	env.OnActivity(del.DeleteBackupData, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.DeleteBackupDataInput) (activities.DeleteBackupDataResult, error) {
			calls++
			if calls < 3 {
				return activities.DeleteBackupDataResult{}, errors.New("repository is locked")
			}
			return activities.DeleteBackupDataResult{Snapshots: 1}, nil
		})
	env.OnActivity(del.DeleteBackupHistory, mock.Anything, mock.Anything).Return(activities.DeleteBackupHistoryResult{}, nil)
	env.ExecuteWorkflow(Delete, DeleteInput{Name: "b2"})
	var res DeleteResult
	if err := env.GetWorkflowResult(&res); err != nil || calls != 3 || res.Snapshots != 1 {
		t.Fatalf("calls %d, result %+v, %v", calls, res, err)
	}
}
