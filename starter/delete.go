package starter

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/workflows"
)

// StartDelete starts the deletion of backup name, or joins the one already
// running (the garbage collection may have started it).
func (c *Client) StartDelete(ctx context.Context, name string) error {
	return c.startOrJoin(ctx, workflows.DeleteID(name), workflows.Delete, workflows.DeleteInput{Name: name},
		c.attrs(workflows.DeleteAttrs(name, "", c.backupSchedule(ctx, name))...),
		workflows.DeleteSummary(name, ""))
}

// backupSchedule is the schedule that took backup name, as its workflow's
// CairnSchedule or, once Temporal forgot it, its record says; empty when
// neither knows one.
func (c *Client) backupSchedule(ctx context.Context, name string) string {
	d, err := c.Temporal.DescribeWorkflowExecution(ctx, c.scoped(workflows.BackupID(name)), "")
	if err == nil {
		return keyword(d.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields(), workflows.AttrSchedule.GetName())
	}
	if c.Locations == nil {
		return ""
	}
	rec, err := c.BackupRecord(ctx, name)
	if err != nil {
		return ""
	}
	return rec.Spec.Labels[metadata.ScheduleLabel]
}

// startOrJoin starts workflow id, or joins the one of that ID that runs:
// a deletion, which may be asked for again while it runs.
func (c *Client) startOrJoin(ctx context.Context, id string, wf, in any, attrs temporal.SearchAttributes, summary string) error {
	_, err := c.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       c.scoped(id),
		TaskQueue:                c.taskQueue(),
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		TypedSearchAttributes:    attrs,
		StaticSummary:            summary,
	}, wf, in)
	if err != nil {
		return fmt.Errorf("starting %s: %w", id, err)
	}
	return nil
}

// WaitDelete waits until the deletion of backup name ends and returns its
// result, also when it failed or was refused (Phase and FailureReason say
// why).
func (c *Client) WaitDelete(ctx context.Context, name string) (workflows.DeleteResult, error) {
	var res workflows.DeleteResult
	return res, c.wait(ctx, workflows.DeleteID(name), &res)
}
