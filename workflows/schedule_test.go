package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

func TestScheduledBackupName(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "nightly-20260102030405"},
		{time.Date(2026, 1, 2, 0, 30, 0, 999, paris), "nightly-20260101233000"},
	} {
		if got := ScheduledBackupName("nightly", tc.t); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.t, got, tc.want)
		}
	}
}

// runScheduledBackup runs ScheduledBackup with the Backup child mocked,
// expecting backup wantName, and returns the child's workflow ID and search
// attributes.
func runScheduledBackup(t *testing.T, setup func(*testsuite.TestWorkflowEnvironment), wantName string) (string, temporal.SearchAttributes) {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	setup(env)
	spec := activities.BackupSpec{IncludedNamespaces: []string{"app"}, TTL: "24h"}
	env.RegisterWorkflow(Backup)
	env.OnWorkflow(Backup, mock.Anything, BackupInput{Name: wantName, Spec: spec}).
		Return(BackupResult{Name: wantName, Phase: PhaseCompleted, Items: 4}, nil)
	var id string
	var attrs temporal.SearchAttributes
	env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, ctx workflow.Context, _ converter.EncodedValues) {
		id = info.WorkflowExecution.ID
		attrs = workflow.GetTypedSearchAttributes(ctx)
	})
	env.ExecuteWorkflow(ScheduledBackup, ScheduledBackupInput{Schedule: "nightly", Spec: spec})
	var res BackupResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Name != wantName || res.Phase != PhaseCompleted || res.Items != 4 {
		t.Errorf("result %+v", res)
	}
	return id, attrs
}

func TestScheduledBackupIsNamedAfterTheScheduledTime(t *testing.T) {
	scheduled := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CEST", 2*3600))
	id, attrs := runScheduledBackup(t, func(env *testsuite.TestWorkflowEnvironment) {
		env.SetStartTime(scheduled.Add(3 * time.Second)) // the action starts a little late
		if err := env.SetTypedSearchAttributesOnStart(temporal.NewSearchAttributes(attrScheduledStartTime.ValueSet(scheduled))); err != nil {
			t.Fatal(err)
		}
	}, "nightly-20260102010405")
	if id != BackupID("nightly-20260102010405") {
		t.Errorf("child ID %q", id)
	}
	for key, want := range map[temporal.SearchAttributeKeyKeyword]string{
		AttrKind: KindBackup, AttrName: "nightly-20260102010405", AttrSchedule: "nightly", AttrPhase: PhaseNew,
	} {
		if got, _ := attrs.GetKeyword(key); got != want {
			t.Errorf("%s = %q, want %q", key.GetName(), got, want)
		}
	}
}

func TestScheduledBackupNameFromTheWorkflowID(t *testing.T) {
	runScheduledBackup(t, func(env *testsuite.TestWorkflowEnvironment) {
		env.SetStartTime(time.Date(2026, 5, 6, 7, 8, 10, 0, time.UTC))
		env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: ScheduledBackupID("nightly") + "-2026-05-06T07:08:09Z"})
	}, "nightly-20260506070809")
}

func TestScheduledBackupFailureCarriesTheResult(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))
	env.RegisterWorkflow(Backup)
	env.OnWorkflow(Backup, mock.Anything, mock.Anything).Return(BackupResult{},
		failure(PhaseFailedValidation, "invalid backup: ttl", BackupResult{Name: "x", Phase: PhaseFailedValidation}))
	env.ExecuteWorkflow(ScheduledBackup, ScheduledBackupInput{Schedule: "x"})
	var res BackupResult
	if err := env.GetWorkflowError(); !ResultOf(err, &res) || res.Phase != PhaseFailedValidation {
		t.Fatalf("error %v, result %+v", err, res)
	}
}
