package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// ListExpiredInput asks for the backups expired at Now.
type ListExpiredInput struct {
	Now time.Time
	// Limit bounds the backups returned; zero means no bound.
	Limit int `json:",omitempty"`
}

// ExpiredBackup is a backup past its expiration.
type ExpiredBackup struct {
	Name            string
	StorageLocation string
	Expiration      time.Time
	// Schedule is the schedule that took the backup, if any.
	Schedule string `json:",omitempty"`
}

// ListExpiredResult lists the expired backups, oldest expiration of each
// location first, and explains those left alone.
type ListExpiredResult struct {
	Backups []ExpiredBackup `json:",omitempty"`
	// Skipped are "<location>/<backup>: <why>" lines, as Velero's
	// velero.io/gc-failure label says why GC left a backup.
	Skipped []string `json:",omitempty"`
}

// ListExpiredBackups reads the records of every backup storage location
// and returns the backups whose expiration is not after in.Now. Backups in
// a read-only location are skipped (Velero's BSLReadOnly), as are those of
// a location that cannot be read this time (BSLCannotGet); the next run
// tries again.
func (d *Deletion) ListExpiredBackups(ctx context.Context, in ListExpiredInput) (ListExpiredResult, error) {
	var res ListExpiredResult
	names, err := d.Locations.Names(ctx)
	if err != nil {
		return res, err
	}
	for _, loc := range names {
		expired, err := expiredIn(ctx, d.Locations, loc, in.Now)
		if err != nil {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: cannot read the location: %v", loc, err))
			continue
		}
		for _, b := range expired {
			if in.Limit > 0 && len(res.Backups) >= in.Limit {
				return res, nil
			}
			if b.readOnly {
				res.Skipped = append(res.Skipped, fmt.Sprintf("%s/%s: the location is read-only", loc, b.Name))
				continue
			}
			res.Backups = append(res.Backups, b.ExpiredBackup)
		}
	}
	return res, nil
}

type expiredBackup struct {
	ExpiredBackup
	readOnly bool
}

// expiredIn lists the expired backups of location loc.
func expiredIn(ctx context.Context, locs LocationResolver, loc string, now time.Time) ([]expiredBackup, error) {
	st, err := locs.Resolve(ctx, loc)
	if err != nil {
		return nil, err
	}
	records, err := st.Records()
	if err != nil {
		return nil, err
	}
	names, err := records.ListBackups(ctx)
	if err != nil {
		return nil, err
	}
	var out []expiredBackup
	for _, name := range names {
		b, err := records.GetBackup(ctx, name)
		if errors.Is(err, metadata.ErrBackupNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		exp := b.Status.Expiration
		if exp == nil || exp.After(now) {
			continue
		}
		out = append(out, expiredBackup{
			ExpiredBackup: ExpiredBackup{Name: name, StorageLocation: st.Name, Expiration: exp.Time, Schedule: b.Schedule()},
			readOnly:      st.ReadOnly,
		})
	}
	slices.SortStableFunc(out, func(a, b expiredBackup) int { return a.Expiration.Compare(b.Expiration) })
	return out, nil
}
