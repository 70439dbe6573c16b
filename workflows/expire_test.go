package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

func TestExpireStartsOneDeleteChildPerExpiredBackup(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	start := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	env.SetStartTime(start)
	env.RegisterWorkflow(Delete)
	env.OnActivity(del.ListExpiredBackups, mock.Anything, mock.MatchedBy(func(in activities.ListExpiredInput) bool {
		return in.Now.Equal(start) && in.Limit == DefaultExpireLimit
	})).Return(activities.ListExpiredResult{
		Backups: []activities.ExpiredBackup{{Name: "old-1", StorageLocation: "default"}, {Name: "old-2", StorageLocation: "other"}},
		Skipped: []string{"ro/old-3: the location is read-only"},
	}, nil)
	var children []string
	env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
		children = append(children, info.WorkflowExecution.ID)
	})
	env.OnWorkflow(Delete, mock.Anything, DeleteInput{Name: "old-1", StorageLocation: "default"}).Return(DeleteResult{Phase: PhaseCompleted}, nil)
	env.OnWorkflow(Delete, mock.Anything, DeleteInput{Name: "old-2", StorageLocation: "other"}).Return(DeleteResult{Phase: PhaseCompleted}, nil)

	env.ExecuteWorkflow(Expire, ExpireInput{})
	var res ExpireResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if !equal(res.Deleting, []string{"old-1", "old-2"}) || len(res.AlreadyDeleting) != 0 || len(res.Skipped) != 1 {
		t.Errorf("result %+v", res)
	}
	if !equal(children, []string{DeleteID("old-1"), DeleteID("old-2")}) {
		t.Errorf("children %v", children)
	}
}

// A backup whose deletion is still running is not deleted twice: the
// child's ID is the Delete workflow's, and a duplicate is rejected.
func TestExpireSkipsABackupAlreadyBeingDeleted(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	deletes := 0
	// A slow deletion, still running when the same backup comes up again.
	env.RegisterWorkflowWithOptions(func(ctx workflow.Context, in DeleteInput) (DeleteResult, error) {
		deletes++
		return DeleteResult{Phase: PhaseCompleted}, workflow.Sleep(ctx, time.Hour)
	}, workflow.RegisterOptions{Name: "Delete"})
	env.OnActivity(del.ListExpiredBackups, mock.Anything, mock.Anything).Return(activities.ListExpiredResult{
		Backups: []activities.ExpiredBackup{{Name: "old", StorageLocation: "a"}, {Name: "old", StorageLocation: "b"}},
	}, nil)
	env.ExecuteWorkflow(Expire, ExpireInput{})
	var res ExpireResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if !equal(res.Deleting, []string{"old"}) || !equal(res.AlreadyDeleting, []string{"old"}) {
		t.Errorf("result %+v", res)
	}
	if deletes != 1 {
		t.Errorf("%d deletions ran", deletes)
	}
}

func TestExpireWithNothingExpired(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.OnActivity(del.ListExpiredBackups, mock.Anything, mock.MatchedBy(func(in activities.ListExpiredInput) bool {
		return in.Limit == 5
	})).Return(activities.ListExpiredResult{}, nil)
	env.ExecuteWorkflow(Expire, ExpireInput{Limit: 5})
	var res ExpireResult
	if err := env.GetWorkflowResult(&res); err != nil || len(res.Deleting) != 0 {
		t.Fatalf("result %+v, %v", res, err)
	}
}
