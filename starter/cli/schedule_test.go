package cli

import (
	"strings"
	"testing"
)

// TestScheduleAndDeleteBadInput checks the errors that stop a command
// before it reaches Temporal or the cluster.
func TestScheduleAndDeleteBadInput(t *testing.T) {
	t.Setenv("CAIRN_TEMPORAL_ADDRESS", "127.0.0.1:1") // nothing listens: any dial would fail differently
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"schedule", "create", "nightly"}, "cairn: --schedule: a schedule is required: pass --schedule"},
		{[]string{"schedule", "create", "Nightly", "--schedule", "@daily"}, `cairn: name "Nightly": a lowercase RFC 1123 subdomain`},
		{[]string{"schedule", "create", strings.Repeat("n", 49), "--schedule", "@daily"}, "49 characters; at most 48"},
		{[]string{"schedule", "create", "n", "--schedule", "0 25 * * *"}, `cairn: --schedule "0 25 * * *": end of range (25) above maximum (23)`},
		{[]string{"schedule", "create", "n", "--schedule", "@every 1ms"}, `--schedule "@every 1ms": @every takes a duration of at least 1s`},
		{[]string{"schedule", "create", "n", "--schedule", "@daily", "--ttl", "1 week"}, `cairn: --ttl "1 week": not a duration; write e.g. 72h or 30m`},
		{[]string{"schedule", "create", "n", "--schedule", "@daily", "-l", "a=b", "--or-selector", "c=d"}, "cannot be combined"},
		{[]string{"schedule", "backfill", "n", "--from", "yesterday", "--to", "2026-01-01T00:00:00Z"}, "--from \"yesterday\": want an RFC 3339 time"},
		{[]string{"schedule", "pause"}, "give at least one schedule name, or --all"},
		{[]string{"backup", "create"}, "a backup name is required"},
		{[]string{"backup", "create", "--from-schedule", "n", "--ttl", "1h"}, "--from-schedule backs up as the schedule says"},
	} {
		code, out, errOut := cairn(t, c.args...)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("cairn %s: exit %d, %s%s; want an error with %q", strings.Join(c.args, " "), code, out, errOut, c.want)
		}
	}
}

func TestBackupDeleteAsksForConfirmation(t *testing.T) {
	t.Setenv("CAIRN_TEMPORAL_ADDRESS", "127.0.0.1:1")
	code, out, errOut := cairn(t, "backup", "delete", "b1", "b2") // stdin is empty: not confirmed
	if code != 0 || !strings.Contains(out, "You are about to delete 2 backup(s): b1, b2. Are you sure you want to continue (Y/N)?") ||
		!strings.Contains(out, "Cancelling backup deletion") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}
