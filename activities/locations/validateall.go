package locations

import (
	"context"
	"errors"
	"time"
)

// ValidateAll checks every location and records the outcome in its status,
// stamped with now(). It returns the locations with their new status; a
// location deleted meanwhile is left out. Failing to record a status does
// not stop the others; the error then joins every failure.
func ValidateAll(ctx context.Context, store *Store, now func() time.Time) ([]Location, error) {
	locs, err := store.List(ctx)
	if err != nil {
		return nil, err
	}
	var errs []error
	out := make([]Location, 0, len(locs))
	for _, loc := range locs {
		if err := ctx.Err(); err != nil {
			return out, errors.Join(append(errs, err)...)
		}
		st := store.Check(ctx, loc)
		st.LastValidationTime = now().UTC().Truncate(time.Second)
		err := store.SetStatus(ctx, loc.Name, st)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			errs = append(errs, err)
			continue
		}
		loc.Status = st
		out = append(out, loc)
	}
	return out, errors.Join(errs...)
}
