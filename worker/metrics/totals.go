package metrics

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/workflows"
)

// Totals is Velero's velero_backup_total and velero_restore_total: the
// backups and restores that exist, counted in Temporal's visibility (a
// deleted backup's workflow is deleted with it).
type Totals struct {
	c       client.Client
	cluster cluster.Name
	backups *prometheus.Desc
	restore *prometheus.Desc
	counts  cached[[2]int64]
}

// NewTotals registers the counts of cluster cl in c's namespace on reg.
func NewTotals(reg prometheus.Registerer, c client.Client, cl cluster.Name) *Totals {
	t := &Totals{
		c:       c,
		cluster: cl,
		backups: prometheus.NewDesc("velero_backup_total", "Current number of existent backups.", nil, nil),
		restore: prometheus.NewDesc("velero_restore_total", "Current number of existent restores.", nil, nil),
	}
	t.counts.fetch = t.count
	reg.MustRegister(t)
	return t
}

// Describe implements prometheus.Collector.
func (t *Totals) Describe(ch chan<- *prometheus.Desc) { ch <- t.backups; ch <- t.restore }

// Collect implements prometheus.Collector.
func (t *Totals) Collect(ch chan<- prometheus.Metric) {
	counts, ok := t.counts.get()
	if !ok {
		return
	}
	ch <- prometheus.MustNewConstMetric(t.backups, prometheus.GaugeValue, float64(counts[0]))
	ch <- prometheus.MustNewConstMetric(t.restore, prometheus.GaugeValue, float64(counts[1]))
}

func (t *Totals) count(ctx context.Context) ([2]int64, error) {
	var counts [2]int64
	for i, kind := range []string{workflows.KindBackup, workflows.KindRestore} {
		resp, err := t.c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Query: t.cluster.Query(fmt.Sprintf("%s = '%s'", workflows.AttrKind.GetName(), kind)),
		})
		if err != nil {
			return counts, err
		}
		counts[i] = resp.GetCount()
	}
	return counts, nil
}
