package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/cairn-backup/cairn/workflows"
)

// TestCLIForms runs Velero's other forms of the commands on the test bed:
// --labels and --annotations shown by describe, kept on the records and
// selected by get --selector (for a schedule, on the backups it takes);
// the verb-first forms listing what the noun-first ones list; restore
// delete by name and by selector, refused for a running restore and an
// unknown one; the shell completion scripts and the completion of names.
func TestCLIForms(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	env := newCairnEnv(t, ctx, "cairn-forms", -1)
	createApp(t, ctx, env.bed, "forms-app")
	records, err := env.storage.Records()
	if err != nil {
		t.Fatal(err)
	}

	cairn(t, ctx, 0, "create", "backup", "forms-web", "--include-namespaces", "forms-app", "--labels", "team=web,tier=prod", "--annotations", "ticket=OPS-1", "--wait")
	cairn(t, ctx, 0, "backup", "create", "forms-db", "--include-namespaces", "forms-app", "--labels", "team=db", "--wait")
	desc := cairn(t, ctx, 0, "backup", "describe", "forms-web")
	if want := "Labels:       team=web\n              tier=prod\nAnnotations:  ticket=OPS-1\n"; !strings.Contains(desc, want) {
		t.Errorf("backup describe lacks\n%s\nin\n%s", want, desc)
	}
	if rec, err := records.GetBackup(ctx, "forms-web"); err != nil || rec.Metadata.Labels["tier"] != "prod" || rec.Metadata.Annotations["ticket"] != "OPS-1" {
		t.Errorf("the record's metadata: %+v, %v", rec.Metadata, err)
	}
	for sel, want := range map[string][]string{"team=web": {"forms-web"}, "team=db": {"forms-db"}, "team in (web,db)": {"forms-web", "forms-db"}, "tier": {"forms-web"}} {
		listed := names(cairn(t, ctx, 0, "backup", "get", "--selector", sel))
		if !sameNames(listed, want) {
			t.Errorf("backup get --selector %s lists %v, want %v", sel, listed, want)
		}
		if out := names(cairn(t, ctx, 0, "get", "backups", "-l", sel)); !sameNames(out, want) {
			t.Errorf("get backups -l %s lists %v, want %v", sel, out, want)
		}
	}

	cairn(t, ctx, 0, "create", "restore", "forms-restore", "--from-backup", "forms-web", "--namespace-mappings", "forms-app:forms-copy",
		"--labels", "purpose=drill", "--wait")
	if out := cairn(t, ctx, 0, "describe", "restores", "forms-restore"); !strings.Contains(out, "Labels:       purpose=drill\n") {
		t.Errorf("describe restores lacks the label:\n%s", out)
	}
	if out := names(cairn(t, ctx, 0, "restore", "get", "-l", "purpose=drill")); !sameNames(out, []string{"forms-restore"}) {
		t.Errorf("restore get -l purpose=drill lists %v", out)
	}

	// A schedule's labels go on each backup it takes.
	cairn(t, ctx, 0, "create", "schedule", "forms-sched", "--schedule", "@daily", "--paused", "--include-namespaces", "forms-app", "--labels", "team=sched")
	t.Cleanup(func() {
		cairnRun(context.Background(), "delete", "schedule", "forms-sched", "--confirm")
		waitScheduleIdle(t, env, "forms-sched")
	})
	cairn(t, ctx, 0, "schedule", "trigger", "forms-sched")
	scheduled := regexp.MustCompile(`^forms-sched-\d{14}$`)
	eventually(t, ctx, "the triggered backup, labeled", func() error {
		out := cairn(t, ctx, 0, "backup", "get", "-l", "team=sched")
		if l := names(out); len(l) != 1 || !scheduled.MatchString(l[0]) || !strings.Contains(out, workflows.PhaseCompleted) {
			return fmt.Errorf("backup get -l team=sched:\n%s", out)
		}
		return nil
	})
	eventually(t, ctx, "schedule get lists forms-sched", func() error {
		if out := cairn(t, ctx, 0, "schedule", "get"); !strings.Contains(out, "forms-sched") {
			return fmt.Errorf("schedule get:\n%s", out)
		}
		return nil
	})

	// The verb-first forms list what the noun-first ones list.
	for verbFirst, nounFirst := range map[string][]string{
		"get backups":                    {"backup", "get"},
		"get backup forms-web":           {"backup", "get", "forms-web"},
		"describe backups forms-web":     {"backup", "describe", "forms-web"},
		"describe backup forms-db":       {"backup", "describe", "forms-db"},
		"logs backup forms-web":          {"backup", "logs", "forms-web"},
		"get restores":                   {"restore", "get"},
		"describe restore forms-restore": {"restore", "describe", "forms-restore"},
		"logs restore forms-restore":     {"restore", "logs", "forms-restore"},
		"describe schedules forms-sched": {"schedule", "describe", "forms-sched"},
		"get backup-locations":           {"backup-location", "get"},
	} {
		if a, b := cairn(t, ctx, 0, strings.Fields(verbFirst)...), cairn(t, ctx, 0, nounFirst...); a != b || a == "" {
			t.Errorf("cairn %s:\n%s\ncairn %s:\n%s", verbFirst, a, strings.Join(nounFirst, " "), b)
		}
	}
	// (How long ago a schedule last backed up changes from one second to the next.)
	if a, b := names(cairn(t, ctx, 0, "get", "schedules")), names(cairn(t, ctx, 0, "schedule", "get")); !sameNames(a, b) || !containsLine(a, "forms-sched") {
		t.Errorf("get schedules lists %v, schedule get %v", a, b)
	}

	// Completion: the scripts, and the names of what exists.
	for shell, want := range map[string]string{"bash": "__start_cairn", "zsh": "#compdef cairn", "fish": "complete -c cairn"} {
		if out := cairn(t, ctx, 0, "completion", shell); !strings.Contains(out, want) {
			t.Errorf("completion %s lacks %q", shell, want)
		}
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "backup", "describe", ""}, []string{"forms-web", "forms-db"}},
		{[]string{"__complete", "describe", "backups", "forms-w"}, []string{"forms-web"}},
		{[]string{"__complete", "backup", "get", "forms-web", "forms-"}, []string{"forms-db"}},
		{[]string{"__complete", "restore", "logs", ""}, []string{"forms-restore"}},
		{[]string{"__complete", "schedule", "describe", "forms"}, []string{"forms-sched"}},
	} {
		out := cairn(t, ctx, 0, c.args...)
		got := strings.Split(strings.TrimSpace(out[:strings.LastIndex(out, "\n:")]), "\n")
		for _, name := range c.want {
			if !containsLine(got, name) {
				t.Errorf("cairn %s: %q lacks %s", strings.Join(c.args, " "), out, name)
			}
		}
		if strings.Contains(out, "forms-web") && !containsLine(c.want, "forms-web") {
			t.Errorf("cairn %s completes forms-web: %q", strings.Join(c.args, " "), out)
		}
	}

	testRestoreDelete(t, ctx, env)
}

