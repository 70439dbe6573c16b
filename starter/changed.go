package starter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/cairn-backup/cairn/workflows"
)

// BackupsChangedSince returns the state of the backups that Temporal has
// running, or that ended at or after since: what a follower of their
// status needs, at the cost of one visibility query and one description
// per backup in it.
func (c *Client) BackupsChangedSince(ctx context.Context, since time.Time) ([]workflows.BackupResult, error) {
	return changedSince(ctx, c, workflows.KindBackup, since, c.DescribeBackup)
}

// RestoresChangedSince is BackupsChangedSince for restores.
func (c *Client) RestoresChangedSince(ctx context.Context, since time.Time) ([]workflows.RestoreResult, error) {
	return changedSince(ctx, c, workflows.KindRestore, since, c.DescribeRestore)
}

func changedSince[T any](ctx context.Context, c *Client, kind string, since time.Time,
	describe func(context.Context, string) (T, error),
) ([]T, error) {
	query := fmt.Sprintf("%s = '%s' AND (ExecutionStatus = 'Running' OR CloseTime >= '%s')",
		workflows.AttrKind.GetName(), kind, since.UTC().Format(time.RFC3339))
	var out []T
	err := c.listQuery(ctx, query, kind, func(name string) error {
		res, err := describe(ctx, name)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		out = append(out, res)
		return err
	})
	return out, err
}

// listQuery calls fn with the name of every workflow of kind that query
// finds.
func (c *Client) listQuery(ctx context.Context, query, kind string, fn func(name string) error) error {
	var token []byte
	for {
		resp, err := c.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: c.Cluster.Query(query), NextPageToken: token})
		if err != nil {
			return fmt.Errorf("listing %ss: %w", kind, err)
		}
		for _, e := range resp.GetExecutions() {
			id, _ := c.unscoped(e.GetExecution().GetWorkflowId())
			name, ok := strings.CutPrefix(id, kind+"/")
			if !ok {
				continue
			}
			if err := fn(name); err != nil {
				return err
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return nil
		}
	}
}
