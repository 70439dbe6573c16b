package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/workflows"
)

// submission is a backup or restore just submitted, as `create` reports
// and, with --wait, follows it.
type submission struct {
	kind, name string // "backup", its name
	// details is the describe command the outcome points to.
	details string
	poll    func(context.Context) (progress, error)
	// wait waits until it ends and returns its phase and failure reason.
	wait func(context.Context) (phase, reason string, err error)
}

// report says that the backup or restore was submitted and, with wait,
// follows it until it ends: the exit code is its outcome's (see
// phaseExit). Interrupted (Ctrl-C), it says that the work goes on in Cairn
// and how to follow it, and exits with interruptedCode.
func (s submission) report(cmd *cobra.Command, wait bool) error {
	out := cmd.OutOrStdout()
	heading := title(s.kind)
	fmt.Fprintf(out, "%s request %q submitted successfully.\n", heading, s.name)
	if !wait {
		fmt.Fprintf(out, "Run `cairn %s describe %s` for more details.\n", s.kind, s.name)
		return nil
	}
	fmt.Fprintf(out, "Waiting for %s to complete. You may safely press ctrl-c to stop waiting - your %s will continue in the background.\n", s.kind, s.kind)
	stop := followProgress(cmd.Context(), out, s.poll)
	phase, reason, err := s.wait(cmd.Context())
	stop()
	if err != nil && cmd.Context().Err() != nil {
		return interrupted(cmd.Context(), s.kind, s.name)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s completed with status: %s. You may check for more information using `%s`.\n", heading, phase, s.details)
	return phaseExit(s.kind, s.name, phase, reason)
}

// title is kind with a capital: "Backup".
func title(kind string) string { return strings.ToUpper(kind[:1]) + kind[1:] }

// interruptedCode is the exit code of a --wait that Ctrl-C stopped, as a
// shell reports a command that SIGINT ended.
const interruptedCode = 130

// interrupted ends a --wait that Ctrl-C (or another cancellation of ctx)
// stopped: the backup or restore goes on in Cairn, and the message says
// how to follow it.
func interrupted(ctx context.Context, kind, name string) error {
	return &exitError{code: interruptedCode, msg: fmt.Sprintf(
		"%v: stopped waiting; %s %q goes on in Cairn. Follow it with `cairn %s describe %s`, and once it ends read its log with `cairn %s logs %s`",
		context.Cause(ctx), kind, name, kind, name, kind, name)}
}

// phaseExit makes a failed backup or restore end the command with exit code 1.
func phaseExit(kind, name, phase, reason string) error {
	switch phase {
	case workflows.PhaseCompleted:
		return nil
	case workflows.PhasePartiallyFailed:
		return &exitError{code: 1, msg: fmt.Sprintf("%s %s partially failed", kind, name)}
	}
	msg := fmt.Sprintf("%s %s: %s", kind, name, phase)
	if reason != "" {
		msg += ": " + reason
	}
	return &exitError{code: 1, msg: msg}
}
