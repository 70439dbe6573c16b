package activities

import (
	"context"
	"errors"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// RecordMaintenance counts the outcome of a maintenance run in the metrics
// and, for a failure, writes it into the repository's record (Phase
// NotReady with the reason), so that `cairn repo get` shows it. The record
// of a success was written by MaintainRepository under the lock. A record
// that cannot be written (the storage is down) fails the activity; the
// metrics are counted first.
func (m *Maintenance) RecordMaintenance(ctx context.Context, in RecordMaintenanceInput) error {
	if m.Metrics != nil {
		m.Metrics.MaintenanceDone(RepositoryName(in.Location, in.Repository), in.Succeeded, in.Duration, in.BytesRemoved, in.Completed)
	}
	if in.Succeeded {
		return nil
	}
	st, err := m.Locations.Resolve(ctx, in.Location)
	if IsLocationNotFound(err) {
		return nil // nowhere to record it
	}
	if err != nil {
		return err
	}
	if st.ReadOnly {
		return nil
	}
	records, err := st.Records()
	if err != nil {
		return err
	}
	rec, err := records.GetRepository(ctx, in.Repository)
	if errors.Is(err, metadata.ErrNotFound) {
		rec, err = &metadata.RepositoryRecord{Repository: in.Repository}, nil
	}
	if err != nil {
		return err
	}
	rec.Phase, rec.Message = metadata.RepositoryNotReady, in.Message
	rec.LastMaintenance, rec.LastResult = in.Completed, metadata.MaintenanceFailed
	return records.PutRepository(ctx, rec)
}
