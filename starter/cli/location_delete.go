package cli

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/worker"
)

func newLocationDeleteCommand(k *kubeFlags) *cobra.Command {
	var confirm bool
	var tf *temporalFlags
	cmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a backup storage location",
		Long: `Delete a backup storage location and the Secret its --credential-file went
into, and stop the maintenance schedule of its repositories. The data in the
bucket, Secrets you made and the shared repository password stay. Without
--confirm it asks on standard input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			store, err := k.locationStore()
			if err != nil {
				return err
			}
			loc, err := store.Get(cmd.Context(), name)
			if err != nil {
				return err
			}
			if !confirm {
				fmt.Fprintf(cmd.OutOrStdout(), "You are about to delete backup storage location %q.\nAre you sure you want to continue (Y/N)? ", name)
				answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
					fmt.Fprintln(cmd.OutOrStdout())
					return &exitError{code: 1, msg: fmt.Sprintf("not deleting backup storage location %q: not confirmed (pass --confirm)", name)}
				}
			}
			if err := store.Delete(cmd.Context(), name); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Backup storage location %q deleted.\n", name)
			stopMaintenance(cmd, tf, name)
			if loc.Spec.Default {
				fmt.Fprintf(cmd.ErrOrStderr(), "cairn: warning: %q was the default; set another with `cairn backup-location set NAME --default`\n", name)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "delete without asking")
	tf = addTemporalFlags(cmd)
	return cmd
}

// stopMaintenance removes the repository maintenance schedule of deleted
// location name. When Temporal cannot be reached it warns: the server's
// location validation removes the schedule within a minute.
func stopMaintenance(cmd *cobra.Command, tf *temporalFlags, name string) {
	c, cl, err := tf.dial()
	if err == nil {
		defer c.Close()
		err = worker.DeleteRepoMaintenanceSchedule(cmd.Context(), c, cl, name)
	}
	if err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "cairn: warning: the repository maintenance schedule of %q stays until the server's next location validation: %v\n", name, err)
	}
}
