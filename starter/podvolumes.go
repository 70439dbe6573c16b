package starter

import (
	"go.temporal.io/sdk/converter"

	"context"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// LiveVolumes returns the last heartbeat of each pod volume a running
// backup's or restore's node agents are working on, keyed by
// "namespace/pod/volume". It is empty once the workflow has ended.
func (c *Client) LiveVolumes(ctx context.Context, workflowID string) (map[string]activities.PodVolumeProgress, error) {
	d, err := c.Temporal.DescribeWorkflowExecution(ctx, c.scoped(workflowID), "")
	if err != nil {
		return nil, notFound(workflowID, err)
	}
	out := map[string]activities.PodVolumeProgress{}
	for _, pa := range d.GetPendingActivities() {
		if pa.GetHeartbeatDetails() == nil {
			continue
		}
		var p activities.PodVolumeProgress
		if err := converter.GetDefaultDataConverter().FromPayloads(pa.GetHeartbeatDetails(), &p); err != nil || p.Pod == "" {
			continue
		}
		out[p.Namespace+"/"+p.Pod+"/"+p.Volume] = p
	}
	return out, nil
}

// liveItems adds up the items that the running activities of workflow id
// stored so far, as their last heartbeats say (activities.StageBeat);
// 0 when none is at it.
func (c *Client) liveItems(ctx context.Context, id string) int {
	d, err := c.Temporal.DescribeWorkflowExecution(ctx, c.scoped(id), "")
	if err != nil {
		return 0
	}
	var n int64
	for _, pa := range d.GetPendingActivities() {
		var b activities.StageBeat
		if pa.GetHeartbeatDetails() != nil && converter.GetDefaultDataConverter().FromPayloads(pa.GetHeartbeatDetails(), &b) == nil {
			n += b.Items
		}
	}
	return int(n)
}

// BackupLiveVolumes is LiveVolumes of backup name.
func (c *Client) BackupLiveVolumes(ctx context.Context, name string) (map[string]activities.PodVolumeProgress, error) {
	return c.LiveVolumes(ctx, workflows.BackupID(name))
}
