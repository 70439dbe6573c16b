package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/workflows"
)

func newBackupDeleteCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var confirm bool
	cmd := &cobra.Command{
		Use:   "delete NAME...",
		Short: "Delete backups: their snapshots, records and restores",
		Long: "Delete backups as Velero does: the backup's resources snapshot and pod volume snapshots, its files in the\n" +
			"backup storage location and its restores. Refused while the backup or a restore from it runs. The space of\n" +
			"the snapshots' data is reclaimed by a later prune of the repositories.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if !confirm && !confirmed(cmd, fmt.Sprintf("You are about to delete %d backup(s): %s.", len(args), orNone(args, ""))) {
				fmt.Fprintln(out, "Cancelling backup deletion")
				return nil
			}
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			for _, name := range args {
				if err := sc.StartDelete(cmd.Context(), name); err != nil {
					return err
				}
				fmt.Fprintf(out, "Request to delete backup %q submitted successfully.\n", name)
			}
			var failed []string
			for _, name := range args {
				res, err := sc.WaitDelete(cmd.Context(), name)
				if err != nil {
					return err
				}
				if res.Phase != workflows.PhaseCompleted {
					fmt.Fprintf(cmd.ErrOrStderr(), "cairn: backup %s: %s\n", name, res.FailureReason)
					failed = append(failed, name)
					continue
				}
				fmt.Fprintf(out, "Backup %q deleted: %d snapshot(s) removed", name, res.Snapshots)
				if len(res.Restores) > 0 {
					fmt.Fprintf(out, ", with restore(s) %s", orNone(res.Restores, ""))
				}
				fmt.Fprintln(out, ".")
			}
			if len(failed) > 0 {
				return &exitError{code: 1, msg: fmt.Sprintf("could not delete %s", orNone(failed, ""))}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "confirm deletion without asking")
	return cmd
}
