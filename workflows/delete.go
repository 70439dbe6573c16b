package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// KindDelete is the CairnKind of a Delete workflow.
const KindDelete = "delete"

// DeleteID is the workflow ID of the deletion of backup name. At most one
// runs at a time; a closed one does not keep a later deletion of a backup of
// the same name from starting.
func DeleteID(name string) string { return "backup-delete/" + name }

// DeleteInput asks to delete a backup: the input of the Delete workflow
// (workflow ID DeleteID(Name)).
type DeleteInput struct {
	// Name is the backup to delete.
	Name string
	// StorageLocation is the location whose copy of the backup to delete;
	// empty means the first location that holds it.
	StorageLocation string `json:",omitempty"`
}

// DeleteAttrs are the search attributes a Delete workflow of backup name
// starts with (location and schedule may be unknown, empty): the schedule
// of the backup, when it has one, labels the deletion's metrics as
// Velero's do.
func DeleteAttrs(name, location, schedule string) []temporal.SearchAttributeUpdate {
	attrs := []temporal.SearchAttributeUpdate{AttrKind.ValueSet(KindDelete), AttrName.ValueSet(name), AttrBackup.ValueSet(name),
		AttrPhase.ValueSet(PhaseInProgress)}
	if location != "" {
		attrs = append(attrs, AttrStorageLocation.ValueSet(location))
	}
	if schedule != "" {
		attrs = append(attrs, AttrSchedule.ValueSet(schedule))
	}
	return attrs
}

// DeleteResult is what a deletion removed.
type DeleteResult struct {
	Name            string
	StorageLocation string `json:",omitempty"`
	Phase           string
	// Snapshots counts the repository snapshots removed: the resources
	// snapshot and the pod volume snapshots.
	Snapshots int
	// Restores names the restores of the backup whose records and
	// workflows were removed with it.
	Restores []string `json:",omitempty"`
	// Maintain names the repositories (folders under restic/) whose
	// maintenance the deletion asked for, having removed enough of their
	// snapshots.
	Maintain []string `json:",omitempty"`
	// Waiting names the repository lock the deletion waits for, if any.
	Waiting       string    `json:",omitempty"`
	FailureReason string    `json:",omitempty"`
	Started       time.Time `json:",omitzero"`
	Completed     time.Time `json:",omitzero"`
}

// Delete removes a backup as Velero's `backup delete` does: its snapshots in
// the resources repository and in every namespace repository of its
// location, its records under backups/<name>/, its restores, and its
// workflows, so that `cairn backup get` forgets it and the name is free
// again. It refuses, with phase FailedValidation, while the backup or a
// restore from it runs, when the location is read-only, and when no
// location and no workflow knows the backup. Each step tolerates what an
// earlier attempt already removed, so retries are safe. A repository that
// another process holds locked (a maintenance) is waited for on a durable
// timer. Repositories that lost more than a quarter of their snapshots
// since their last maintenance get one now (see RepoMaintenance).
func Delete(ctx workflow.Context, in DeleteInput) (DeleteResult, error) {
	st := DeleteResult{Name: in.Name, StorageLocation: in.StorageLocation, Phase: PhaseInProgress, Started: workflow.Now(ctx)}
	if err := workflow.SetQueryHandler(ctx, ProgressQuery, func() (DeleteResult, error) { return st, nil }); err != nil {
		return st, err
	}
	setPhase := func(phase string) {
		st.Phase = phase
		_ = workflow.UpsertTypedSearchAttributes(ctx,
			AttrKind.ValueSet(KindDelete), AttrName.ValueSet(in.Name), AttrBackup.ValueSet(in.Name),
			AttrPhase.ValueSet(phase), AttrStorageLocation.ValueSet(st.StorageLocation))
	}
	fail := func(phase string, err error) (DeleteResult, error) {
		st.FailureReason = reason(err)
		st.Completed = workflow.Now(ctx)
		setPhase(phase)
		return st, failure(phase, st.FailureReason, st)
	}
	setPhase(PhaseInProgress)

	var d *activities.Deletion
	var plan activities.CheckDeletableResult
	if err := workflow.ExecuteActivity(validateOptions(ctx), d.CheckBackupDeletable,
		activities.CheckDeletableInput{Name: in.Name, StorageLocation: in.StorageLocation}).Get(ctx, &plan); err != nil {
		if isInvalid(err) {
			return fail(PhaseFailedValidation, err)
		}
		return fail(PhaseFailed, err)
	}
	if plan.StorageLocation != "" {
		st.StorageLocation = plan.StorageLocation
		setPhase(PhaseInProgress)
		var data activities.DeleteBackupDataResult
		if err := untilUnlocked(ctx, func(h string) { st.Waiting = h }, func() error {
			return workflow.ExecuteActivity(withSummary(deleteOptions(ctx), "delete the snapshots of backup %s", in.Name), d.DeleteBackupData, activities.DeleteBackupDataInput{
				Name: in.Name, StorageLocation: plan.StorageLocation, SnapshotID: plan.SnapshotID,
			}).Get(ctx, &data)
		}); err != nil {
			return fail(PhaseFailed, err)
		}
		st.Snapshots, st.Maintain = data.Snapshots, data.Maintain
		// Deletions recorded before this step (whose results name no
		// repository) replay without it.
		if len(data.Maintain) > 0 && workflow.GetVersion(ctx, "maintain-after-delete", workflow.DefaultVersion, 1) == 1 {
			requestMaintenance(ctx, plan.StorageLocation, data.Maintain)
		}
	}
	var hist activities.DeleteBackupHistoryResult
	if err := workflow.ExecuteActivity(deleteOptions(ctx), d.DeleteBackupHistory, activities.DeleteBackupHistoryInput{
		Name: in.Name, StorageLocation: plan.StorageLocation,
	}).Get(ctx, &hist); err != nil {
		return fail(PhaseFailed, err)
	}
	st.Restores = hist.Restores
	st.Completed = workflow.Now(ctx)
	setPhase(PhaseCompleted)
	return st, nil
}

// requestMaintenance asks for the maintenance of repositories of location.
// It is a courtesy: a failure leaves them to the periodic maintenance.
func requestMaintenance(ctx workflow.Context, location string, repos []string) {
	var m *activities.Maintenance
	err := workflow.ExecuteActivity(validateOptions(ctx), m.RequestMaintenance,
		activities.RequestMaintenanceInput{Location: location, Repositories: repos}).Get(ctx, nil)
	if err != nil {
		workflow.GetLogger(ctx).Warn("asking for the maintenance of the repositories", "repositories", repos, "error", err)
	}
}

// deleteOptions run a deletion step: retried for long, since a repository
// another deletion holds locked only needs a moment, never on invalid input.
func deleteOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Hour,
		HeartbeatTimeout:    6 * activities.HeartbeatInterval,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        2 * time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        10,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid},
		},
	})
}
