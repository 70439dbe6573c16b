package metrics

import (
	"context"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/workflows"
)

// Schedules is velero_schedule_expected_interval_seconds (Velero's name
// for it on its main branch): the time between a backup schedule's next
// two runs, so that an alert can ask for a successful backup within twice
// that; and cairn_schedule_paused.
type Schedules struct {
	c        client.Client
	cluster  cluster.Name
	interval *prometheus.Desc
	paused   *prometheus.Desc
	list     cached[[]scheduleInfo]
}

type scheduleInfo struct {
	name     string
	interval float64
	paused   bool
}

// NewSchedules registers the schedules of cluster cl in c's namespace on reg.
func NewSchedules(reg prometheus.Registerer, c client.Client, cl cluster.Name) *Schedules {
	s := &Schedules{
		c:        c,
		cluster:  cl,
		interval: prometheus.NewDesc("velero_schedule_expected_interval_seconds", "Seconds between a backup schedule's next two runs.", []string{scheduleLabel}, nil),
		paused:   prometheus.NewDesc("cairn_schedule_paused", "1 while a backup schedule is paused.", []string{scheduleLabel}, nil),
	}
	s.list.fetch = s.fetch
	reg.MustRegister(s)
	return s
}

// Describe implements prometheus.Collector.
func (s *Schedules) Describe(ch chan<- *prometheus.Desc) { ch <- s.interval; ch <- s.paused }

// Collect implements prometheus.Collector.
func (s *Schedules) Collect(ch chan<- prometheus.Metric) {
	list, _ := s.list.get()
	for _, sc := range list {
		if sc.interval > 0 {
			ch <- prometheus.MustNewConstMetric(s.interval, prometheus.GaugeValue, sc.interval, sc.name)
		}
		ch <- prometheus.MustNewConstMetric(s.paused, prometheus.GaugeValue, status(sc.paused), sc.name)
	}
}

func (s *Schedules) fetch(ctx context.Context) ([]scheduleInfo, error) {
	it, err := s.c.ScheduleClient().List(ctx, client.ScheduleListOptions{})
	if err != nil {
		return nil, err
	}
	var out []scheduleInfo
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		name, ok := strings.CutPrefix(e.ID, s.cluster.Scope(workflows.ScheduleID("")))
		if !ok {
			continue
		}
		info := scheduleInfo{name: name, paused: e.Paused}
		if next := e.NextActionTimes; len(next) >= 2 {
			info.interval = next[1].Sub(next[0]).Seconds()
		}
		out = append(out, info)
	}
	return out, nil
}
