package face

import (
	"context"
	"errors"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

// applySchedule carries a Schedule object's spec into its Temporal
// Schedule: a new object creates it (or fails validation, with the
// reason), an edited one changes its cron and backup template, and
// spec.paused pauses and unpauses it.
func (f *Face) applySchedule(ctx context.Context, s *velerov1.Schedule) error {
	if observed(s.ObjectMeta, s.Spec) {
		return nil
	}
	req, err := objects.ScheduleRequest(s)
	if err == nil {
		err = f.Cairn.CreateSchedule(ctx, req)
	}
	if errors.Is(err, starter.ErrExists) {
		// An edited spec: the Temporal Schedule takes its cron and template.
		if err = f.Cairn.UpdateSchedule(ctx, req); err == nil {
			err = f.applyPaused(ctx, s)
		}
	}
	if err != nil && !errors.Is(err, starter.ErrExists) {
		if ctx.Err() != nil || !validationError(err) {
			return err
		}
		s.Status = velerov1.ScheduleStatus{Phase: velerov1.SchedulePhaseFailedValidation, ValidationErrors: []string{err.Error()}}
	} else if s.Status.Phase != velerov1.SchedulePhaseEnabled {
		s.Status.Phase = velerov1.SchedulePhaseEnabled
	}
	return f.observeSchedule(ctx, s)
}

// validationError tells whether err is the schedule's fault, not Cairn's.
func validationError(err error) bool {
	return errors.Is(err, starter.ErrInvalidSchedule) || errors.Is(err, objects.ErrUnsupported)
}

// forgetSchedule deletes the Temporal Schedule of a Schedule object that
// was deleted (velero schedule delete, kubectl delete).
func (f *Face) forgetSchedule(ctx context.Context, name string) error {
	err := f.Cairn.DeleteSchedule(ctx, name)
	if errors.Is(err, starter.ErrNotFound) {
		return nil
	}
	return err
}

// applyPaused pauses or unpauses the Temporal Schedule as s says.
func (f *Face) applyPaused(ctx context.Context, s *velerov1.Schedule) error {
	cur, err := f.Cairn.DescribeSchedule(ctx, s.Name)
	switch {
	case err != nil:
		return err
	case cur.Paused == s.Spec.Paused:
		return nil
	case s.Spec.Paused:
		return f.Cairn.PauseSchedule(ctx, s.Name, "paused through its Schedule object")
	}
	return f.Cairn.UnpauseSchedule(ctx, s.Name, "unpaused through its Schedule object")
}

// observeSchedule writes s's status and marks its spec observed.
func (f *Face) observeSchedule(ctx context.Context, s *velerov1.Schedule) error {
	markObserved(&s.ObjectMeta, s.Spec)
	_, err := f.schedules.objects.Update(ctx, s)
	return err
}

// followSchedules makes a Schedule object of every Temporal Schedule
// without one and keeps their status (and, for an observed spec, paused)
// as Temporal has them; an observed object whose Temporal Schedule is gone
// goes too.
func (f *Face) followSchedules(ctx context.Context) {
	list, err := f.Cairn.ListSchedules(ctx)
	if err != nil {
		f.logger().Warn("listing schedules for their objects", "error", err)
		return
	}
	known := map[string]bool{}
	for _, s := range list {
		known[s.Name] = true
		if err := f.upsertSchedule(ctx, s); err != nil && ctx.Err() == nil {
			f.logger().Warn("writing a Schedule object", "name", s.Name, "error", err)
		}
	}
	for _, s := range f.schedules.all() {
		if !known[s.Name] && observed(s.ObjectMeta, s.Spec) && s.Status.Phase == velerov1.SchedulePhaseEnabled {
			_ = f.schedules.objects.Delete(ctx, s.Name)
		}
	}
}

func (f *Face) upsertSchedule(ctx context.Context, s starter.Schedule) error {
	want := objects.Schedule(s, f.Namespace)
	cur := f.schedules.cached(s.Name)
	if cur == nil {
		markObserved(&want.ObjectMeta, want.Spec)
		_, err := f.schedules.objects.Create(ctx, &want)
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	}
	if !observed(cur.ObjectMeta, cur.Spec) {
		return nil
	}
	changed := cur.Spec.Paused != s.Paused
	if changed {
		cur.Spec.Paused = s.Paused
		markObserved(&cur.ObjectMeta, cur.Spec)
	}
	if !changed && cur.Status.LastBackup.Equal(want.Status.LastBackup) && cur.Status.Phase == want.Status.Phase {
		return nil
	}
	cur.Status.Phase, cur.Status.LastBackup = want.Status.Phase, want.Status.LastBackup
	_, err := f.schedules.objects.Update(ctx, cur)
	return err
}
