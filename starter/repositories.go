package starter

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/workflows"
)

// Repository is what `cairn repo get` shows of one repository, as Velero's
// `velero repo get` shows a BackupRepository.
type Repository struct {
	// Name is activities.RepositoryName: <namespace>-<location>-restic.
	Name     string
	Location string
	// Namespace is the namespace whose pod volumes it holds; empty for the
	// resources repository.
	Namespace string `json:",omitempty"`
	// Repository is its folder under restic/ of the location.
	Repository string
	// Phase is New (never maintained), Ready, NotReady (its last
	// maintenance failed: Message says why), or, while a maintenance runs,
	// InProgress or WaitingForLock (Message names the holder).
	Phase           string
	Message         string    `json:",omitempty"`
	LastMaintenance time.Time `json:",omitzero"`
	// LastResult is Succeeded or Failed.
	LastResult string `json:",omitempty"`
	// Size is the stored size of its packs after the last successful
	// maintenance, Reclaimed what that maintenance's prune removed.
	Size      uint64
	Reclaimed uint64
	// inLocation is set for a repository a location holds, as opposed to
	// one only Temporal remembers.
	inLocation bool
}

// ListRepositories returns every repository the control plane knows: the
// folders under restic/ of every location with their maintenance records
// (read straight from object storage, so that no secret passes through
// Temporal), merged with the maintenance workflows Temporal retains (a
// running one gives the live phase; a newer outcome than the record's wins,
// which is how a location whose storage is down still shows why). A
// location that cannot be read is reported through c.Warn.
func (c *Client) ListRepositories(ctx context.Context) ([]Repository, error) {
	known := map[string]*Repository{}
	get := func(loc, folder string) *Repository {
		key := loc + "/" + folder
		if r, ok := known[key]; ok {
			return r
		}
		r := &Repository{Name: activities.RepositoryName(loc, folder), Location: loc, Repository: folder,
			Namespace: activities.RepositoryNamespace(folder), Phase: metadata.RepositoryNew}
		known[key] = r
		return r
	}
	if c.Locations != nil {
		names, err := c.Locations.Names(ctx)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if err := c.locationRepositories(ctx, n, get); err != nil {
				c.warn(err)
			}
		}
	}
	err := c.maintenanceRuns(ctx, func(res workflows.RepoMaintenanceResult, running bool) {
		mergeRun(get(res.Location, res.Repository), res, running)
	})
	out := make([]Repository, 0, len(known))
	for _, r := range known {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Repository) int {
		return cmp.Or(strings.Compare(a.Location, b.Location), strings.Compare(a.Repository, b.Repository))
	})
	return out, err
}

// locationRepositories adds the repositories of location name, with what
// their records say.
func (c *Client) locationRepositories(ctx context.Context, name string, get func(loc, folder string) *Repository) error {
	st, err := c.Locations.Resolve(ctx, name)
	if err != nil {
		return err
	}
	folders, err := activities.LocationRepositories(ctx, st)
	if err != nil {
		return err
	}
	records, err := st.Records()
	if err != nil {
		return err
	}
	recs, err := records.ListRepositories(ctx)
	if err != nil {
		return fmt.Errorf("location %s: reading the repository records: %w", name, err)
	}
	for _, f := range folders {
		r := get(st.Name, f)
		r.inLocation = true
		if rec, ok := recs[f]; ok {
			fromRecord(r, rec)
		}
	}
	return nil
}

// fromRecord fills r from its record.
func fromRecord(r *Repository, rec *metadata.RepositoryRecord) {
	r.Phase = cmp.Or(rec.Phase, metadata.RepositoryNew)
	r.Message, r.LastMaintenance, r.LastResult = rec.Message, rec.LastMaintenance, rec.LastResult
	r.Size, r.Reclaimed = rec.Size, rec.Reclaimed
}

// mergeRun brings r up to a maintenance run: a running one's phase, or a
// finished one's outcome when it is newer than the record's.
func mergeRun(r *Repository, res workflows.RepoMaintenanceResult, running bool) {
	if running {
		r.Phase, r.Message = res.Phase, res.Waiting
		return
	}
	if res.Completed.IsZero() || res.Completed.Before(r.LastMaintenance) {
		return
	}
	r.LastMaintenance = res.Completed
	if res.Phase == workflows.PhaseCompleted {
		r.Phase, r.LastResult, r.Message = metadata.RepositoryReady, metadata.MaintenanceSucceeded, ""
		r.Size, r.Reclaimed = res.SizeAfter, res.BytesRemoved
		return
	}
	r.Phase, r.LastResult, r.Message = metadata.RepositoryNotReady, metadata.MaintenanceFailed, res.FailureReason
}

// maintenanceRuns calls fn with the state of the latest run of every
// maintenance workflow Temporal knows; runs without one (terminated) are
// reported through c.Warn.
func (c *Client) maintenanceRuns(ctx context.Context, fn func(res workflows.RepoMaintenanceResult, running bool)) error {
	ids, err := c.maintenanceIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		var res workflows.RepoMaintenanceResult
		running, err := c.describeRun(ctx, id, &res)
		switch {
		case errors.Is(err, ErrNotFound):
			continue // removed since the listing
		case err != nil: // terminated, for one
			c.warn(fmt.Errorf("maintenance %s: %w", id, err))
			continue
		}
		if res.Location != "" && res.Repository != "" {
			fn(res, running)
		}
	}
	return nil
}

// maintenanceIDs lists the IDs of the maintenance workflows, each once.
func (c *Client) maintenanceIDs(ctx context.Context) ([]string, error) {
	query := fmt.Sprintf("%s = '%s'", workflows.AttrKind.GetName(), workflows.KindRepoMaintenance)
	var ids []string
	var token []byte
	for {
		resp, err := c.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: c.Cluster.Query(query), NextPageToken: token})
		if err != nil {
			return nil, fmt.Errorf("listing the repository maintenances: %w", err)
		}
		for _, e := range resp.GetExecutions() {
			if id, ok := c.unscoped(e.GetExecution().GetWorkflowId()); ok && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return ids, nil
		}
	}
}

// describeRun is describe that also tells whether the run is running.
func (c *Client) describeRun(ctx context.Context, id string, res *workflows.RepoMaintenanceResult) (bool, error) {
	if err := c.describe(ctx, id, res); err != nil {
		return false, err
	}
	return res.Completed.IsZero(), nil
}
