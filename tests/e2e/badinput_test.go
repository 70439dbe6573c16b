package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// TestBadInputStartsNothing: backup, restore and schedule create refuse
// bad input on the command line, exit code 1, with a message that names
// the flag and what to write instead, and start nothing: no workflow, no
// schedule, no record, nothing that `get` lists. No worker runs, so that
// anything started would stay to be seen; a good backup is submitted, to
// show that the refusals are the checks'. A subcommand that does not
// exist fails too.
func TestBadInputStartsNothing(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	store := bed.InstallCairn(t, ctx, "cairn-badinput", "badinput")
	tc := dialTemporal(t, bed)
	for _, c := range []struct {
		args []string
		want string
		id   string // the workflow or schedule it would have started
	}{
		{[]string{"backup", "create", "bad-ttl", "--ttl", "3x"}, `cairn: --ttl "3x": not a duration; write e.g. 72h or 30m`, workflows.BackupID("bad-ttl")},
		{[]string{"backup", "create", "bad-sel", "--selector", "app in (a"}, `cairn: --selector "app in (a": `, workflows.BackupID("bad-sel")},
		{[]string{"backup", "create", "bad-or", "--or-selector", "app=a or tier in (b"}, `cairn: --or-selector "tier in (b": `, workflows.BackupID("bad-or")},
		{[]string{"backup", "create", "bad-ns", "--include-namespaces", "web,db", "--exclude-namespaces", "web"},
			`cairn: --exclude-namespaces "web": is included too; a namespace is either included or excluded`, workflows.BackupID("bad-ns")},
		{[]string{"backup", "create", "bad-all", "--exclude-namespaces", "*,tmp"}, `cairn: --exclude-namespaces "*": cannot exclude every namespace`, workflows.BackupID("bad-all")},
		{[]string{"backup", "create", "Bad_Name"}, `cairn: name "Bad_Name": a lowercase RFC 1123 subdomain`, workflows.BackupID("Bad_Name")},
		{[]string{"backup", "create", "bad-label", "--labels", "team=web,bad key=x"}, `cairn: --labels "bad key": name part must consist of`, workflows.BackupID("bad-label")},
		{[]string{"restore", "create", "bad-map", "--from-backup", "b", "--namespace-mappings", "a:x,a:y"},
			`cairn: --namespace-mappings "a:x,a:y": a is mapped twice, to x and to y; map each namespace once`, workflows.RestoreID("bad-map")},
		{[]string{"restore", "create", "bad-policy", "--from-backup", "b", "--existing-resource-policy", "overwrite"},
			`cairn: --existing-resource-policy "overwrite": supported values: "none", "update"`, workflows.RestoreID("bad-policy")},
		{[]string{"restore", "create", "bad-from", "--from-backup", "B"}, `cairn: --from-backup "B": a lowercase RFC 1123 subdomain`, workflows.RestoreID("bad-from")},
		{[]string{"schedule", "create", "bad-cron", "--schedule", "61 * * * *"}, `cairn: --schedule "61 * * * *": `, workflows.ScheduleID("bad-cron")},
		{[]string{"schedule", "create", "bad-sched-ttl", "--schedule", "@daily", "--ttl", "-1h"}, `cairn: --ttl "-1h": negative`, workflows.ScheduleID("bad-sched-ttl")},
	} {
		code, out, errOut := cairnRun(ctx, c.args...)
		if code != 1 || !strings.Contains(errOut, c.want) || strings.Contains(out, "successfully") {
			t.Errorf("cairn %s: exit %d\n%s%s\nwant exit 1 and %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
		if err := started(ctx, tc, c.id); err == nil || !isNotFound(err) {
			t.Errorf("cairn %s started %s: %v", strings.Join(c.args, " "), c.id, err)
		}
	}
	for _, args := range [][]string{{"backup", "get"}, {"restore", "get"}, {"schedule", "get"}} {
		if out := cairn(t, ctx, 0, args...); strings.Contains(out, "bad-") || strings.Contains(out, "Bad_Name") {
			t.Errorf("cairn %s lists a refused one:\n%s", strings.Join(args, " "), out)
		}
	}
	st, err := activities.KubeLocations{Store: store}.Resolve(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	records, err := st.Records()
	if err != nil {
		t.Fatal(err)
	}
	for _, prefix := range []string{"backups/", "restores/"} {
		if keys, err := records.Objects.List(ctx, prefix); err != nil || len(keys) != 0 {
			t.Errorf("files in %s: %v, %v", prefix, keys, err)
		}
	}

	// The checks pass what is good: this one is submitted (and stays New).
	cairn(t, ctx, 0, "backup", "create", "good-one", "--ttl", "72h", "--include-namespaces", "web,db", "--exclude-namespaces", "tmp", "--labels", "check=good")
	t.Cleanup(func() {
		_ = tc.TerminateWorkflow(context.Background(), workflows.BackupID("good-one"), "", "test over")
	})
	if err := started(ctx, tc, workflows.BackupID("good-one")); err != nil {
		t.Errorf("the good backup: %v", err)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"backup", "frobnicate"}, `cairn: unknown command "frobnicate" for "cairn backup"`},
		{[]string{"frobnicate"}, `cairn: unknown command "frobnicate" for "cairn"`},
		{[]string{"backup", "creat", "x"}, "Did you mean this?\n\tcreate\n"},
		{[]string{"get", "backupz"}, "Did you mean this?\n\tbackups\n"},
		{[]string{"schedule", "frobnicate"}, `unknown command "frobnicate" for "cairn schedule"`},
	} {
		if code, out, errOut := cairnRun(ctx, c.args...); code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("cairn %s: exit %d\n%s%s\nwant exit 1 and %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
	}
}

// started describes workflow or schedule id (schedule/… is a schedule).
func started(ctx context.Context, c client.Client, id string) error {
	if strings.HasPrefix(id, workflows.ScheduleID("")) {
		_, err := c.ScheduleClient().GetHandle(ctx, id).Describe(ctx)
		return err
	}
	_, err := c.DescribeWorkflowExecution(ctx, id, "")
	return err
}

func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}
