package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/workflows"
)

// TestWaitInterrupted runs `cairn backup create --wait` and `cairn restore
// create --wait` as processes of their own and sends each SIGINT, as
// Ctrl-C does, while it waits (no worker runs, so the backup and the
// restore wait for one): the process says that the backup or restore goes
// on in Cairn and how to follow it, and exits with code 130; the workflow
// still runs.
func TestWaitInterrupted(t *testing.T) {
	bed := testbed.ForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bed.InstallCairn(t, ctx, "cairn-interrupt", "interrupt")
	tc := dialTemporal(t, bed)
	for _, c := range []struct {
		kind string
		args []string
		id   string
	}{
		{"backup", []string{"backup", "create", "waited-backup", "--include-namespaces", "web", "--wait"}, workflows.BackupID("waited-backup")},
		{"restore", []string{"restore", "create", "waited-restore", "--from-backup", "waited-backup", "--wait"}, workflows.RestoreID("waited-restore")},
	} {
		t.Cleanup(func() { _ = tc.TerminateWorkflow(context.Background(), c.id, "", "test over") })
		code, stderr := interruptWhileWaiting(t, ctx, c.kind, c.args...)
		t.Logf("%s create --wait, interrupted: exit %d, %s", c.kind, code, stderr)
		name := strings.TrimPrefix(c.id, c.kind+"/")
		want := `cairn: interrupt signal received: stopped waiting; ` + c.kind + ` "` + name + `" goes on in Cairn. Follow it with ` +
			"`cairn " + c.kind + " describe " + name + "`, and once it ends read its log with `cairn " + c.kind + " logs " + name + "`"
		if code != 130 || !strings.Contains(stderr, want) {
			t.Errorf("%s create --wait, interrupted: exit %d, want 130\n%s\nwant %q", c.kind, code, stderr, want)
		}
		d, err := tc.DescribeWorkflowExecution(ctx, c.id, "")
		if err != nil || d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			t.Errorf("%s after the interruption: %v, %v", c.id, d.GetWorkflowExecutionInfo().GetStatus(), err)
		}
	}
}

// interruptWhileWaiting runs the CLI with args as a process (the test
// binary acting as cairn), sends it SIGINT once it says that it waits for
// the kind to complete, and returns its exit code and error output.
func interruptWhileWaiting(t *testing.T, ctx context.Context, kind string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waiting := "Waiting for " + kind + " to complete."
	lines := bufio.NewScanner(stdout)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), waiting) {
	}
	if !strings.HasPrefix(lines.Text(), waiting) {
		err := cmd.Wait()
		t.Fatalf("cairn %s ended without waiting: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("cairn %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}
