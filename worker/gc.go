package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/workflows"
)

// DefaultGCFrequency is how often the garbage collection looks for expired
// backups unless told otherwise.
const DefaultGCFrequency = time.Minute

// gcRunTimeout bounds one garbage collection run.
const gcRunTimeout = 30 * time.Minute

// EnsureGCSchedule creates the Temporal Schedule that runs the Expire
// workflow every frequency, or brings an existing one to that frequency.
// Any number of workers may call it at once: the schedule ID is fixed, so
// there is only ever one. The schedule lives in Temporal and so survives
// worker restarts; overlapping runs are skipped.
func EnsureGCSchedule(ctx context.Context, c client.Client, frequency time.Duration) error {
	if frequency < time.Second {
		return fmt.Errorf("garbage collection frequency %v: use at least 1s", frequency)
	}
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: frequency}}}
	action := &client.ScheduleWorkflowAction{
		ID: workflows.GCScheduleID, Workflow: workflows.Expire, Args: []any{workflows.ExpireInput{}},
		TaskQueue: workflows.TaskQueue, WorkflowExecutionTimeout: gcRunTimeout,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.AttrKind.ValueSet(workflows.KindExpire)),
	}
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: workflows.GCScheduleID, Spec: spec, Action: action,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP, CatchupWindow: 10 * time.Minute,
		Note: "Cairn's garbage collection: deletes expired backups",
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		if err != nil {
			return fmt.Errorf("creating the garbage collection schedule %s: %w", workflows.GCScheduleID, err)
		}
		return nil
	}
	h := c.ScheduleClient().GetHandle(ctx, workflows.GCScheduleID)
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
		return fmt.Errorf("updating the garbage collection schedule %s: %w", workflows.GCScheduleID, err)
	}
	return nil
}
