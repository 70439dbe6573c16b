package workflows

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/cairn-backup/cairn/activities"
)

func TestValidateLocationsRunsTheValidation(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var v *activities.LocationValidation
	want := activities.ValidateLocationsResult{Available: []string{"default"}, Unavailable: []string{"broken"}}
	env.OnActivity(v.ValidateLocations, mock.Anything, activities.ValidateLocationsInput{}).Return(want, nil).Once()
	var m *activities.Maintenance
	env.OnActivity(m.ReconcileMaintenanceSchedules, mock.Anything, activities.ReconcileSchedulesInput{}).
		Return(activities.ReconcileSchedulesResult{Created: []string{"default"}}, nil).Once()
	env.ExecuteWorkflow(ValidateLocations, activities.ValidateLocationsInput{})
	var res activities.ValidateLocationsResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if !equal(res.Available, want.Available) || !equal(res.Unavailable, want.Unavailable) {
		t.Errorf("result %+v", res)
	}
	env.AssertExpectations(t)
}

// A failing validation is tried twice, then left to the next run; the
// maintenance schedules are reconciled all the same.
func TestValidateLocationsGivesUpSoon(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var v *activities.LocationValidation
	env.OnActivity(v.ValidateLocations, mock.Anything, mock.Anything).Return(activities.ValidateLocationsResult{}, errors.New("apiserver down")).Times(2)
	var m *activities.Maintenance
	env.OnActivity(m.ReconcileMaintenanceSchedules, mock.Anything, mock.Anything).Return(activities.ReconcileSchedulesResult{}, nil).Once()
	env.ExecuteWorkflow(ValidateLocations, activities.ValidateLocationsInput{})
	if err := env.GetWorkflowError(); err == nil {
		t.Fatal("no error")
	}
	env.AssertExpectations(t)
}
