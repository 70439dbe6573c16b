package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// The outcomes of backups, restores, deletions and validations reach
// Velero's metrics with Velero's labels.
func TestOutcomes(t *testing.T) {
	reg := prometheus.NewRegistry()
	s := NewServer(reg)
	start := time.Unix(1767225600, 0)
	s.BackupStarted("daily")
	s.BackupFinished("daily", workflows.BackupResult{Phase: workflows.PhaseCompleted, Items: 12, Warnings: 1,
		ResourceBytes: 4096, Started: start, Completed: start.Add(90 * time.Second)})
	s.BackupStarted("")
	s.BackupFinished("", workflows.BackupResult{Phase: workflows.PhasePartiallyFailed, Items: 3, Errors: 2, Started: start, Completed: start.Add(time.Second)})
	s.BackupFinished("", workflows.BackupResult{Phase: workflows.PhaseFailedValidation})
	s.RestoreStarted("")
	s.RestoreFinished("", workflows.RestoreResult{Phase: workflows.PhaseFailed})
	s.DeletionStarted("")
	s.DeletionFinished("", workflows.DeleteResult{Phase: workflows.PhaseCompleted})
	s.LocationsValidated(activities.ValidateLocationsResult{Available: []string{"default"}, Unavailable: []string{"gone"}})
	body := scrape(t, reg)
	for _, want := range []string{
		`velero_backup_attempt_total{schedule="daily"} 1`,
		`velero_backup_success_total{schedule="daily"} 1`,
		`velero_backup_last_successful_timestamp{schedule="daily"} 1.76722569e+09`,
		`velero_backup_last_status{schedule="daily"} 1`,
		`velero_backup_last_status{schedule=""} 0`,
		`velero_backup_items_total{schedule="daily"} 12`,
		`velero_backup_items_errors{schedule=""} 2`,
		`velero_backup_warning_total{schedule="daily"} 1`,
		`velero_backup_tarball_size_bytes{schedule="daily"} 4096`,
		`velero_backup_partial_failure_total{schedule=""} 1`,
		`velero_backup_validation_failure_total{schedule=""} 1`,
		`velero_backup_duration_seconds_bucket{schedule="daily",le="60"} 0`,
		`velero_backup_duration_seconds_bucket{schedule="daily",le="300"} 1`,
		`velero_restore_attempt_total{schedule=""} 1`,
		`velero_restore_failed_total{schedule=""} 1`,
		`velero_backup_deletion_attempt_total{schedule=""} 1`,
		`velero_backup_deletion_success_total{schedule=""} 1`,
		`velero_backup_location_status_gauge{backup_location_name="default"} 1`,
		`velero_backup_location_status_gauge{backup_location_name="gone"} 0`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("no %s", want)
		}
	}
	if strings.Contains(body, `velero_backup_last_status{schedule=""} 1`) {
		t.Error("a partially failed backup counts as a success in velero_backup_last_status")
	}
}
