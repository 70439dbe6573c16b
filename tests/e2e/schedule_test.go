package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// TestSchedule creates a schedule that fires every 3 s and watches it take
// two backups named <schedule>-<YYYYMMDDhhmmss> after their scheduled
// times; then pauses it, triggers and backfills it while paused, backs up
// --from-schedule, and deletes it.
func TestSchedule(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	env := newCairnEnv(t, ctx, "cairn-schedule", time.Minute)
	createApp(t, ctx, env.bed, "sched-app")

	cairn(t, ctx, 0, "schedule", "create", "every3s", "--schedule", "@every 3s", "--include-namespaces", "sched-app", "--ttl", "1h")
	t.Cleanup(func() {
		cairnRun(context.Background(), "schedule", "delete", "every3s", "--confirm")
		waitScheduleIdle(t, env, "every3s")
	})
	if _, _, errOut := cairnRun(ctx, "schedule", "create", "every3s", "--schedule", "@daily"); !strings.Contains(errOut, "already exists") {
		t.Errorf("a second schedule of the same name: %s", errOut)
	}
	named := regexp.MustCompile(`^every3s-(\d{14})$`)
	var completed []string
	eventually(t, ctx, "two scheduled backups completed", func() error {
		completed = nil
		for _, b := range backups(t, ctx) {
			if named.MatchString(b.Name) && b.Phase == workflows.PhaseCompleted {
				completed = append(completed, b.Name)
			}
		}
		if len(completed) < 2 {
			return fmt.Errorf("completed: %v", completed)
		}
		return nil
	})
	for _, name := range completed {
		// Named after the scheduled time: @every 3s fires at multiples of 3 s since the epoch.
		at, err := time.Parse("20060102150405", named.FindStringSubmatch(name)[1])
		if err != nil || at.Unix()%3 != 0 {
			t.Errorf("backup %s is not named after a scheduled time (%v)", name, err)
		}
		out := cairn(t, ctx, 0, "backup", "describe", name)
		for _, want := range []string{"Included:  sched-app", "TTL:  1h0m0s"} {
			if !strings.Contains(out, want) {
				t.Errorf("describe %s lacks %q:\n%s", name, want, out)
			}
		}
	}

	out := cairn(t, ctx, 0, "schedule", "describe", "every3s")
	for _, want := range []string{"Name:         every3s", "Paused:  false", "Schedule:  @every 3s", "Included:  sched-app", "TTL:  1h", "Next Runs:", completed[0]} {
		if !strings.Contains(out, want) {
			t.Errorf("schedule describe lacks %q:\n%s", want, out)
		}
	}
	eventually(t, ctx, "schedule get lists the schedule", func() error {
		if out := cairn(t, ctx, 0, "schedule", "get"); !strings.Contains(out, "every3s") || !strings.Contains(out, "@every 3s") {
			return fmt.Errorf("schedule get:\n%s", out)
		}
		return nil
	})
	if out := cairn(t, ctx, 0, "schedule", "get", "every3s", "-o", "json"); !strings.Contains(out, `"schedule": "@every 3s"`) || !strings.Contains(out, `"kind": "Schedule"`) {
		t.Errorf("schedule get -o json:\n%s", out)
	}

	// Paused, it takes no backups; trigger and backfill still do.
	cairn(t, ctx, 0, "schedule", "pause", "every3s")
	if out := cairn(t, ctx, 0, "schedule", "describe", "every3s"); !strings.Contains(out, "Paused:  true") {
		t.Errorf("describe after pause:\n%s", out)
	}
	scheduled := func() []string {
		var names []string
		for _, b := range backups(t, ctx) {
			if named.MatchString(b.Name) {
				names = append(names, b.Name)
			}
		}
		slices.Sort(names)
		return names
	}
	time.Sleep(4 * time.Second) // a run that started before the pause ends
	before := scheduled()
	time.Sleep(7 * time.Second)
	if after := scheduled(); !slices.Equal(after, before) {
		t.Errorf("the paused schedule took backups: %v, then %v", before, after)
	}
	cairn(t, ctx, 0, "schedule", "trigger", "every3s")
	eventually(t, ctx, "a triggered backup", func() error {
		if n := len(scheduled()); n != len(before)+1 {
			return fmt.Errorf("%d backups, want %d", n, len(before)+1)
		}
		return nil
	})
	from := time.Now().UTC().Add(-time.Hour).Truncate(time.Minute)
	cairn(t, ctx, 0, "schedule", "backfill", "every3s", "--from", from.Add(-time.Second).Format(time.RFC3339), "--to", from.Add(4*time.Second).Format(time.RFC3339))
	eventually(t, ctx, "the backfilled backups", func() error {
		var missing []string
		for _, at := range []time.Time{from, from.Add(3 * time.Second)} {
			name := workflows.ScheduledBackupName("every3s", at)
			res, err := findBackup(t, ctx, name)
			if err != nil || res.Phase != workflows.PhaseCompleted {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("not completed: %v", missing)
		}
		return nil
	})
	cairn(t, ctx, 0, "schedule", "unpause", "every3s")

	// Velero's manual run of a schedule.
	out = cairn(t, ctx, 0, "backup", "create", "--from-schedule", "every3s", "--wait")
	m := regexp.MustCompile(`Backup request "(every3s-\d{14})" submitted successfully`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "Backup completed with status: Completed") {
		t.Fatalf("backup create --from-schedule:\n%s", out)
	}
	cairn(t, ctx, 0, "backup", "create", "from-schedule-named", "--from-schedule", "every3s", "--wait")
	// Its deletion's metrics carry the schedule's name, as Velero's do.
	cairn(t, ctx, 0, "backup", "delete", "from-schedule-named", "--confirm")
	eventually(t, ctx, "the deletion counted under its schedule", func() error {
		if n := testbed.Scrape(t, env.metrics)[`velero_backup_deletion_success_total{schedule="every3s"}`]; n != 1 {
			return fmt.Errorf("velero_backup_deletion_success_total{schedule=\"every3s\"} is %v, want 1", n)
		}
		return nil
	})

	cairn(t, ctx, 0, "schedule", "delete", "every3s", "--confirm")
	if _, _, errOut := cairnRun(ctx, "schedule", "describe", "every3s"); !strings.Contains(errOut, `schedule "every3s": not found`) {
		t.Errorf("describe after delete: %s", errOut)
	}
	if _, _, errOut := cairnRun(ctx, "backup", "create", "--from-schedule", "every3s"); !strings.Contains(errOut, "not found") {
		t.Errorf("--from-schedule of a deleted schedule: %s", errOut)
	}
	if res, err := findBackup(t, ctx, completed[0]); err != nil || res.Phase != workflows.PhaseCompleted {
		t.Errorf("the schedule's backups stay: %+v, %v", res, err)
	}
}

// findBackup describes one backup through `cairn backup get NAME -o json`.
func findBackup(t *testing.T, ctx context.Context, name string) (workflows.BackupResult, error) {
	t.Helper()
	code, out, errOut := cairnRun(ctx, "backup", "get", name, "-o", "json")
	if code != 0 {
		return workflows.BackupResult{}, fmt.Errorf("%s", errOut)
	}
	list, err := decodeBackups(out)
	if err != nil || len(list) != 1 {
		return workflows.BackupResult{}, fmt.Errorf("backup get %s: %v\n%s", name, err, out)
	}
	return list[0], nil
}

// waitScheduleIdle waits, with this test's worker still running, until no
// workflow of schedule is open for three checks in a row, so that a backup
// the schedule started just before its deletion ends here and not on the
// next test's worker, in that test's location.
func waitScheduleIdle(t *testing.T, env *cairnEnv, schedule string) {
	c, err := client.Dial(client.Options{HostPort: env.bed.Temporal.HostPort(), Namespace: env.bed.Temporal.Namespace()})
	if err != nil {
		t.Logf("waiting for schedule %s to be idle: %v", schedule, err)
		return
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	query := fmt.Sprintf("CairnSchedule = '%s' AND ExecutionStatus = 'Running'", schedule)
	for idle := 0; idle < 3; {
		list, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: env.bed.Temporal.Namespace(), Query: query,
		})
		switch {
		case err != nil:
			t.Logf("waiting for schedule %s to be idle: %v", schedule, err)
			return
		case len(list.GetExecutions()) == 0:
			idle++
		default:
			idle = 0
		}
		select {
		case <-ctx.Done():
			t.Logf("schedule %s still has open workflows: %s", schedule, query)
			return
		case <-time.After(time.Second):
		}
	}
}
