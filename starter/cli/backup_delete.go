package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newBackupDeleteCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var confirm bool
	cmd := &cobra.Command{
		Use:               "delete NAME...",
		Short:             "Delete backups: their snapshots, records and restores",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).BackupNames),
		Long: "Delete backups as Velero does: the backup's resources snapshot and pod volume snapshots, its files in the\n" +
			"backup storage location and its restores. Refused while the backup or a restore from it runs. The space of\n" +
			"the snapshots' data is reclaimed by a later prune of the repositories.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := refuse(checkNames(args, activities.CheckBackupName)); err != nil {
				return err
			}
			if !confirm && !confirmed(cmd, fmt.Sprintf("You are about to delete %d backup(s): %s.", len(args), orNone(args, ""))) {
				fmt.Fprintln(cmd.OutOrStdout(), "Cancelling backup deletion")
				return nil
			}
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			return deletions{kind: "backup", start: sc.StartDelete, wait: func(ctx context.Context, name string) (string, string, error) {
				res, err := sc.WaitDelete(ctx, name)
				removed := fmt.Sprintf("%d snapshot(s) removed", res.Snapshots)
				if len(res.Restores) > 0 {
					removed += ", with restore(s) " + orNone(res.Restores, "")
				}
				return removed, refusal(res.Phase, workflows.PhaseCompleted, res.FailureReason), err
			}}.run(cmd, args)
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "confirm deletion without asking")
	return cmd
}
