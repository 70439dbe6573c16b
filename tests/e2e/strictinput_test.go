package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/workflows"
)

// TestMisspeltInputFails starts the Backup workflow as code or the
// Temporal CLI would, with a JSON input whose Spec says IncludeNamespaces
// (Velero's flag is --include-namespaces, the field IncludedNamespaces): the
// workflow fails at once with the field's name and the accepted ones,
// having run no activity, and no backup record or resources snapshot is
// written. The same input spelt right backs up.
func TestMisspeltInputFails(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env := newCairnEnv(t, ctx, "cairn-strict", -1)
	createApp(t, ctx, env.bed, "strict-app")
	c := dialTemporal(t, env.bed)
	start := func(name, field string) client.WorkflowRun {
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.BackupID(name), TaskQueue: workflows.TaskQueue},
			"Backup", map[string]any{"Name": name, "Spec": map[string]any{field: []string{"strict-app"}}})
		if err != nil {
			t.Fatal(err)
		}
		return run
	}

	run := start("strict-typo", "IncludeNamespaces")
	err := run.Get(ctx, nil)
	if err == nil {
		t.Fatal("the misspelt input backed up")
	}
	t.Logf("the misspelt input: %v", err)
	for _, want := range []string{`unknown field "IncludeNamespaces" in Spec`, `did you mean "IncludedNamespaces"?`, "ExcludedNamespaces"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	iter := c.GetWorkflowHistory(ctx, run.GetID(), run.GetRunID(), false, 0)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		if ev.GetActivityTaskScheduledEventAttributes() != nil {
			t.Errorf("an activity ran: %v", ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName())
		}
	}
	records, err := env.storage.Records()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := records.GetBackup(ctx, "strict-typo"); !errors.Is(err, metadata.ErrBackupNotFound) {
		t.Errorf("a record of the failed backup: %v", err)
	}
	if keys, err := records.Objects.List(ctx, "backups/strict-typo/"); err != nil || len(keys) != 0 {
		t.Errorf("files left: %v, %v", keys, err)
	}

	var res workflows.BackupResult
	if err := start("strict-right", "IncludedNamespaces").Get(ctx, &res); err != nil || res.Phase != workflows.PhaseCompleted || res.Items == 0 {
		t.Fatalf("the input spelt right: %+v, %v", res, err)
	}
}
