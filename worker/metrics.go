package worker

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// Metrics are the worker's Prometheus metrics. A backup attempt is one run
// of the resource backup activity, so a retried backup counts more than once.
type Metrics struct {
	backupAttempt  prometheus.Counter
	backupSuccess  prometheus.Counter
	backupFailure  prometheus.Counter
	restore        *prometheus.CounterVec
	backupDuration prometheus.Histogram
	maintenance    maintenanceMetrics
}

var (
	_ activities.Metrics            = (*Metrics)(nil)
	_ activities.MaintenanceMetrics = (*Metrics)(nil)
)

// NewMetrics registers the metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		backupAttempt: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_backup_attempt_total", Help: "Resource backup attempts."}),
		backupSuccess: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_backup_success_total", Help: "Backups that completed without errors."}),
		backupFailure: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "cairn_backup_failure_total", Help: "Backup attempts that failed or partially failed."}),
		restore: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cairn_restore_total", Help: "Finished restore attempts by phase."}, []string{"phase"}),
		backupDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "cairn_backup_duration_seconds", Help: "Duration of resource backup attempts.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 14)}),
		maintenance: newMaintenanceMetrics(),
	}
	reg.MustRegister(m.backupAttempt, m.backupSuccess, m.backupFailure, m.restore, m.backupDuration)
	m.maintenance.register(reg)
	return m
}

// BackupAttempt implements activities.Metrics.
func (m *Metrics) BackupAttempt() { m.backupAttempt.Inc() }

// BackupDone implements activities.Metrics.
func (m *Metrics) BackupDone(phase string, d time.Duration) {
	m.backupDuration.Observe(d.Seconds())
	if phase == workflows.PhaseCompleted {
		m.backupSuccess.Inc()
	} else {
		m.backupFailure.Inc()
	}
}

// RestoreDone implements activities.Metrics.
func (m *Metrics) RestoreDone(phase string) { m.restore.WithLabelValues(phase).Inc() }
