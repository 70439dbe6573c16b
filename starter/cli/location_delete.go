package cli

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newLocationDeleteCommand(k *kubeFlags) *cobra.Command {
	var confirm bool
	cmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a backup storage location",
		Long: `Delete a backup storage location and the Secret its --credential-file went
into. The data in the bucket, Secrets you made and the shared repository
password stay. Without --confirm it asks on standard input.`,
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
			if loc.Spec.Default {
				fmt.Fprintf(cmd.ErrOrStderr(), "cairn: warning: %q was the default; set another with `cairn backup-location set NAME --default`\n", name)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&confirm, "confirm", false, "delete without asking")
	return cmd
}
