package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newBackupLogsCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	cmd := newLogsCommand(kube, t, "backup", func(ctx context.Context, sc *starter.Client, name string) (string, string, error) {
		b, err := sc.DescribeBackup(ctx, name)
		return b.Phase, b.StorageLocation, err
	}, (*starter.Client).BackupLog)
	cmd.ValidArgsFunction = completeNames(t, 1, (*starter.Client).BackupNames)
	return cmd
}

func newRestoreLogsCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	// The log is in the location of the restored backup; a restore that
	// failed before it found one has none.
	cmd := newLogsCommand(kube, t, "restore", func(ctx context.Context, sc *starter.Client, name string) (string, string, error) {
		r, err := sc.DescribeRestore(ctx, name)
		return r.Phase, r.StorageLocation, err
	}, (*starter.Client).RestoreLog)
	cmd.ValidArgsFunction = completeNames(t, 1, (*starter.Client).RestoreNames)
	return cmd
}

// newLogsCommand is `<kind> logs NAME`: once the backup or restore has
// finished, its log from the storage location, with Velero's messages.
func newLogsCommand(kube *kubeFlags, t *temporalFlags, kind string,
	describe func(ctx context.Context, sc *starter.Client, name string) (phase, location string, err error),
	getLog func(sc *starter.Client, ctx context.Context, location, name string) ([]byte, error),
) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "logs " + strings.ToUpper(kind),
		Short: "Get " + kind + " logs",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			sc, err := t.starter(kube, true)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			phase, location, err := describe(ctx, sc, name)
			if errors.Is(err, starter.ErrNotFound) {
				return fmt.Errorf("%s %q does not exist", kind, name)
			}
			if err != nil {
				return fmt.Errorf("error checking for %s %q: %w", kind, name, err)
			}
			if !finished(phase) {
				return fmt.Errorf("logs for %s %q are not available until it's finished processing, please wait "+
					"until the %s has a phase of Completed or Failed and try again", kind, name, kind)
			}
			log, err := getLog(sc, ctx, location, name)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(log)
			return err
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", time.Minute, "how long to wait to receive logs")
	return cmd
}

// finished tells whether a backup or restore in phase has stored its log,
// as Velero's `logs` commands ask: Completed, PartiallyFailed or Failed.
func finished(phase string) bool {
	switch phase {
	case workflows.PhaseCompleted, workflows.PhasePartiallyFailed, workflows.PhaseFailed:
		return true
	}
	return false
}
