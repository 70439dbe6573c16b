package workflows

import (
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
)

// TestDeleteRestore: the deletion's outcome is its one activity's, a
// refusal of it FailedValidation with the reason.
func TestDeleteRestore(t *testing.T) {
	for _, c := range []struct {
		err       error
		phase     string
		reason    string
		storedLoc string
	}{
		{nil, PhaseCompleted, "", "default"},
		{temporal.NewNonRetryableApplicationError(`cannot delete restore "r": it is still running`, activities.ErrTypeInvalid, nil),
			PhaseFailedValidation, `cannot delete restore "r": it is still running`, ""},
	} {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.OnActivity(del.DeleteRestore, mock.Anything, activities.DeleteRestoreInput{Name: "r"}).
			Return(activities.DeleteRestoreResult{StorageLocation: c.storedLoc}, c.err)
		env.ExecuteWorkflow(DeleteRestore, DeleteRestoreInput{Name: "r"})
		var res DeleteRestoreResult
		err := env.GetWorkflowResult(&res)
		if c.err != nil {
			if err == nil || !ResultOf(err, &res) {
				t.Fatalf("%v: no result in the failure %v", c.err, err)
			}
		} else if err != nil {
			t.Fatal(err)
		}
		if res.Phase != c.phase || res.FailureReason != c.reason || res.StorageLocation != c.storedLoc || res.Completed.IsZero() {
			t.Errorf("%v: %+v", c.err, res)
		}
	}
}
