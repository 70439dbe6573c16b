package worker

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// DefaultLocationValidationFrequency is how often every backup storage
// location is validated unless told otherwise: every minute, as Velero.
const DefaultLocationValidationFrequency = time.Minute

// locationValidationTimeout bounds one validation run.
const locationValidationTimeout = 30 * time.Minute

// EnsureLocationValidationSchedule creates the Temporal Schedule that runs
// the ValidateLocations workflow every frequency, or brings an existing one
// to that frequency, as EnsureGCSchedule does for the garbage collection.
func EnsureLocationValidationSchedule(ctx context.Context, c client.Client, frequency time.Duration) error {
	if frequency < time.Second {
		return fmt.Errorf("location validation frequency %v: use at least 1s", frequency)
	}
	return ensureIntervalSchedule(ctx, c, workflows.ValidateLocationsScheduleID, "location validation",
		"Cairn's backup storage location validation: sets each location's phase, Available or Unavailable",
		frequency, &client.ScheduleWorkflowAction{
			ID: workflows.ValidateLocationsScheduleID, Workflow: workflows.ValidateLocations,
			Args:      []any{activities.ValidateLocationsInput{}},
			TaskQueue: workflows.TaskQueue, WorkflowExecutionTimeout: locationValidationTimeout,
			TypedSearchAttributes: temporal.NewSearchAttributes(workflows.AttrKind.ValueSet(workflows.KindValidateLocations)),
		})
}

// registerLocationValidation registers the ValidateLocations workflow and
// its activity when the worker's locations live in Kubernetes (the only
// ones with a status to record), and tells whether it did.
func registerLocationValidation(w sdkworker.Worker, locs activities.LocationResolver) bool {
	kl, ok := locs.(activities.KubeLocations)
	if !ok || kl.Store == nil {
		return false
	}
	w.RegisterWorkflow(workflows.ValidateLocations)
	w.RegisterActivity(&activities.LocationValidation{Store: kl.Store, Now: time.Now})
	return true
}
