package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/workflows"
)

// DefaultLocationValidationFrequency is how often every backup storage
// location is validated unless told otherwise: every minute, as Velero.
const DefaultLocationValidationFrequency = time.Minute

// locationValidationTimeout bounds one validation run.
const locationValidationTimeout = 30 * time.Minute

// EnsureLocationValidator starts the one long-running LocationValidator
// workflow at frequency, or tells the running one its new frequency (one
// signal-with-start: any number of workers may call it at once), and
// deletes the per-minute Temporal Schedule that earlier versions ran.
func EnsureLocationValidator(ctx context.Context, c client.Client, cl cluster.Name, frequency time.Duration) error {
	if frequency < time.Second {
		return fmt.Errorf("location validation frequency %v: use at least 1s", frequency)
	}
	opts := client.StartWorkflowOptions{
		ID: cl.Scope(workflows.LocationValidatorID), TaskQueue: cl.Scope(workflows.TaskQueue),
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		TypedSearchAttributes: workflows.ClusterAttrs(cl, workflows.AttrKind.ValueSet(workflows.KindValidateLocations)),
		StaticSummary:         fmt.Sprintf("Validates every backup storage location every %v", frequency),
		StaticDetails: "Sets each location's phase, Available or Unavailable, and reconciles the repository " +
			"maintenance schedules; continues as new every hour.",
	}
	err := retryTransient(ctx, scheduleSetupTimeout, time.Second, func() error {
		_, err := c.SignalWithStartWorkflow(ctx, opts.ID, workflows.LocationValidatorFrequencySignal,
			frequency, opts, workflows.LocationValidator, workflows.LocationValidatorInput{Frequency: frequency})
		return err
	})
	if err != nil {
		return fmt.Errorf("starting the location validator %s: %w", opts.ID, err)
	}
	return deleteSchedule(ctx, c, cl.Scope(workflows.ValidateLocationsScheduleID))
}

// deleteSchedule deletes the Temporal Schedule id when it exists.
func deleteSchedule(ctx context.Context, c client.Client, id string) error {
	err := c.ScheduleClient().GetHandle(ctx, id).Delete(ctx)
	var notFound *serviceerror.NotFound
	if err != nil && !errors.As(err, &notFound) {
		return fmt.Errorf("deleting the old schedule %s: %w", id, err)
	}
	return nil
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
	w.RegisterWorkflow(workflows.LocationValidator)
	w.RegisterActivity(&activities.LocationValidation{Store: kl.Store, Now: time.Now})
	return true
}
