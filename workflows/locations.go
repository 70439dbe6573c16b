package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// KindValidateLocations is the CairnKind of a ValidateLocations workflow.
const KindValidateLocations = "validate-locations"

// ValidateLocationsScheduleID is the Temporal Schedule that runs
// ValidateLocations periodically; the worker creates it at start (see
// worker.EnsureLocationValidationSchedule).
const ValidateLocationsScheduleID = "cairn-validate-locations"

// ValidateLocations checks every backup storage location once and records
// each one's phase, Available or Unavailable, with the time and the reason,
// as Velero's controller does for its BackupStorageLocations. The worker
// runs it on a Temporal Schedule (ValidateLocationsScheduleID). A failed
// run is not retried for long: the next one comes soon.
func ValidateLocations(ctx workflow.Context, in activities.ValidateLocationsInput) (activities.ValidateLocationsResult, error) {
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindValidateLocations))
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    6 * activities.HeartbeatInterval,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 2},
	})
	var v *activities.LocationValidation
	var res activities.ValidateLocationsResult
	err := workflow.ExecuteActivity(ctx, v.ValidateLocations, in).Get(ctx, &res)
	return res, err
}
