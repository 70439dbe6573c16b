package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// KindRepoMaintenance is the CairnKind of a RepoMaintenance workflow.
const KindRepoMaintenance = "repo-maintenance"

// PhaseWaitingForLock is the phase of a maintenance that waits for the
// repository's other users to let go of it.
const PhaseWaitingForLock = "WaitingForLock"

// MaintainSignal asks a maintenance for one more pass: one that runs when
// it arrives passes again once done (continuing as new), so that what was
// freed meanwhile is pruned too. `cairn repo maintain` and deletions send
// it with signal-with-start.
const MaintainSignal = "maintain"

// RepoMaintenanceID is the workflow ID of the maintenance of the
// repository in folder restic/<repository> of location: one at a time.
func RepoMaintenanceID(location, repository string) string {
	return "repo-maintenance/" + location + "/" + repository
}

// RepoMaintenanceInput names a repository: its location and its folder
// under restic/.
type RepoMaintenanceInput struct {
	// Location is the backup storage location.
	Location string
	// Repository is the folder under restic/: cairn.resources or a
	// namespace.
	Repository string
}

// RepoMaintenanceResult is a maintenance's state, which ProgressQuery
// returns while it runs, and its outcome. A failed one fails the workflow
// with an application error of type Failed whose details are the result.
type RepoMaintenanceResult struct {
	// Name is activities.RepositoryName of the repository.
	Name       string
	Location   string
	Repository string
	// Namespace is the namespace whose pod volumes the repository holds;
	// empty for the resources repository.
	Namespace string `json:",omitempty"`
	// Phase is InProgress, WaitingForLock, Completed or Failed.
	Phase string
	// Waiting names the lock holder while the phase is WaitingForLock.
	Waiting       string    `json:",omitempty"`
	FailureReason string    `json:",omitempty"`
	Started       time.Time `json:",omitzero"`
	Completed     time.Time `json:",omitzero"`
	// Sizes are the stored bytes of the packs.
	SizeBefore        uint64 `json:",omitempty"`
	SizeAfter         uint64 `json:",omitempty"`
	BytesRemoved      uint64 `json:",omitempty"`
	Snapshots         int    `json:",omitempty"`
	StaleLocksRemoved int    `json:",omitempty"`
}

// RepoMaintenance maintains one repository, as Velero's maintenance jobs
// do: it prunes what no snapshot needs and checks the repository, under
// the repository's exclusive lock, so never beside a backup, restore or
// deletion of it. While they hold the repository it waits on a durable
// timer (phase WaitingForLock, Waiting naming the holder) and tries again.
// The outcome goes into the repository's record and the metrics. The
// per-location schedule (MaintainLocation), deletions and `cairn repo
// maintain` start it under RepoMaintenanceID, so two never run at once; a
// MaintainSignal that arrives while it runs makes it pass once more.
func RepoMaintenance(ctx workflow.Context, in RepoMaintenanceInput) (RepoMaintenanceResult, error) {
	st := RepoMaintenanceResult{Name: activities.RepositoryName(in.Location, in.Repository), Location: in.Location,
		Repository: in.Repository, Namespace: activities.RepositoryNamespace(in.Repository),
		Phase: PhaseInProgress, Started: workflow.Now(ctx)}
	if err := workflow.SetQueryHandler(ctx, ProgressQuery, func() (RepoMaintenanceResult, error) { return st, nil }); err != nil {
		return st, err
	}
	setPhase := func(phase string) {
		st.Phase = phase
		_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindRepoMaintenance), AttrName.ValueSet(st.Name),
			AttrPhase.ValueSet(phase), AttrStorageLocation.ValueSet(in.Location))
	}
	setPhase(PhaseInProgress)
	requests := workflow.GetSignalChannel(ctx, MaintainSignal)
	drain(requests) // the requests this run answers

	var m *activities.Maintenance
	var res activities.MaintainRepositoryResult
	var begun time.Time
	err := untilUnlocked(ctx, func(holder string) {
		st.Waiting = holder
		if holder == "" {
			setPhase(PhaseInProgress)
		} else {
			setPhase(PhaseWaitingForLock)
		}
	}, func() error {
		begun = workflow.Now(ctx)
		return workflow.ExecuteActivity(withSummary(maintainOptions(ctx), "prune and check %s of location %s", in.Repository, in.Location), m.MaintainRepository,
			activities.MaintainRepositoryInput{Location: in.Location, Repository: in.Repository}).Get(ctx, &res)
	})
	st.Completed = workflow.Now(ctx)
	if err != nil {
		st.FailureReason = reason(err)
	} else {
		st.SizeBefore, st.SizeAfter, st.BytesRemoved = res.SizeBefore, res.SizeAfter, res.BytesRemoved
		st.Snapshots, st.StaleLocksRemoved = res.Snapshots, res.StaleLocksRemoved
	}
	recordMaintenance(ctx, in, st, st.Completed.Sub(begun))
	if err != nil {
		setPhase(PhaseFailed)
	} else {
		setPhase(PhaseCompleted)
	}
	if drain(requests) > 0 {
		return st, workflow.NewContinueAsNewError(ctx, RepoMaintenance, in)
	}
	if err != nil {
		return st, failure(PhaseFailed, st.FailureReason, st)
	}
	return st, nil
}

// drain takes every pending request off ch and counts them.
func drain(ch workflow.ReceiveChannel) int {
	n := 0
	for ch.ReceiveAsync(nil) {
		n++
	}
	return n
}

// recordMaintenance records a run's outcome (the record of a failure, the
// metrics of both). A record that cannot be written leaves `cairn repo
// get` the workflow's result.
func recordMaintenance(ctx workflow.Context, in RepoMaintenanceInput, st RepoMaintenanceResult, d time.Duration) {
	var m *activities.Maintenance
	err := workflow.ExecuteActivity(validateOptions(ctx), m.RecordMaintenance, activities.RecordMaintenanceInput{
		Location: in.Location, Repository: in.Repository, Succeeded: st.FailureReason == "", Message: st.FailureReason,
		BytesRemoved: st.BytesRemoved, Duration: d, Completed: st.Completed,
	}).Get(ctx, nil)
	if err != nil {
		workflow.GetLogger(ctx).Warn("recording the outcome of the maintenance", "repository", st.Name, "error", err)
	}
}

// maintainOptions run a maintenance: long and heartbeating; tried three
// times when the storage fails, never again at once when the repository is
// unusable (the next maintenance tries again) or locked (the workflow
// waits).
func maintainOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 24 * time.Hour,
		HeartbeatTimeout:    6 * activities.HeartbeatInterval,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    10 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    3,
			NonRetryableErrorTypes: []string{activities.ErrTypeInvalid, activities.ErrTypeRepositoryLocked,
				activities.ErrTypeRepositoryUnusable, activities.ErrTypeCheckFailed},
		},
	})
}
