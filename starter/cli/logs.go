package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newBackupLogsCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "logs BACKUP",
		Short: "Get backup logs",
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
			b, err := sc.DescribeBackup(ctx, name)
			if errors.Is(err, starter.ErrNotFound) {
				return fmt.Errorf("backup %q does not exist", name)
			}
			if err != nil {
				return fmt.Errorf("error checking for backup %q: %w", name, err)
			}
			if !finished(b.Phase) {
				return fmt.Errorf("logs for backup %q are not available until it's finished processing, please wait "+
					"until the backup has a phase of Completed or Failed and try again", name)
			}
			log, err := sc.BackupLog(ctx, b.StorageLocation, name)
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

func newRestoreLogsCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "logs RESTORE",
		Short: "Get restore logs",
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
			r, err := sc.DescribeRestore(ctx, name)
			if errors.Is(err, starter.ErrNotFound) {
				return fmt.Errorf("restore %q does not exist", name)
			}
			if err != nil {
				return fmt.Errorf("error checking for restore %q: %w", name, err)
			}
			if !finished(r.Phase) {
				return fmt.Errorf("logs for restore %q are not available until it's finished processing, please wait "+
					"until the restore has a phase of Completed or Failed and try again", name)
			}
			// The log is in the location of the restored backup; a restore
			// that failed before it found one has none.
			log, err := sc.RestoreLog(ctx, r.StorageLocation, name)
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
