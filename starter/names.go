package starter

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/workflows"
)

// BackupNames lists the names of the backups Temporal knows, sorted: a
// cheap listing (one visibility query, no workflow described), for shell
// completion.
func (c *Client) BackupNames(ctx context.Context) ([]string, error) {
	return c.names(ctx, workflows.KindBackup)
}

// RestoreNames lists the names of the restores Temporal knows, sorted,
// as BackupNames does.
func (c *Client) RestoreNames(ctx context.Context) ([]string, error) {
	return c.names(ctx, workflows.KindRestore)
}

func (c *Client) names(ctx context.Context, kind string) ([]string, error) {
	var names []string
	err := c.list(ctx, kind, func(name string) error {
		names = append(names, name)
		return nil
	})
	slices.Sort(names)
	return names, err
}

// ScheduleNames lists the names of the backup schedules, sorted. Temporal
// lists schedules from its visibility store, so one created a moment ago
// may be missing.
func (c *Client) ScheduleNames(ctx context.Context) ([]string, error) {
	it, err := c.Temporal.ScheduleClient().List(ctx, client.ScheduleListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing schedules: %w", err)
	}
	var names []string
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("listing schedules: %w", err)
		}
		if name, ok := strings.CutPrefix(e.ID, c.scoped(workflows.ScheduleID(""))); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}
