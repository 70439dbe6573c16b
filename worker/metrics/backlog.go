package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// Backlog is cairn_node_agent_queue_backlog: the pod volume operations
// waiting on a node agent's task queue for a free slot, as Temporal
// estimates them at each scrape.
type Backlog struct {
	c         client.Client
	namespace string
	queue     string
	desc      *prometheus.Desc
}

// NewBacklog registers the backlog of node's task queue on reg.
func NewBacklog(reg prometheus.Registerer, c client.Client, namespace, queue, node string) *Backlog {
	b := &Backlog{c: c, namespace: namespace, queue: queue,
		desc: prometheus.NewDesc("cairn_node_agent_queue_backlog", "Pod volume operations waiting on the node agent's task queue (Temporal's estimate).",
			nil, prometheus.Labels{nodeLabel: node})}
	reg.MustRegister(b)
	return b
}

// Describe implements prometheus.Collector.
func (b *Backlog) Describe(ch chan<- *prometheus.Desc) { ch <- b.desc }

// Collect implements prometheus.Collector; nothing is reported while
// Temporal cannot be asked.
func (b *Backlog) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	resp, err := b.c.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
		Namespace:     b.namespace,
		TaskQueue:     &taskqueuepb.TaskQueue{Name: b.queue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
		TaskQueueType: enumspb.TASK_QUEUE_TYPE_ACTIVITY,
		ReportStats:   true,
	})
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(b.desc, prometheus.GaugeValue, float64(resp.GetStats().GetApproximateBacklogCount()))
}
