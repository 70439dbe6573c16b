package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// ensureIntervalSchedule creates the Temporal Schedule id that starts
// action every frequency, or brings an existing one to that frequency and
// action. Any number of workers may call it at once: the schedule ID is
// fixed, so there is only ever one. The schedule lives in Temporal and so
// survives worker restarts; overlapping runs are skipped. what names the
// schedule in errors.
func ensureIntervalSchedule(ctx context.Context, c client.Client, id, what, note string, frequency time.Duration,
	action *client.ScheduleWorkflowAction) error {
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: frequency}}}
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: id, Spec: spec, Action: action,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP, CatchupWindow: 10 * time.Minute,
		Note: note,
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		if err != nil {
			return fmt.Errorf("creating the %s schedule %s: %w", what, id, err)
		}
		return nil
	}
	h := c.ScheduleClient().GetHandle(ctx, id)
	err = h.Update(ctx, client.ScheduleUpdateOptions{DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
		s := in.Description.Schedule
		if s.Spec != nil && len(s.Spec.Intervals) == 1 && s.Spec.Intervals[0].Every == frequency &&
			len(s.Spec.Calendars) == 0 && len(s.Spec.CronExpressions) == 0 {
			return nil, temporal.ErrSkipScheduleUpdate
		}
		s.Spec, s.Action = &spec, action
		return &client.ScheduleUpdate{Schedule: &s}, nil
	}})
	if err != nil {
		return fmt.Errorf("updating the %s schedule %s: %w", what, id, err)
	}
	return nil
}
