package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// KindValidateLocations is the CairnKind of a ValidateLocations workflow.
const KindValidateLocations = "validate-locations"

// ValidateLocationsScheduleID is the Temporal Schedule that ran
// ValidateLocations every minute before LocationValidator; a worker
// deletes it at start.
const ValidateLocationsScheduleID = "cairn-validate-locations"

// ValidateLocations checks every backup storage location once and records
// each one's phase, Available or Unavailable, with the time and the reason,
// as Velero's controller does for its BackupStorageLocations; then it
// gives each location its repository maintenance schedule and removes
// those of deleted locations. LocationValidator runs it periodically in
// one execution; this workflow is kept for the runs the old schedule
// started. A failed run is not retried for long: the next one comes soon.
func ValidateLocations(ctx workflow.Context, in activities.ValidateLocationsInput) (activities.ValidateLocationsResult, error) {
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindValidateLocations))
	return validateLocationsOnce(ctx)
}

// validateLocationsOnce validates every location and reconciles the
// repository maintenance schedules.
func validateLocationsOnce(ctx workflow.Context) (activities.ValidateLocationsResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    6 * activities.HeartbeatInterval,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumAttempts: 2},
	})
	var v *activities.LocationValidation
	var res activities.ValidateLocationsResult
	err := workflow.ExecuteActivity(ctx, v.ValidateLocations, activities.ValidateLocationsInput{}).Get(ctx, &res)
	// Runs recorded before the maintenance schedules replay without this.
	if workflow.GetVersion(ctx, "reconcile-maintenance-schedules", workflow.DefaultVersion, 1) == 1 {
		var m *activities.Maintenance
		var rec activities.ReconcileSchedulesResult
		if rerr := workflow.ExecuteActivity(ctx, m.ReconcileMaintenanceSchedules, activities.ReconcileSchedulesInput{}).Get(ctx, &rec); rerr != nil {
			workflow.GetLogger(ctx).Warn("reconciling the repository maintenance schedules", "error", rerr)
		}
	}
	return res, err
}
