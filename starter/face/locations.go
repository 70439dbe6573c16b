package face

import (
	"context"
	"errors"
	"reflect"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cairn-backup/cairn/activities/locations"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// applyLocation carries a BackupStorageLocation object's spec into Cairn's
// location of that name, creating or updating it; a spec Cairn refuses
// makes the object Unavailable with the reason. Cairn's validation loop
// judges the storage itself, and the follower writes what it finds.
func (f *Face) applyLocation(ctx context.Context, b *velerov1.BackupStorageLocation) error {
	if observed(b.ObjectMeta, b.Spec) {
		return nil
	}
	want := objects.Location(b)
	cur, err := f.Locations.Get(ctx, b.Name)
	switch {
	case errors.Is(err, locations.ErrNotFound):
		_, err = f.Locations.Create(ctx, want)
	case err == nil && !reflect.DeepEqual(cur.Spec, mergeSpec(cur.Spec, want.Spec)):
		want.ResourceVersion, want.Spec = cur.ResourceVersion, mergeSpec(cur.Spec, want.Spec)
		_, err = f.Locations.Update(ctx, want)
	}
	if err != nil {
		if !errors.Is(err, locations.ErrInvalid) {
			return err
		}
		b.Status = velerov1.BackupStorageLocationStatus{Phase: velerov1.BackupStorageLocationPhaseUnavailable, Message: err.Error()}
	}
	markObserved(&b.ObjectMeta, b.Spec)
	_, err = f.bsls.objects.Update(ctx, b)
	return err
}

// mergeSpec is spec as the object asks, keeping what only Cairn's
// location holds (its repository password).
func mergeSpec(cur, want locations.Spec) locations.Spec {
	want.RepositoryPassword = cur.RepositoryPassword
	return want
}

// forgetLocation deletes Cairn's location of a deleted
// BackupStorageLocation object; the data in its storage stays.
func (f *Face) forgetLocation(ctx context.Context, name string) error {
	err := f.Locations.Delete(ctx, name)
	if errors.Is(err, locations.ErrNotFound) {
		return nil
	}
	return err
}

// followLocations makes a BackupStorageLocation object of every location
// without one and writes each location's validation into its status.
func (f *Face) followLocations(ctx context.Context) {
	list, err := f.Locations.List(ctx)
	if err != nil {
		f.logger().Warn("listing backup storage locations for their objects", "error", err)
		return
	}
	for _, l := range list {
		if err := f.upsertLocation(ctx, l); err != nil && ctx.Err() == nil {
			f.logger().Warn("writing a BackupStorageLocation object", "name", l.Name, "error", err)
		}
	}
}

func (f *Face) upsertLocation(ctx context.Context, l locations.Location) error {
	want := objects.BackupStorageLocation(l, f.Namespace)
	cur := f.bsls.cached(l.Name)
	if cur == nil {
		markObserved(&want.ObjectMeta, want.Spec)
		_, err := f.bsls.objects.Create(ctx, &want)
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	}
	if !observed(cur.ObjectMeta, cur.Spec) {
		return nil // the user's change, which applyLocation carries into Cairn
	}
	// Velero's periods mean nothing to Cairn, which keeps its own; they
	// stay as the user wrote them.
	want.Spec.BackupSyncPeriod, want.Spec.ValidationFrequency = cur.Spec.BackupSyncPeriod, cur.Spec.ValidationFrequency
	if sameJSON(cur.Spec, want.Spec) && sameJSON(cur.Status, want.Status) {
		return nil
	}
	cur.Spec, cur.Status = want.Spec, want.Status
	markObserved(&cur.ObjectMeta, cur.Spec)
	_, err := f.bsls.objects.Update(ctx, cur)
	return err
}