// testRestoreDelete deletes restores: refused while one runs and when
// nothing knows it; then by name (the verb-first form) and by selector,
// with their files and workflows.
func testRestoreDelete(t *testing.T, ctx context.Context, env *cairnEnv) {
	records, err := env.storage.Records()
	if err != nil {
		t.Fatal(err)
	}
	c := dialTemporal(t, env.bed)
	stuck := startStuck(t, ctx, c, workflows.RestoreID("forms-running"), "Restore", temporal.NewSearchAttributes(
		workflows.AttrKind.ValueSet("stuck"), workflows.AttrName.ValueSet("forms-running")))
	if code, _, errOut := cairnRun(ctx, "restore", "delete", "forms-running", "--confirm"); code != 1 ||
		!strings.Contains(errOut, `cannot delete restore "forms-running": it is still running, and goes on until it ends`) {
		t.Errorf("restore delete of a running restore: exit %d, %s", code, errOut)
	}
	if err := c.TerminateWorkflow(ctx, stuck, "", "test"); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := cairnRun(ctx, "restore", "delete", "forms-nothing", "--confirm"); code != 1 ||
		!strings.Contains(errOut, "no backup storage location and no workflow knows it") {
		t.Errorf("restore delete of an unknown restore: exit %d, %s", code, errOut)
	}
	if code, _, errOut := cairnRun(ctx, "restore", "delete", "--confirm"); code != 1 || !strings.Contains(errOut, "you must specify exactly one of") {
		t.Errorf("restore delete without names: exit %d, %s", code, errOut)
	}

	cairn(t, ctx, 0, "restore", "create", "forms-gone", "--from-backup", "forms-db", "--namespace-mappings", "forms-app:forms-copy2",
		"--labels", "purpose=gone", "--wait")
	out := cairn(t, ctx, 0, "delete", "restore", "forms-restore", "--confirm")
	if !strings.Contains(out, `Restore "forms-restore" deleted: its files in backup storage location "default" removed; the restored objects stay in the cluster.`) {
		t.Errorf("delete restore:\n%s", out)
	}
	out = cairn(t, ctx, 0, "restore", "delete", "--selector", "purpose=gone", "--confirm")
	if !strings.Contains(out, `Restore "forms-gone" deleted`) || strings.Contains(out, "forms-restore") {
		t.Errorf("restore delete --selector purpose=gone:\n%s", out)
	}
	for _, name := range []string{"forms-restore", "forms-gone"} {
		if _, _, errOut := cairnRun(ctx, "restore", "get", name); !strings.Contains(errOut, "not found") {
			t.Errorf("restore get %s after the deletion: %s", name, errOut)
		}
		if keys, err := records.Objects.List(ctx, "restores/"+name+"/"); err != nil || len(keys) != 0 {
			t.Errorf("files left of %s: %v, %v", name, keys, err)
		}
	}
	if out := cairn(t, ctx, 0, "__complete", "restore", "describe", "forms-"); strings.Contains(out, "forms-restore") {
		t.Errorf("a deleted restore completes: %q", out)
	}
}

// names are the first column of a `get` table, without its heading.
func names(table string) []string {
	var out []string
	for i, line := range strings.Split(strings.TrimSpace(table), "\n") {
		if f := strings.Fields(line); i > 0 && len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// sameNames tells whether got and want hold the same names, in any order.
func sameNames(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		if !containsLine(got, w) {
			return false
		}
	}
	return true
}

func containsLine(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}
