package workflows

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// validatorEnv is a test environment whose validations are counted, with
// their (test clock) times.
func validatorEnv(fail bool) (*testsuite.TestWorkflowEnvironment, *[]time.Time) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	var times []time.Time
	var v *activities.LocationValidation
	env.OnActivity(v.ValidateLocations, mock.Anything, activities.ValidateLocationsInput{}).Return(
		func(_ context.Context, _ activities.ValidateLocationsInput) (activities.ValidateLocationsResult, error) {
			times = append(times, env.Now())
			if fail {
				return activities.ValidateLocationsResult{}, errors.New("apiserver down")
			}
			return activities.ValidateLocationsResult{Available: []string{"default"}}, nil
		})
	var m *activities.Maintenance
	env.OnActivity(m.ReconcileMaintenanceSchedules, mock.Anything, mock.Anything).Return(activities.ReconcileSchedulesResult{}, nil)
	return env, &times
}

// One execution validates every minute for an hour, then continues as new
// with its frequency.
func TestLocationValidatorContinuesAsNewHourly(t *testing.T) {
	env, times := validatorEnv(false)
	env.ExecuteWorkflow(LocationValidator, LocationValidatorInput{Frequency: time.Minute})
	err := env.GetWorkflowError()
	var can *workflow.ContinueAsNewError
	if !errors.As(err, &can) {
		t.Fatalf("the run ended with %v, want continue-as-new", err)
	}
	if n := len(*times); n != 60 {
		t.Errorf("%d validations in the run, want 60", n)
	}
	for i := 1; i < len(*times); i++ {
		if gap := (*times)[i].Sub((*times)[i-1]); gap < time.Minute || gap > time.Minute+time.Second {
			t.Fatalf("validation %d came %v after the one before", i, gap)
		}
	}
	var next LocationValidatorInput
	if err := decodeContinueAsNew(can, &next); err != nil || next.Frequency != time.Minute {
		t.Errorf("continues as new with %+v (%v)", next, err)
	}
}

// A signal with another frequency validates at once and goes on at the new
// frequency; one with the same frequency (a worker's restart) changes
// nothing; one under a second is ignored.
func TestLocationValidatorTakesANewFrequency(t *testing.T) {
	env, times := validatorEnv(false)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(LocationValidatorFrequencySignal, time.Minute)
	}, 30*time.Second)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(LocationValidatorFrequencySignal, time.Millisecond)
	}, 50*time.Second)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(LocationValidatorFrequencySignal, 20*time.Minute)
	}, 90*time.Second)
	env.ExecuteWorkflow(LocationValidator, LocationValidatorInput{Frequency: time.Minute})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("the run ended with %v", err)
	}
	// 0s, 60s, 90s (the signal), then every 20 minutes; the wait that ends
	// past the hour continues as new, whose run validates at once.
	want := []time.Duration{0, time.Minute, 90 * time.Second, 1290 * time.Second, 2490 * time.Second}
	if len(*times) != len(want) {
		t.Fatalf("validations at %v, want %d", offsets(*times), len(want))
	}
	for i, at := range offsets(*times) {
		if d := at - want[i]; d < 0 || d > time.Second {
			t.Fatalf("validations at %v, want %v", offsets(*times), want)
		}
	}
	var next LocationValidatorInput
	if err := decodeContinueAsNew(can, &next); err != nil || next.Frequency != 20*time.Minute {
		t.Errorf("continues as new with %+v (%v)", next, err)
	}
}

// A failing validation does not end the validator.
func TestLocationValidatorOutlivesFailures(t *testing.T) {
	env, times := validatorEnv(true)
	env.ExecuteWorkflow(LocationValidator, LocationValidatorInput{Frequency: 10 * time.Minute})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("the run ended with %v", err)
	}
	if n := len(*times); n != 12 { // two attempts each of 6 validations
		t.Errorf("%d validation attempts", n)
	}
}

func TestLocationValidatorRefusesAShortFrequency(t *testing.T) {
	env, _ := validatorEnv(false)
	env.ExecuteWorkflow(LocationValidator, LocationValidatorInput{Frequency: time.Millisecond})
	if err := env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "use at least 1s") {
		t.Fatalf("error %v", err)
	}
}

func offsets(times []time.Time) []time.Duration {
	var out []time.Duration
	for _, at := range times {
		out = append(out, at.Sub(times[0]))
	}
	return out
}

func decodeContinueAsNew(can *workflow.ContinueAsNewError, v any) error {
	return converter.GetDefaultDataConverter().FromPayloads(can.Input, v)
}
