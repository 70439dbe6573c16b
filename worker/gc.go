package worker

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/workflows"
)

// DefaultGCFrequency is how often the garbage collection looks for expired
// backups unless told otherwise: hourly, as Velero's
// --garbage-collection-frequency.
const DefaultGCFrequency = time.Hour

// gcRunTimeout bounds one garbage collection run.
const gcRunTimeout = 30 * time.Minute

// EnsureGCSchedule creates the Temporal Schedule that runs the Expire
// workflow every frequency, or brings an existing one to that frequency.
// Any number of workers may call it at once: the schedule ID is fixed, so
// there is only ever one. The schedule lives in Temporal and so survives
// worker restarts; overlapping runs are skipped.
func EnsureGCSchedule(ctx context.Context, c client.Client, cl cluster.Name, frequency time.Duration) error {
	if frequency < time.Second {
		return fmt.Errorf("garbage collection frequency %v: use at least 1s", frequency)
	}
	return ensureIntervalSchedule(ctx, c, cl.Scope(workflows.GCScheduleID), "garbage collection",
		"Cairn's garbage collection: deletes expired backups", frequency, &client.ScheduleWorkflowAction{
			ID: cl.Scope(workflows.GCScheduleID), Workflow: workflows.Expire, Args: []any{workflows.ExpireInput{}},
			TaskQueue: cl.Scope(workflows.TaskQueue), WorkflowExecutionTimeout: gcRunTimeout,
			TypedSearchAttributes: workflows.ClusterAttrs(cl, workflows.AttrKind.ValueSet(workflows.KindExpire)),
			StaticSummary:         fmt.Sprintf("Garbage collection: delete the backups past their TTL (every %v)", frequency),
		})
}
