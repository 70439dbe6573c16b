package workflows

import (
	"errors"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// KindExpire is the CairnKind of an Expire workflow.
const KindExpire = "expire"

// GCScheduleID is the Temporal Schedule that runs Expire periodically; the
// worker creates it at start (see worker.EnsureGCSchedule).
const GCScheduleID = "cairn-gc"

// ExpireInput configures one garbage collection.
type ExpireInput struct {
	// Limit bounds the deletions one run starts; DefaultExpireLimit when
	// zero. The next run takes the rest.
	Limit int `json:",omitempty"`
}

// DefaultExpireLimit is how many deletions one garbage collection starts at
// most.
const DefaultExpireLimit = 200

// ExpireResult says what one garbage collection found and started.
type ExpireResult struct {
	// Deleting names the backups whose Delete workflow this run started.
	Deleting []string `json:",omitempty"`
	// AlreadyDeleting names expired backups whose Delete workflow was
	// already running.
	AlreadyDeleting []string `json:",omitempty"`
	// Skipped explains the expired backups left alone (read-only location).
	Skipped []string `json:",omitempty"`
}

// Expire is Cairn's garbage collection, as Velero's GC controller: it lists
// the backups of every location whose expiration has passed and starts a
// Delete workflow for each, as a child with the Delete workflow's own ID, so
// that a backup already being deleted is not deleted twice. The children
// outlive the run (parent close policy abandon); a failed deletion is
// retried by the next run, since the backup is still there and expired.
// The worker runs it on a Temporal Schedule (GCScheduleID), which survives
// restarts.
func Expire(ctx workflow.Context, in ExpireInput) (ExpireResult, error) {
	var res ExpireResult
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindExpire))
	limit := in.Limit
	if limit <= 0 {
		limit = DefaultExpireLimit
	}
	var d *activities.Deletion
	var expired activities.ListExpiredResult
	if err := workflow.ExecuteActivity(validateOptions(ctx), d.ListExpiredBackups,
		activities.ListExpiredInput{Now: workflow.Now(ctx), Limit: limit}).Get(ctx, &expired); err != nil {
		return res, err
	}
	res.Skipped = expired.Skipped
	for _, b := range expired.Backups {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            clusterOf(ctx).Scope(DeleteID(b.Name)),
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			TypedSearchAttributes: ClusterAttrs(clusterOf(ctx), DeleteAttrs(b.Name, b.StorageLocation, b.Schedule)...),
			StaticSummary:         DeleteSummary(b.Name, b.StorageLocation) + " (expired)",
		})
		child := workflow.ExecuteChildWorkflow(cctx, Delete, DeleteInput{Name: b.Name, StorageLocation: b.StorageLocation})
		err := child.GetChildWorkflowExecution().Get(ctx, nil)
		switch {
		case err == nil:
			res.Deleting = append(res.Deleting, b.Name)
		case alreadyStarted(err):
			res.AlreadyDeleting = append(res.AlreadyDeleting, b.Name)
		default:
			return res, err
		}
	}
	return res, nil
}

// alreadyStarted tells whether starting a child failed on its workflow ID
// being in use (the SDK's test environment reports it as the server's
// error).
func alreadyStarted(err error) bool {
	var child *temporal.ChildWorkflowExecutionAlreadyStartedError
	var server *serviceerror.WorkflowExecutionAlreadyStarted
	return errors.As(err, &child) || errors.As(err, &server)
}
