package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

// TestBackupDelete deletes backups with `cairn backup delete`: refused
// while a restore from the backup or the backup itself runs, or when
// nothing knows the backup; then two at once, with their snapshots,
// records, restores and workflows.
func TestBackupDelete(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	env := newCairnEnv(t, ctx, "cairn-delete", time.Minute)
	createApp(t, ctx, env.bed, "del-app")
	c, err := client.Dial(client.Options{HostPort: env.bed.Temporal.HostPort(), Namespace: env.bed.Temporal.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	records, err := env.storage.Records()
	if err != nil {
		t.Fatal(err)
	}

	cairn(t, ctx, 0, "backup", "create", "del-me", "--include-namespaces", "del-app", "--wait")
	cairn(t, ctx, 0, "restore", "create", "del-me-restore", "--from-backup", "del-me", "--wait")
	cairn(t, ctx, 0, "backup", "create", "twin", "--include-namespaces", "del-app", "--wait")

	// A restore from it that runs (no worker polls its task queue) blocks the deletion.
	blocked := startStuck(t, ctx, c, workflows.RestoreID("del-me-blocked"), "Restore", temporal.NewSearchAttributes(
		workflows.AttrKind.ValueSet(workflows.KindRestore), workflows.AttrName.ValueSet("del-me-blocked"),
		workflows.AttrBackup.ValueSet("del-me")))
	waitVisible(t, ctx, c, "CairnBackup = 'del-me' AND ExecutionStatus = 'Running'", 1)
	code, _, errOut := cairnRun(ctx, "backup", "delete", "del-me", "--confirm")
	if code != 1 || !strings.Contains(errOut, `cannot delete backup "del-me": restore del-me-blocked is reading from it`) {
		t.Fatalf("delete during a restore: exit %d, %s", code, errOut)
	}
	if _, err := records.GetBackup(ctx, "del-me"); err != nil {
		t.Fatalf("the refused deletion removed the record: %v", err)
	}
	if err := c.TerminateWorkflow(ctx, blocked, "", "test"); err != nil {
		t.Fatal(err)
	}
	// A running backup cannot be deleted. (Of another kind, so that `backup get`
	// does not list it: it could not describe a terminated backup.)
	busy := startStuck(t, ctx, c, workflows.BackupID("busy"), "Backup", temporal.NewSearchAttributes(
		workflows.AttrKind.ValueSet("stuck"), workflows.AttrName.ValueSet("busy")))
	if code, _, errOut := cairnRun(ctx, "backup", "delete", "busy", "--confirm"); code != 1 ||
		!strings.Contains(errOut, `cannot delete backup "busy": it is still running`) {
		t.Errorf("delete of a running backup: exit %d, %s", code, errOut)
	}
	if err := c.TerminateWorkflow(ctx, busy, "", "test"); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cairnRun(ctx, "backup", "delete", "nothing", "--confirm"); code != 1 || !strings.Contains(errOut, "no backup storage location and no workflow knows it") {
		t.Errorf("delete of an unknown backup: exit %d, %s", code, errOut)
	}
	waitVisible(t, ctx, c, "CairnBackup = 'del-me' AND ExecutionStatus = 'Running'", 0)

	// Two at once: each locks the resources repository in turn.
	out := cairn(t, ctx, 0, "backup", "delete", "del-me", "twin", "--confirm")
	if !strings.Contains(out, `Request to delete backup "del-me" submitted successfully.`) ||
		!strings.Contains(out, `Backup "del-me" deleted: 1 snapshot(s) removed, with restore(s) `) || !strings.Contains(out, "del-me-restore") ||
		!strings.Contains(out, `Backup "twin" deleted: 1 snapshot(s) removed.`) {
		t.Errorf("backup delete:\n%s", out)
	}
	if names, err := records.ListBackups(ctx); err != nil || len(names) != 0 {
		t.Errorf("backups left: %v, %v", names, err)
	}
	for _, prefix := range []string{"backups/del-me/", "restores/del-me-restore/"} {
		if keys, err := records.Objects.List(ctx, prefix); err != nil || len(keys) != 0 {
			t.Errorf("%s: files left: %v, %v", prefix, keys, err)
		}
	}
	if tags := backupTags(t, ctx, env.storage, activities.ResourcesRepoDir); len(tags) != 0 {
		t.Errorf("snapshots left: %v", tags)
	}
	for _, args := range [][]string{{"backup", "get", "del-me"}, {"backup", "describe", "twin"}, {"restore", "get", "del-me-restore"}} {
		if _, _, errOut := cairnRun(ctx, args...); !strings.Contains(errOut, "not found") {
			t.Errorf("cairn %s after the deletion: %s", strings.Join(args, " "), errOut)
		}
	}
	if out := cairn(t, ctx, 0, "backup", "get"); strings.Contains(out, "del-me") || strings.Contains(out, "twin") {
		t.Errorf("backup get after the deletion:\n%s", out)
	}
	// The name is free again.
	cairn(t, ctx, 0, "backup", "create", "del-me", "--include-namespaces", "del-app", "--wait")
}

// startStuck starts a workflow of type wf on a task queue no worker polls,
// so that it runs until terminated, and returns its ID.
func startStuck(t *testing.T, ctx context.Context, c client.Client, id, wf string, attrs temporal.SearchAttributes) string {
	t.Helper()
	if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: id, TaskQueue: "cairn-e2e-nobody", TypedSearchAttributes: attrs,
	}, wf, struct{}{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.TerminateWorkflow(context.Background(), id, "", "test over") })
	return id
}

// waitVisible waits until query lists n workflows.
func waitVisible(t *testing.T, ctx context.Context, c client.Client, query string, n int) {
	t.Helper()
	eventually(t, ctx, query, func() error {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		if err != nil {
			return err
		}
		if got := len(resp.GetExecutions()); got != n {
			return fmt.Errorf("%d workflows, want %d", got, n)
		}
		return nil
	})
}
