package starter

import (
	"context"

	"github.com/cairn-backup/cairn/workflows"
)

// StartDeleteRestore starts the deletion of restore name, or joins the one
// already running.
func (c *Client) StartDeleteRestore(ctx context.Context, name string) error {
	return c.startOrJoin(ctx, workflows.DeleteRestoreID(name), workflows.DeleteRestore, workflows.DeleteRestoreInput{Name: name},
		c.attrs(
			workflows.AttrKind.ValueSet(workflows.KindDeleteRestore), workflows.AttrName.ValueSet(name),
			workflows.AttrPhase.ValueSet(workflows.PhaseInProgress)),
		workflows.DeleteRestoreSummary(name))
}

// WaitDeleteRestore waits until the deletion of restore name ends and
// returns its result, also when it was refused (Phase and FailureReason
// say why).
func (c *Client) WaitDeleteRestore(ctx context.Context, name string) (workflows.DeleteRestoreResult, error) {
	var res workflows.DeleteRestoreResult
	return res, c.wait(ctx, workflows.DeleteRestoreID(name), &res)
}
