package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newRestoreGetCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "get [NAME...]",
		Short: "Get restores",
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := t.recordsStarter(cmd, kube)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			list, err := listOrDescribe(cmd.Context(), args, sc.ListRestores, sc.DescribeRestore)
			if err != nil {
				return err
			}
			if output != "table" {
				return printStructured(cmd.OutOrStdout(), output, list)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tBACKUP\tSTATUS\tSTARTED\tCOMPLETED\tERRORS\tWARNINGS")
			for _, r := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\n", r.Name, r.BackupName, r.Phase,
					stamp(r.Started), stamp(r.Completed), r.Errors, r.Warnings)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}
