package metrics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/cairn-backup/cairn/activities/cluster"
	"github.com/cairn-backup/cairn/workflows"
)

// lastSuccesses keeps velero_backup_last_successful_timestamp at the
// newest time each schedule's backup completed, whichever of a backup
// finishing and the recovery at start reports it first.
type lastSuccesses struct {
	mu sync.Mutex
	at map[string]time.Time
}

// note records that a backup of schedule completed at t, and tells
// whether t is the schedule's newest.
func (l *lastSuccesses) note(schedule string, t time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.at == nil {
		l.at = map[string]time.Time{}
	}
	if prev, ok := l.at[schedule]; ok && !t.After(prev) {
		return false
	}
	l.at[schedule] = t
	return true
}

// succeeded sets velero_backup_last_successful_timestamp of schedule to t
// unless a newer success is known.
func (s *Server) succeeded(schedule string, t time.Time) {
	if s.successes.note(schedule, t) {
		s.lastSuccess.WithLabelValues(schedule).Set(unix(t))
	}
}

// RecoverLastSuccess sets velero_backup_last_successful_timestamp of each
// schedule (and of backups taken by hand) from the newest completed backup
// of cluster cl that Temporal's visibility holds, so that a restarted
// server does not drop the series an alert on stale backups reads.
func (s *Server) RecoverLastSuccess(ctx context.Context, c client.Client, cl cluster.Name) error {
	query := cl.Query(fmt.Sprintf("%s = '%s' AND %s = '%s'", workflows.AttrKind.GetName(), workflows.KindBackup,
		workflows.AttrPhase.GetName(), workflows.PhaseCompleted))
	var token []byte
	for {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			return fmt.Errorf("listing the completed backups: %w", err)
		}
		for _, e := range resp.GetExecutions() {
			if e.GetCloseTime() == nil {
				continue
			}
			var schedule string
			if p := e.GetSearchAttributes().GetIndexedFields()[workflows.AttrSchedule.GetName()]; p != nil {
				_ = converter.GetDefaultDataConverter().FromPayload(p, &schedule)
			}
			s.succeeded(schedule, e.GetCloseTime().AsTime())
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return nil
		}
	}
}
