package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// KindDeleteRestore is the CairnKind of a DeleteRestore workflow.
const KindDeleteRestore = "restore-delete"

// DeleteRestoreID is the workflow ID of the deletion of restore name: one
// at a time, and a closed one does not keep a later one from starting.
func DeleteRestoreID(name string) string { return "restore-delete/" + name }

// DeleteRestoreInput asks to delete a restore: the input of the
// DeleteRestore workflow (workflow ID DeleteRestoreID(Name)).
type DeleteRestoreInput struct {
	// Name is the restore to delete.
	Name string
}

// DeleteRestoreResult is the outcome of a restore's deletion.
type DeleteRestoreResult struct {
	Name string
	// StorageLocation held the restore's files; empty when none did.
	StorageLocation string `json:",omitempty"`
	Phase           string
	FailureReason   string    `json:",omitempty"`
	Started         time.Time `json:",omitzero"`
	Completed       time.Time `json:",omitzero"`
}

// DeleteRestore removes a restore as Velero's `restore delete` does (see
// activities.Deletion.DeleteRestore): its files and its workflow; the
// restored objects stay. It refuses, with phase FailedValidation, a
// restore that still runs, one in a read-only location and one nothing
// knows.
func DeleteRestore(ctx workflow.Context, in DeleteRestoreInput) (DeleteRestoreResult, error) {
	st := DeleteRestoreResult{Name: in.Name, Phase: PhaseInProgress, Started: workflow.Now(ctx)}
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindDeleteRestore), AttrName.ValueSet(in.Name),
		AttrPhase.ValueSet(PhaseInProgress))
	var d *activities.Deletion
	var res activities.DeleteRestoreResult
	err := workflow.ExecuteActivity(deleteOptions(ctx), d.DeleteRestore, activities.DeleteRestoreInput{Name: in.Name}).Get(ctx, &res)
	st.StorageLocation, st.Completed, st.Phase = res.StorageLocation, workflow.Now(ctx), PhaseCompleted
	if err != nil {
		st.Phase, st.FailureReason = PhaseFailed, reason(err)
		if isInvalid(err) {
			st.Phase = PhaseFailedValidation
		}
	}
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindDeleteRestore), AttrName.ValueSet(in.Name), AttrPhase.ValueSet(st.Phase))
	if err != nil {
		return st, failure(st.Phase, st.FailureReason, st)
	}
	return st, nil
}
