package starter

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// StartMaintenance starts the maintenance of the repository in
// restic/<repository> of location, or, while one runs, has it pass once
// more when done (signal-with-start of workflows.MaintainSignal). The run
// it returns follows those passes: its Get returns once the last ends.
func (c *Client) StartMaintenance(ctx context.Context, location, repository string) (client.WorkflowRun, error) {
	id := workflows.RepoMaintenanceID(location, repository)
	run, err := c.Temporal.SignalWithStartWorkflow(ctx, c.scoped(id), workflows.MaintainSignal, nil, client.StartWorkflowOptions{
		ID:                    c.scoped(id),
		TaskQueue:             c.taskQueue(),
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		TypedSearchAttributes: c.attrs(
			workflows.AttrKind.ValueSet(workflows.KindRepoMaintenance),
			workflows.AttrName.ValueSet(activities.RepositoryName(location, repository)),
			workflows.AttrPhase.ValueSet(workflows.PhaseInProgress), workflows.AttrStorageLocation.ValueSet(location)),
		StaticSummary: workflows.MaintenanceSummary(location, repository),
	}, workflows.RepoMaintenance, workflows.RepoMaintenanceInput{Location: location, Repository: repository})
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", id, err)
	}
	return run, nil
}

// WaitMaintenance waits until run (from StartMaintenance) ends and returns
// its result, also when it failed (Phase and FailureReason say why).
func (c *Client) WaitMaintenance(ctx context.Context, run client.WorkflowRun) (workflows.RepoMaintenanceResult, error) {
	var res workflows.RepoMaintenanceResult
	err := run.Get(ctx, &res)
	if err != nil && workflows.ResultOf(err, &res) {
		return res, nil
	}
	return res, err
}

// FindRepositories resolves names as `cairn repo maintain` takes them, each
// a repository's name (as RepositoryName makes it) or
// <location>/<folder under restic/>, among the repositories of the
// locations; all of them when all is set.
func (c *Client) FindRepositories(ctx context.Context, names []string, all bool) ([]Repository, error) {
	if c.Locations == nil {
		return nil, errNoLocations
	}
	list, err := c.ListRepositories(ctx)
	if err != nil {
		return nil, err
	}
	var out []Repository
	for _, r := range list {
		if all && r.inLocation {
			out = append(out, r)
		}
	}
	var errs []error
	for _, n := range names {
		var found []Repository
		for _, r := range list {
			if r.inLocation && (r.Name == n || r.Location+"/"+r.Repository == n) {
				found = append(found, r)
			}
		}
		switch len(found) {
		case 0:
			errs = append(errs, fmt.Errorf("repository %q: %w (cairn repo get lists them)", n, ErrNotFound))
		case 1:
			out = append(out, found[0])
		default:
			errs = append(errs, fmt.Errorf("repository name %q is ambiguous: name it <location>/<folder>: %s/%s or %s/%s",
				n, found[0].Location, found[0].Repository, found[1].Location, found[1].Repository))
		}
	}
	return out, errors.Join(errs...)
}
