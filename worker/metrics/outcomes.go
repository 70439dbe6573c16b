package metrics

import (
	"time"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// BackupStarted counts a backup that passed validation.
func (s *Server) BackupStarted(schedule string) {
	s.backupAttempt.WithLabelValues(schedule).Inc()
}

// BackupFinished records a finished backup: its outcome, duration, items,
// errors, warnings and size, by schedule (empty for an ad-hoc backup).
func (s *Server) BackupFinished(schedule string, r workflows.BackupResult) {
	switch r.Phase {
	case workflows.PhaseFailedValidation:
		s.backupValidation.WithLabelValues(schedule).Inc()
		return
	case workflows.PhaseCompleted:
		s.backupSuccess.WithLabelValues(schedule).Inc()
		s.succeeded(schedule, r.Completed)
	case workflows.PhasePartiallyFailed:
		s.backupPartial.WithLabelValues(schedule).Inc()
	default:
		s.backupFailure.WithLabelValues(schedule).Inc()
	}
	s.lastStatus.WithLabelValues(schedule).Set(status(r.Phase == workflows.PhaseCompleted))
	if !r.Started.IsZero() && !r.Completed.IsZero() {
		s.backupDuration.WithLabelValues(schedule).Observe(r.Completed.Sub(r.Started).Seconds())
	}
	s.items.WithLabelValues(schedule).Set(float64(r.Items))
	s.itemErrors.WithLabelValues(schedule).Set(float64(r.Errors))
	if r.ResourceBytes > 0 {
		s.backupSize.WithLabelValues(schedule).Set(float64(r.ResourceBytes))
	}
	if r.Warnings > 0 {
		s.warnings.WithLabelValues(schedule).Inc()
	}
}

// RestoreStarted counts a restore that passed validation.
func (s *Server) RestoreStarted(schedule string) {
	s.restoreAttempt.WithLabelValues(schedule).Inc()
}

// RestoreFinished records a finished restore's outcome and duration.
func (s *Server) RestoreFinished(schedule string, r workflows.RestoreResult) {
	switch r.Phase {
	case workflows.PhaseFailedValidation:
		s.restoreValidation.WithLabelValues(schedule).Inc()
		return
	case workflows.PhaseCompleted:
		s.restoreSuccess.WithLabelValues(schedule).Inc()
	case workflows.PhasePartiallyFailed:
		s.restorePartial.WithLabelValues(schedule).Inc()
	default:
		s.restoreFailed.WithLabelValues(schedule).Inc()
	}
	if !r.Started.IsZero() && !r.Completed.IsZero() {
		s.restoreDuration.WithLabelValues(schedule).Observe(r.Completed.Sub(r.Started).Seconds())
	}
}

// DeletionStarted counts a backup deletion that started.
func (s *Server) DeletionStarted(schedule string) {
	s.deletionAttempt.WithLabelValues(schedule).Inc()
}

// DeletionFinished records a finished deletion's outcome.
func (s *Server) DeletionFinished(schedule string, r workflows.DeleteResult) {
	if r.Phase == workflows.PhaseCompleted {
		s.deletionSuccess.WithLabelValues(schedule).Inc()
		return
	}
	s.deletionFailure.WithLabelValues(schedule).Inc()
}

// LocationsValidated records the status of each validated location: 1 for
// an available location, 0 for an unavailable one.
func (s *Server) LocationsValidated(r activities.ValidateLocationsResult) {
	for _, l := range r.Available {
		s.locationStatus.WithLabelValues(l).Set(1)
	}
	for _, l := range r.Unavailable {
		s.locationStatus.WithLabelValues(l).Set(0)
	}
}

// StepDone records one attempt of a workflow's step (an activity).
func (s *Server) StepDone(workflow, step string, failed bool, d time.Duration) {
	s.steps.WithLabelValues(workflow, step, outcome(failed)).Observe(d.Seconds())
}

func unix(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

func status(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

func outcome(failed bool) string {
	if failed {
		return "failed"
	}
	return "succeeded"
}
