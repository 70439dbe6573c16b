package starter

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/workflows"
)

// TestListRepositories lists the folders under restic/ of each location
// with what their records say, a running maintenance's live phase over
// them, and warns about a location it cannot read.
func TestListRepositories(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, f := range []string{"app", "cairn.resources", "db"} {
		if err := os.MkdirAll(filepath.Join(dir, "restic", f, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	records := recordsOf(t, dir)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, rec := range []*metadata.RepositoryRecord{
		{Repository: "app", Phase: metadata.RepositoryReady, LastMaintenance: t0, LastResult: metadata.MaintenanceSucceeded, Size: 100, Reclaimed: 300},
		{Repository: "db", Phase: metadata.RepositoryNotReady, Message: "wrong password", LastMaintenance: t0, LastResult: metadata.MaintenanceFailed},
		{Repository: "gone", Phase: metadata.RepositoryReady}, // its folder was removed: not listed
	} {
		if err := records.PutRepository(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	var warnings []string
	c := &Client{
		Temporal: &fakeTemporal{running: map[string]any{
			workflows.RepoMaintenanceID("a", "cairn.resources"): workflows.RepoMaintenanceResult{Location: "a", Repository: "cairn.resources",
				Phase: workflows.PhaseWaitingForLock, Waiting: "exclusive lock 0badc0de by PID 812 on backup-host", Started: t0},
		}},
		Locations: dirLocations{dirs: map[string]string{"a": dir}, broken: []string{"c"}},
		Warn:      func(err error) { warnings = append(warnings, err.Error()) },
	}
	list, err := c.ListRepositories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range list {
		got = append(got, strings.Join([]string{r.Name, r.Namespace, r.Phase, r.LastResult, r.Message}, "|"))
	}
	want := []string{
		"app-a-restic|app|Ready|Succeeded|",
		"cairn.resources-a-restic||WaitingForLock||exclusive lock 0badc0de by PID 812 on backup-host",
		"db-a-restic|db|NotReady|Failed|wrong password",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("repositories\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if list[0].Size != 100 || list[0].Reclaimed != 300 || !list[0].LastMaintenance.Equal(t0) {
		t.Errorf("app %+v", list[0])
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "secret missing") {
		t.Errorf("warnings %v", warnings)
	}

	found, err := c.FindRepositories(ctx, []string{"db-a-restic", "a/app"}, false)
	if err != nil || len(found) != 2 || found[0].Repository != "db" || found[1].Repository != "app" {
		t.Errorf("found %+v, %v", found, err)
	}
	if _, err := c.FindRepositories(ctx, []string{"nope"}, false); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown name: %v", err)
	}
	if all, err := c.FindRepositories(ctx, nil, true); err != nil || len(all) != 3 {
		t.Errorf("--all: %+v, %v", all, err)
	}
}

// A finished maintenance newer than the record (which the storage being
// down kept it from writing) says how it ended.
func TestMergeRunAfterTheRecord(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := &Repository{Phase: metadata.RepositoryReady, LastMaintenance: t0, LastResult: metadata.MaintenanceSucceeded, Size: 5}
	mergeRun(r, workflows.RepoMaintenanceResult{Phase: workflows.PhaseFailed, FailureReason: "connection refused", Completed: t0.Add(time.Hour)}, false)
	if r.Phase != metadata.RepositoryNotReady || r.Message != "connection refused" || r.LastResult != metadata.MaintenanceFailed || r.Size != 5 {
		t.Errorf("after a newer failure: %+v", r)
	}
	mergeRun(r, workflows.RepoMaintenanceResult{Phase: workflows.PhaseCompleted, Completed: t0}, false)
	if r.Phase != metadata.RepositoryNotReady {
		t.Errorf("an older run won: %+v", r)
	}
}
