package workflows

import (
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/worker"
)

// TestReplayHistories replays the histories of real runs recorded in
// testdata/histories (see its README.md) against today's workflow code: a
// change that would break a running workflow's determinism fails here.
// Re-record them with `make record-histories` when a workflow changes on
// purpose.
func TestReplayHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no histories in testdata/histories: record them with `make record-histories`")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflow(Backup)
			r.RegisterWorkflow(Restore)
			r.RegisterWorkflow(Delete)
			r.RegisterWorkflow(Expire)
			r.RegisterWorkflow(ScheduledBackup)
			r.RegisterWorkflow(ValidateLocations)
			r.RegisterWorkflow(LocationValidator)
			r.RegisterWorkflow(RepoMaintenance)
			r.RegisterWorkflow(MaintainLocation)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, file); err != nil {
				t.Fatalf("replaying %s: %v", file, err)
			}
		})
	}
}
