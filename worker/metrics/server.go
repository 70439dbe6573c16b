package metrics

import "github.com/prometheus/client_golang/prometheus"

// Server holds the metrics of `cairn server`: Velero's server metrics and
// Cairn's step durations, maintenance and location metrics. Its methods are
// safe for concurrent use.
type Server struct {
	backupSize        *prometheus.GaugeVec
	backupAttempt     *prometheus.CounterVec
	backupSuccess     *prometheus.CounterVec
	backupPartial     *prometheus.CounterVec
	backupFailure     *prometheus.CounterVec
	backupValidation  *prometheus.CounterVec
	backupDuration    *prometheus.HistogramVec
	deletionAttempt   *prometheus.CounterVec
	deletionSuccess   *prometheus.CounterVec
	deletionFailure   *prometheus.CounterVec
	lastSuccess       *prometheus.GaugeVec
	items             *prometheus.GaugeVec
	itemErrors        *prometheus.GaugeVec
	warnings          *prometheus.CounterVec
	lastStatus        *prometheus.GaugeVec
	locationStatus    *prometheus.GaugeVec
	restoreAttempt    *prometheus.CounterVec
	restoreSuccess    *prometheus.CounterVec
	restorePartial    *prometheus.CounterVec
	restoreFailed     *prometheus.CounterVec
	restoreValidation *prometheus.CounterVec
	restoreDuration   *prometheus.HistogramVec
	steps             *prometheus.HistogramVec
	maintenance       maintenance
	successes         lastSuccesses
}

// NewServer registers the server's metrics on reg. Velero's snapshot
// metrics (velero_volume_snapshot_*, velero_csi_snapshot_*) are registered
// too and stay without series: Cairn takes no volume snapshots.
func NewServer(reg prometheus.Registerer) *Server {
	byScheduleCounter := func(name, help string) *prometheus.CounterVec {
		return counterVec(reg, name, help, scheduleLabel)
	}
	byScheduleGauge := func(name, help string) *prometheus.GaugeVec {
		return gaugeVec(reg, name, help, scheduleLabel)
	}
	s := &Server{
		backupSize:        byScheduleGauge("velero_backup_tarball_size_bytes", "Size, in bytes, of a backup's resource data (the JSON of its objects)."),
		backupAttempt:     byScheduleCounter("velero_backup_attempt_total", "Backups that passed validation and started."),
		backupSuccess:     byScheduleCounter("velero_backup_success_total", "Backups that completed without errors."),
		backupPartial:     byScheduleCounter("velero_backup_partial_failure_total", "Backups that completed with errors (PartiallyFailed)."),
		backupFailure:     byScheduleCounter("velero_backup_failure_total", "Backups that failed."),
		backupValidation:  byScheduleCounter("velero_backup_validation_failure_total", "Backups that failed validation."),
		backupDuration:    histogramVec(reg, "velero_backup_duration_seconds", "Time taken to complete a backup, from its start to its end, in seconds.", veleroBuckets, scheduleLabel),
		deletionAttempt:   byScheduleCounter("velero_backup_deletion_attempt_total", "Backup deletions started."),
		deletionSuccess:   byScheduleCounter("velero_backup_deletion_success_total", "Backup deletions that completed."),
		deletionFailure:   byScheduleCounter("velero_backup_deletion_failure_total", "Backup deletions that failed."),
		lastSuccess:       byScheduleGauge("velero_backup_last_successful_timestamp", "When a backup last completed without errors, Unix time in seconds."),
		items:             byScheduleGauge("velero_backup_items_total", "Items the last backup backed up."),
		itemErrors:        byScheduleGauge("velero_backup_items_errors", "Errors the last backup met."),
		warnings:          byScheduleCounter("velero_backup_warning_total", "Backups that finished with warnings."),
		lastStatus:        byScheduleGauge("velero_backup_last_status", "Last status of the backup: 1 is success, 0 is failure."),
		locationStatus:    gaugeVec(reg, "velero_backup_location_status_gauge", "Status of a backup storage location: 1 is available, 0 is unavailable.", locationLabel),
		restoreAttempt:    byScheduleCounter("velero_restore_attempt_total", "Restores that passed validation and started."),
		restoreSuccess:    byScheduleCounter("velero_restore_success_total", "Restores that completed without errors."),
		restorePartial:    byScheduleCounter("velero_restore_partial_failure_total", "Restores that completed with errors (PartiallyFailed)."),
		restoreFailed:     byScheduleCounter("velero_restore_failed_total", "Restores that failed."),
		restoreValidation: byScheduleCounter("velero_restore_validation_failed_total", "Restores that failed validation."),
		restoreDuration:   histogramVec(reg, "cairn_restore_duration_seconds", "Time taken to complete a restore, in seconds (Velero has no restore duration).", stepBuckets, scheduleLabel),
		steps:             histogramVec(reg, "cairn_step_duration_seconds", "Duration of one attempt of each step (activity) of a workflow, in seconds.", stepBuckets, "workflow", "step", "outcome"),
		maintenance:       newMaintenance(reg),
	}
	for _, name := range []string{"velero_volume_snapshot_attempt_total", "velero_volume_snapshot_success_total", "velero_volume_snapshot_failure_total"} {
		byScheduleCounter(name, "Volume snapshots (Cairn takes none: it backs volumes up from the file system).")
	}
	for _, name := range []string{"velero_csi_snapshot_attempt_total", "velero_csi_snapshot_success_total", "velero_csi_snapshot_failure_total"} {
		counterVec(reg, name, "CSI volume snapshots (Cairn takes none: it backs volumes up from the file system).", scheduleLabel, backupNameLabel)
	}
	return s
}

func counterVec(reg prometheus.Registerer, name, help string, labels ...string) *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	reg.MustRegister(v)
	return v
}

func gaugeVec(reg prometheus.Registerer, name, help string, labels ...string) *prometheus.GaugeVec {
	v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
	reg.MustRegister(v)
	return v
}

func histogramVec(reg prometheus.Registerer, name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	v := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	reg.MustRegister(v)
	return v
}
