package worker

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

// DefaultRepoMaintenanceFrequency is how often the repositories of each
// location are maintained unless told otherwise
// (--default-repo-maintain-frequency).
const DefaultRepoMaintenanceFrequency = 24 * time.Hour

// maintenanceControl implements activities.MaintenanceControl on Temporal:
// one Schedule per location (workflows.RepoMaintenanceScheduleID) runs
// MaintainLocation every frequency.
type maintenanceControl struct {
	c         client.Client
	cluster   cluster.Name
	frequency time.Duration
}

var _ activities.MaintenanceControl = maintenanceControl{}

// Request implements activities.MaintenanceControl.
func (m maintenanceControl) Request(ctx context.Context, location, repository string) error {
	_, err := (&starter.Client{Temporal: m.c, Cluster: m.cluster}).StartMaintenance(ctx, location, repository)
	return err
}

// ScheduledLocations implements activities.MaintenanceControl. Temporal
// lists schedules from its visibility store, so one created a moment ago
// may be missing.
func (m maintenanceControl) ScheduledLocations(ctx context.Context) ([]string, error) {
	it, err := m.c.ScheduleClient().List(ctx, client.ScheduleListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing schedules: %w", err)
	}
	var out []string
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("listing schedules: %w", err)
		}
		if loc, ok := strings.CutPrefix(e.ID, m.cluster.Scope(workflows.RepoMaintenanceScheduleID(""))); ok && !slices.Contains(out, loc) {
			out = append(out, loc)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Schedule implements activities.MaintenanceControl.
func (m maintenanceControl) Schedule(ctx context.Context, location string) error {
	if m.frequency < time.Second {
		return fmt.Errorf("repository maintenance frequency %v: use at least 1s", m.frequency)
	}
	return ensureIntervalSchedule(ctx, m.c, m.cluster.Scope(workflows.RepoMaintenanceScheduleID(location)), "repository maintenance",
		fmt.Sprintf("Cairn's repository maintenance of backup storage location %s: prunes and checks its repositories", location),
		m.frequency, &client.ScheduleWorkflowAction{
			ID: m.cluster.Scope(workflows.MaintainLocationID(location)), Workflow: workflows.MaintainLocation,
			Args:      []any{workflows.MaintainLocationInput{Location: location}},
			TaskQueue: m.cluster.Scope(workflows.TaskQueue),
			TypedSearchAttributes: workflows.ClusterAttrs(m.cluster, workflows.AttrKind.ValueSet(workflows.KindMaintainLocation),
				workflows.AttrStorageLocation.ValueSet(location)),
			StaticSummary: fmt.Sprintf("Maintain every repository of location %s (every %v)", location, m.frequency),
		})
}

// Unschedule implements activities.MaintenanceControl.
func (m maintenanceControl) Unschedule(ctx context.Context, location string) error {
	return DeleteRepoMaintenanceSchedule(ctx, m.c, m.cluster, location)
}

// DeleteRepoMaintenanceSchedule removes the maintenance schedule of
// location; a missing one is not an error. Running maintenances go on.
func DeleteRepoMaintenanceSchedule(ctx context.Context, c client.Client, cl cluster.Name, location string) error {
	err := c.ScheduleClient().GetHandle(ctx, cl.Scope(workflows.RepoMaintenanceScheduleID(location))).Delete(ctx)
	var nf *serviceerror.NotFound
	if err != nil && !errors.As(err, &nf) {
		return fmt.Errorf("removing the repository maintenance schedule of location %s: %w", location, err)
	}
	return nil
}

// EnsureRepoMaintenanceSchedules gives every location a maintenance
// schedule at frequency (creating it, or bringing it to that frequency)
// and removes the schedules of locations that are gone; with a negative
// frequency it removes them all. The worker calls it at start; the
// location validation keeps them in line afterwards
// (activities.Maintenance.ReconcileMaintenanceSchedules).
func EnsureRepoMaintenanceSchedules(ctx context.Context, c client.Client, cl cluster.Name, locs activities.LocationResolver, frequency time.Duration) error {
	mc := maintenanceControl{c: c, cluster: cl, frequency: frequency}
	names, err := locs.Names(ctx)
	if err != nil {
		return fmt.Errorf("listing the backup storage locations: %w", err)
	}
	if frequency < 0 {
		names = nil
	}
	for _, n := range names {
		if err := mc.Schedule(ctx, n); err != nil {
			return err
		}
	}
	scheduled, err := mc.ScheduledLocations(ctx)
	if err != nil {
		return err
	}
	for _, n := range scheduled {
		if !slices.Contains(names, n) {
			if err := mc.Unschedule(ctx, n); err != nil {
				return err
			}
		}
	}
	return nil
}
