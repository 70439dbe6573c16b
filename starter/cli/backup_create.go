package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/workflows"
)

func newBackupCreateCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		flags        *backupFlags
		fromSchedule string
		wait         bool
	)
	cmd := &cobra.Command{
		Use:   "create NAME | create [NAME] --from-schedule SCHEDULE",
		Short: "Create a backup",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			if fromSchedule == "" && name == "" {
				return errors.New("a backup name is required: cairn backup create NAME, or --from-schedule SCHEDULE")
			}
			if fromSchedule != "" && flags.changed(cmd.Flags()) {
				return errors.New("--from-schedule backs up as the schedule says; drop the other backup flags, or create the backup without --from-schedule")
			}
			spec, err := flags.Spec()
			if err != nil {
				return err
			}
			sc, err := t.starter(kube, true)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			if fromSchedule != "" {
				name, err = sc.StartBackupFromSchedule(cmd.Context(), fromSchedule, name)
			} else {
				err = sc.StartBackup(cmd.Context(), workflows.BackupInput{Name: name, Spec: spec})
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Backup request %q submitted successfully.\n", name)
			if !wait {
				fmt.Fprintf(out, "Run `cairn backup describe %s` for more details.\n", name)
				return nil
			}
			fmt.Fprintln(out, "Waiting for backup to complete. You may safely press ctrl-c to stop waiting - your backup will continue in the background.")
			stop := followProgress(cmd.Context(), out, backupProgress(sc, name))
			res, err := sc.WaitBackup(cmd.Context(), name)
			stop()
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "\nBackup completed with status: %s. You may check for more information using `cairn backup describe %s --details`.\n", res.Phase, name)
			return phaseExit("backup", name, res.Phase, res.FailureReason)
		},
	}
	f := cmd.Flags()
	flags = addBackupFlags(f, "the backup")
	f.StringVar(&fromSchedule, "from-schedule", "", "create a backup from the template of an existing schedule (the name defaults to <schedule>-<YYYYMMDDhhmmss>)")
	f.BoolVarP(&wait, "wait", "w", false, "wait for the operation to complete")
	return cmd
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
