package activities

import (
	"context"
	"time"

	"github.com/cairn-backup/cairn/activities/locations"
)

// LocationValidation checks the backup storage locations periodically, as
// Velero's controller validates its BackupStorageLocations.
type LocationValidation struct {
	Store *locations.Store
	// Now stamps the validations; time.Now when nil.
	Now func() time.Time
}

// ValidateLocationsInput asks for one validation of every location.
type ValidateLocationsInput struct{}

// ValidateLocationsResult names the locations by outcome. The reasons stay
// in the locations' status, out of Temporal's history.
type ValidateLocationsResult struct {
	Available   []string `json:",omitempty"`
	Unavailable []string `json:",omitempty"`
}

// ValidateLocations checks every location and records in its status the
// phase (Available or Unavailable), the time and the reason, heartbeating
// while it works. Each check is bounded by locations.CheckTimeout.
func (v *LocationValidation) ValidateLocations(ctx context.Context, _ ValidateLocationsInput) (ValidateLocationsResult, error) {
	now := v.Now
	if now == nil {
		now = time.Now
	}
	locs, err := heartbeating(ctx, "validate locations", func(ctx context.Context) ([]locations.Location, error) {
		return locations.ValidateAll(ctx, v.Store, now)
	})
	var res ValidateLocationsResult
	for _, l := range locs {
		if l.Status.Phase == locations.Available {
			res.Available = append(res.Available, l.Name)
		} else {
			res.Unavailable = append(res.Unavailable, l.Name)
		}
	}
	return res, err
}
