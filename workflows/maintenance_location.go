package workflows

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// KindMaintainLocation is the CairnKind of a MaintainLocation workflow.
const KindMaintainLocation = "maintain-location"

// RepoMaintenanceScheduleID is the Temporal Schedule that runs
// MaintainLocation for location every --default-repo-maintain-frequency;
// the worker keeps one per location (see worker.EnsureRepoMaintenanceSchedules).
func RepoMaintenanceScheduleID(location string) string { return "cairn-repo-maintenance-" + location }

// MaintainLocationID is the workflow ID the schedule of location gives its
// MaintainLocation workflows; Temporal appends "-<scheduled time>".
func MaintainLocationID(location string) string { return "maintain-location/" + location }

// maintenanceConcurrency bounds the repositories of a location maintained
// at once: a prune holds the repository's index in memory.
const maintenanceConcurrency = 2

// MaintainLocationInput names a location.
type MaintainLocationInput struct {
	// Location is the backup storage location whose repositories to
	// maintain.
	Location string
}

// MaintainLocationResult names the location's repositories by outcome.
type MaintainLocationResult struct {
	Location  string
	Completed []string `json:",omitempty"`
	Failed    []string `json:",omitempty"`
	// AlreadyRunning were being maintained already (asked for by a
	// deletion or `cairn repo maintain`).
	AlreadyRunning []string `json:",omitempty"`
	// ReadOnly is set for a read-only location, which is not maintained.
	ReadOnly bool `json:",omitempty"`
}

// MaintainLocation is one periodic maintenance of a location: it lists
// the location's repositories (the resources repository and those of the
// namespaces) and runs RepoMaintenance for each as a child under its own
// ID, two at once. A repository being maintained already is left to that
// run. The children outlive this workflow (parent close policy abandon).
func MaintainLocation(ctx workflow.Context, in MaintainLocationInput) (MaintainLocationResult, error) {
	_ = workflow.UpsertTypedSearchAttributes(ctx, AttrKind.ValueSet(KindMaintainLocation), AttrStorageLocation.ValueSet(in.Location))
	res := MaintainLocationResult{Location: in.Location}
	var m *activities.Maintenance
	var list activities.ListRepositoriesResult
	if err := workflow.ExecuteActivity(validateOptions(ctx), m.ListRepositories,
		activities.ListRepositoriesInput{Location: in.Location}).Get(ctx, &list); err != nil {
		return res, err
	}
	res.ReadOnly = list.ReadOnly
	running := 0
	wg := workflow.NewWaitGroup(ctx)
	for _, repo := range list.Repositories {
		if err := workflow.Await(ctx, func() bool { return running < maintenanceConcurrency }); err != nil {
			return res, err
		}
		running++
		wg.Add(1)
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { running--; wg.Done() }()
			name := activities.RepositoryName(in.Location, repo)
			switch maintainChild(ctx, in.Location, repo) {
			case PhaseCompleted:
				res.Completed = append(res.Completed, name)
			case PhaseInProgress:
				res.AlreadyRunning = append(res.AlreadyRunning, name)
			default:
				res.Failed = append(res.Failed, name)
			}
		})
	}
	wg.Wait(ctx)
	return res, nil
}

// maintainChild runs the maintenance of a repository as a child and
// returns its phase: Completed, Failed, or InProgress for one that another
// run was doing already.
func maintainChild(ctx workflow.Context, location, repo string) string {
	name := activities.RepositoryName(location, repo)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            clusterOf(ctx).Scope(RepoMaintenanceID(location, repo)),
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		TypedSearchAttributes: ClusterAttrs(clusterOf(ctx), AttrKind.ValueSet(KindRepoMaintenance), AttrName.ValueSet(name),
			AttrPhase.ValueSet(PhaseInProgress), AttrStorageLocation.ValueSet(location)),
		StaticSummary: MaintenanceSummary(location, repo),
	})
	f := workflow.ExecuteChildWorkflow(cctx, RepoMaintenance, RepoMaintenanceInput{Location: location, Repository: repo})
	if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
		if alreadyStarted(err) {
			return PhaseInProgress
		}
		workflow.GetLogger(ctx).Warn("starting the maintenance of a repository", "repository", name, "error", err)
		return PhaseFailed
	}
	if err := f.Get(ctx, nil); err != nil {
		return PhaseFailed
	}
	return PhaseCompleted
}
