package face

import (
	"context"
	"errors"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

// startRestore starts the restore workflow of a new Restore object, as
// startBackup does for backups.
func (f *Face) startRestore(ctx context.Context, r *velerov1.Restore) error {
	if r.Status.Phase != "" && r.Status.Phase != velerov1.RestorePhaseNew {
		return nil
	}
	if r.Spec.BackupName == "" && r.Spec.ScheduleName != "" {
		r.Spec.BackupName = f.latestBackup(r.Spec.ScheduleName)
	}
	in, err := objects.RestoreInput(r)
	if err == nil {
		err = f.Cairn.StartRestore(ctx, in)
	}
	switch {
	case errors.Is(err, starter.ErrExists):
		return nil
	case err != nil && in.Name == "":
		r.Status = objects.RestoreStatus(workflows.RestoreResult{Phase: workflows.PhaseFailedValidation, FailureReason: err.Error()})
	case err != nil:
		return err
	default:
		r.Status.Phase = velerov1.RestorePhaseInProgress
	}
	_, err = f.restores.objects.UpdateStatus(ctx, r)
	return err
}

// latestBackup names the newest Completed backup of schedule, as Velero
// picks it for a restore --from-schedule; "" when there is none (the
// restore then fails validation, naming spec.backupName).
func (f *Face) latestBackup(schedule string) string {
	var name string
	var newest time.Time
	for _, b := range f.backups.all() {
		start := b.Status.StartTimestamp
		if b.Labels[velerov1.ScheduleNameLabel] != schedule || b.Status.Phase != velerov1.BackupPhaseCompleted || start == nil {
			continue
		}
		if start.Time.After(newest) {
			name, newest = b.Name, start.Time
		}
	}
	return name
}

// forgetRestore deletes the records of a restore whose object was deleted
// (velero restore delete); the restored objects stay, and a restore that
// still runs is refused by the deletion, as `cairn restore delete` is.
func (f *Face) forgetRestore(ctx context.Context, name string) error {
	if f.gone.recent(restoreKey(name)) {
		return nil
	}
	f.gone.add(restoreKey(name))
	return f.Cairn.StartDeleteRestore(ctx, name)
}

// restoreKey keeps restores and backups of one name apart in f.gone.
func restoreKey(name string) string { return "restore/" + name }

// followRestores writes the state of the restores that changed (all of
// them when full) into their objects, making those missing; a full follow
// removes the objects of finished restores nothing knows any more.
func (f *Face) followRestores(ctx context.Context, full bool) {
	var (
		results []workflows.RestoreResult
		err     error
	)
	if full {
		results, err = f.Cairn.ListRestores(ctx)
	} else {
		results, err = f.Cairn.RestoresChangedSince(ctx, f.since())
	}
	if err != nil {
		f.logger().Warn("listing restores for their objects", "error", err)
	}
	known := map[string]bool{}
	for _, res := range results {
		known[res.Name] = true
		if err := f.upsertRestore(ctx, res); err != nil && ctx.Err() == nil {
			f.logger().Warn("writing a Restore object", "name", res.Name, "error", err)
		}
	}
	if !full || err != nil {
		return
	}
	for _, r := range f.restores.all() {
		p := r.Status.Phase
		if !known[r.Name] && objects.RestoreFinished(p) && p != velerov1.RestorePhaseFailedValidation {
			f.gone.add(restoreKey(r.Name)) // Cairn forgot it: nothing to delete
			_ = f.restores.objects.Delete(ctx, r.Name)
		}
	}
}

func (f *Face) upsertRestore(ctx context.Context, res workflows.RestoreResult) error {
	if f.gone.recent(restoreKey(res.Name)) {
		return nil
	}
	want := objects.Restore(res, f.Namespace)
	cur := f.restores.cached(res.Name)
	if cur == nil {
		_, err := f.restores.objects.Create(ctx, &want)
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	}
	if sameJSON(cur.Status, want.Status) {
		return nil
	}
	cur.Status = want.Status
	_, err := f.restores.objects.UpdateStatus(ctx, cur)
	return err
}
