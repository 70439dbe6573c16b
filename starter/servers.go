package starter

import (
	"context"
	"fmt"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"

	"github.com/cairn-backup/cairn/worker/buildinfo"
)

// ServerPoller is a `cairn server` that polls Cairn's task queue.
type ServerPoller struct {
	// Identity is its Temporal identity: <pid>@<host>@cairn-server/<version>.
	Identity string
	// Version is the build it runs.
	Version string
	// LastPoll is when it last asked Temporal for work.
	LastPoll time.Time
}

// pollerStale is how long after its last poll a server counts as gone:
// a worker polls again within a minute, its long poll's length.
const pollerStale = 2 * time.Minute

// Servers lists the `cairn server` processes that polled the cluster's
// task queue (workflows.TaskQueue, scoped) in the last two minutes, as Temporal saw them.
func (c *Client) Servers(ctx context.Context) ([]ServerPoller, error) {
	resp, err := c.Temporal.DescribeTaskQueue(ctx, c.taskQueue(), enumspb.TASK_QUEUE_TYPE_WORKFLOW)
	if err != nil {
		return nil, fmt.Errorf("asking Temporal who polls task queue %s: %w", c.taskQueue(), err)
	}
	return serverPollers(resp.GetPollers(), time.Now()), nil
}

func serverPollers(pollers []*taskqueuepb.PollerInfo, now time.Time) []ServerPoller {
	var out []ServerPoller
	for _, p := range pollers {
		peer, ok := buildinfo.ParseIdentity(p.GetIdentity())
		last := p.GetLastAccessTime().AsTime()
		if !ok || peer.Kind != buildinfo.ServerKind || now.Sub(last) > pollerStale {
			continue
		}
		out = append(out, ServerPoller{Identity: p.GetIdentity(), Version: peer.Version, LastPoll: last})
	}
	slices.SortFunc(out, func(a, b ServerPoller) int { return b.LastPoll.Compare(a.LastPoll) })
	return out
}
