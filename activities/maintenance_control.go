package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// RequestMaintenance asks for the maintenance of each repository of the
// input (a deletion does once it removed enough snapshots): one starts, or
// the one running runs again when done.
func (m *Maintenance) RequestMaintenance(ctx context.Context, in RequestMaintenanceInput) error {
	var errs []error
	for _, r := range in.Repositories {
		if err := m.Control.Request(ctx, in.Location, r); err != nil {
			errs = append(errs, fmt.Errorf("asking for the maintenance of %s: %w", RepositoryName(in.Location, r), err))
		}
	}
	return errors.Join(errs...)
}

// ReconcileMaintenanceSchedules gives every location its maintenance
// schedule and removes the schedules of locations that are gone (all of
// them when periodic maintenance is off). The location validation runs it
// every minute, so a location created or deleted with kubectl gets or
// loses its schedule soon.
func (m *Maintenance) ReconcileMaintenanceSchedules(ctx context.Context, _ ReconcileSchedulesInput) (ReconcileSchedulesResult, error) {
	var res ReconcileSchedulesResult
	names, err := m.Locations.Names(ctx)
	if err != nil {
		return res, err
	}
	if m.NoSchedules {
		names = nil
	}
	scheduled, err := m.Control.ScheduledLocations(ctx)
	if err != nil {
		return res, err
	}
	var errs []error
	for _, n := range names {
		if slices.Contains(scheduled, n) {
			continue
		}
		if err := m.Control.Schedule(ctx, n); err != nil {
			errs = append(errs, err)
			continue
		}
		res.Created = append(res.Created, n)
	}
	for _, n := range scheduled {
		if slices.Contains(names, n) {
			continue
		}
		if err := m.Control.Unschedule(ctx, n); err != nil {
			errs = append(errs, err)
			continue
		}
		res.Removed = append(res.Removed, n)
	}
	return res, errors.Join(errs...)
}
