package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/cluster"
)

// agentSeen is how recently a node agent must have polled its queue to
// count as up; a poll lasts up to a minute.
const agentSeen = 2 * time.Minute

// Agents is cairn_node_agent_up: for each node of the cluster, 1 when a
// node agent polls the node's task queue, 0 when none does (its pod
// volumes would wait until their schedule-to-start timeout).
type Agents struct {
	c         client.Client
	kube      kubernetes.Interface
	namespace string
	cluster   cluster.Name
	up        *prometheus.Desc
	nodes     cached[map[string]bool]
}

// NewAgents registers the node agents' status on reg.
func NewAgents(reg prometheus.Registerer, c client.Client, kube kubernetes.Interface, namespace string, cl cluster.Name) *Agents {
	a := &Agents{c: c, kube: kube, namespace: namespace, cluster: cl,
		up: prometheus.NewDesc("cairn_node_agent_up", "1 when a node agent polls the node's task queue, 0 when none does.", []string{nodeLabel}, nil)}
	a.nodes.fetch = a.fetch
	reg.MustRegister(a)
	return a
}

// Describe implements prometheus.Collector.
func (a *Agents) Describe(ch chan<- *prometheus.Desc) { ch <- a.up }

// Collect implements prometheus.Collector.
func (a *Agents) Collect(ch chan<- prometheus.Metric) {
	nodes, _ := a.nodes.get()
	for node, up := range nodes {
		ch <- prometheus.MustNewConstMetric(a.up, prometheus.GaugeValue, status(up), node)
	}
}

func (a *Agents) fetch(ctx context.Context) (map[string]bool, error) {
	nodes, err := a.kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(nodes.Items))
	for _, n := range nodes.Items {
		up, err := a.polled(ctx, n.Name)
		if err != nil {
			return nil, err
		}
		out[n.Name] = up
	}
	return out, nil
}

// polled tells whether a node agent polled node's queue lately.
func (a *Agents) polled(ctx context.Context, node string) (bool, error) {
	resp, err := a.c.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
		Namespace:     a.namespace,
		TaskQueue:     &taskqueuepb.TaskQueue{Name: a.cluster.Scope(activities.NodeAgentQueue(node)), Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
		TaskQueueType: enumspb.TASK_QUEUE_TYPE_ACTIVITY,
	})
	if err != nil {
		return false, err
	}
	for _, p := range resp.GetPollers() {
		if time.Since(p.GetLastAccessTime().AsTime()) < agentSeen {
			return true, nil
		}
	}
	return false, nil
}
