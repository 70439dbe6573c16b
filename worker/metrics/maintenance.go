package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// maintenance holds the repository maintenance metrics: Velero
// v1.18's three, by repository, and Cairn's bytes removed and last
// success time.
type maintenance struct {
	success     *prometheus.CounterVec
	failure     *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	removed     *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
}

func newMaintenance(reg prometheus.Registerer) maintenance {
	labels := []string{repositoryLabel}
	m := maintenance{
		success: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "velero_repo_maintenance_success_total", Help: "Repository maintenance runs that succeeded."}, labels),
		failure: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "velero_repo_maintenance_failure_total", Help: "Repository maintenance runs that failed."}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "velero_repo_maintenance_duration_seconds", Help: "Duration of repository maintenance runs, under the repository's lock.",
			Buckets: veleroBuckets}, labels),
		removed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_repo_maintenance_bytes_removed_total", Help: "Stored bytes the prunes of repository maintenance reclaimed."}, labels),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cairn_repo_maintenance_last_success_timestamp_seconds", Help: "When a repository's maintenance last succeeded (Unix time)."}, labels),
	}
	reg.MustRegister(m.success, m.failure, m.duration, m.removed, m.lastSuccess)
	return m
}

// MaintenanceDone implements activities.MaintenanceMetrics.
func (s *Server) MaintenanceDone(repository string, succeeded bool, d time.Duration, bytesRemoved uint64, at time.Time) {
	mm := s.maintenance
	mm.duration.WithLabelValues(repository).Observe(d.Seconds())
	// Both counters exist once a repository was maintained, at zero or more.
	mm.success.WithLabelValues(repository)
	mm.failure.WithLabelValues(repository)
	if !succeeded {
		mm.failure.WithLabelValues(repository).Inc()
		return
	}
	mm.success.WithLabelValues(repository).Inc()
	mm.removed.WithLabelValues(repository).Add(float64(bytesRemoved))
	mm.lastSuccess.WithLabelValues(repository).Set(unix(at))
}
