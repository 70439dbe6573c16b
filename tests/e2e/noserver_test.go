package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// TestDescribeWithoutServer: while no `cairn server` polls (a restart, a
// crash), `backup get` and `backup describe` of a running backup still
// answer, from Temporal's visibility and the workflow's input, and say
// that no server is running, instead of failing on a query nobody answers.
func TestDescribeWithoutServer(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bed.InstallCairn(t, ctx, "cairn-noserver", "noserver")
	tc := dialTemporal(t, bed)
	cairn(t, ctx, 0, "backup", "create", "offline-backup", "--include-namespaces", "offline-app")
	t.Cleanup(func() {
		_ = tc.TerminateWorkflow(context.Background(), workflows.BackupID("offline-backup"), "", "test over")
	})

	out, errOut := cairnOutput(t, ctx, "backup", "describe", "offline-backup")
	for _, want := range []string{"offline-backup", "Phase:  New", "Included:  offline-app"} {
		if !strings.Contains(out, want) {
			t.Errorf("describe lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, starter.ErrNoServer.Error()) {
		t.Errorf("describe does not say that no server is running:\n%s", errOut)
	}
	if out, _ := cairnOutput(t, ctx, "backup", "get"); !strings.Contains(out, "offline-backup") || !strings.Contains(out, "New") {
		t.Errorf("backup get:\n%s", out)
	}
	// Stopped from outside Cairn (the Temporal UI's Terminate), it lists as
	// failed, and every other backup still lists.
	if err := tc.TerminateWorkflow(ctx, workflows.BackupID("offline-backup"), "", "stopped by hand"); err != nil {
		t.Fatal(err)
	}
	if out, _ := cairnOutput(t, ctx, "backup", "describe", "offline-backup"); !strings.Contains(out, "Failed") || !strings.Contains(out, "terminated from outside Cairn") {
		t.Errorf("describe of a terminated backup:\n%s", out)
	}
	cairnOutput(t, ctx, "backup", "get", "-o", "json")
}

// cairnOutput runs the CLI, which must succeed, and returns its output
// and its error output.
func cairnOutput(t *testing.T, ctx context.Context, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(ctx, args, &out, &errOut); code != 0 {
		t.Fatalf("cairn %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}
