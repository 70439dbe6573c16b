package workflows

import (
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities/cluster"
)

// AttrCluster is the cluster a workflow belongs to, set only when the
// cluster has a name (package cluster).
var AttrCluster = temporal.NewSearchAttributeKeyKeyword(cluster.Attr)

// ClusterAttrs are the search attributes attrs plus the cluster's name when
// it has one: what every workflow Cairn starts for the cluster carries.
func ClusterAttrs(c cluster.Name, attrs ...temporal.SearchAttributeUpdate) temporal.SearchAttributes {
	if c != "" {
		attrs = append(attrs, AttrCluster.ValueSet(string(c)))
	}
	return temporal.NewSearchAttributes(attrs...)
}

// clusterOf is the cluster whose workers run the workflow of ctx, read from
// its task queue, so that the children and activities it routes stay in
// that cluster. It issues no command, so it replays the same.
func clusterOf(ctx workflow.Context) cluster.Name {
	return cluster.OfQueue(workflow.GetInfo(ctx).TaskQueueName, TaskQueue)
}
