package starter

import (
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/workflows"
)

// scoped is workflow or schedule id in the client's cluster.
func (c *Client) scoped(id string) string { return c.Cluster.Scope(id) }

// unscoped is the ID inside the cluster of one of its workflows or
// schedules, and whether id is one of the cluster's.
func (c *Client) unscoped(id string) (string, bool) { return c.Cluster.Unscope(id) }

// taskQueue is the control plane's task queue in the client's cluster.
func (c *Client) taskQueue() string { return c.Cluster.Scope(workflows.TaskQueue) }

// attrs are the search attributes of a workflow the client starts: u and
// the cluster's name.
func (c *Client) attrs(u ...temporal.SearchAttributeUpdate) temporal.SearchAttributes {
	return workflows.ClusterAttrs(c.Cluster, u...)
}
