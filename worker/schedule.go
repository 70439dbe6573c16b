package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// ensureIntervalSchedule creates the Temporal Schedule id that starts
// action every frequency, or brings an existing one to that frequency and
// action. Any number of workers may call it at once: the schedule ID is
// fixed, so there is only ever one. The schedule lives in Temporal and so
// survives worker restarts; overlapping runs are skipped. what names the
// schedule in errors.
//
// A Temporal server that has just started times out or answers "Not
// enough hosts to serve the request" until its services have found each
// other, so transient failures are retried for up to scheduleSetupTimeout.
func ensureIntervalSchedule(ctx context.Context, c client.Client, id, what, note string, frequency time.Duration,
	action *client.ScheduleWorkflowAction) error {
	return retryTransient(ctx, scheduleSetupTimeout, time.Second, func() error {
		return ensureIntervalScheduleOnce(ctx, c, id, what, note, frequency, action)
	})
}

// scheduleSetupTimeout bounds the retries of a schedule's setup.
const scheduleSetupTimeout = 2 * time.Minute

// retryTransient calls f until it succeeds, fails with an error that is
// not transient, ctx ends or timeout has passed, waiting delay (doubling,
// at most 10 s) between calls. It returns f's last error.
func retryTransient(ctx context.Context, timeout, delay time.Duration, f func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := f()
		if err == nil || !transient(err) || ctx.Err() != nil || time.Now().Add(delay).After(deadline) {
			return err
		}
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return err
		}
		delay = min(2*delay, 10*time.Second)
	}
}

// transient reports whether a Temporal call may succeed if repeated: the
// server is unavailable, overloaded or did not answer in time.
func transient(err error) bool {
	var unavailable *serviceerror.Unavailable
	var exhausted *serviceerror.ResourceExhausted
	var deadline *serviceerror.DeadlineExceeded
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &unavailable) ||
		errors.As(err, &exhausted) || errors.As(err, &deadline)
}

func ensureIntervalScheduleOnce(ctx context.Context, c client.Client, id, what, note string, frequency time.Duration,
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
