package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

func newRestoreGetCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var output, selector string
	cmd := &cobra.Command{
		Use:               "get [NAME...]",
		Short:             "Get restores",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).RestoreNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			sel, sc, err := t.selectingStarter(cmd, kube, selector)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			list, err := listOrDescribe(cmd.Context(), args, sc.ListRestores, sc.DescribeRestore)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				list = selected(list, sel, restoreLabels)
			}
			if output != "table" {
				return printObjects(cmd.OutOrStdout(), output, restoreList(list, kube.cairnNamespace()))
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
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "only list the restores whose labels match this label selector")
	return cmd
}

// restoreList is list as a velero.io/v1 RestoreList of namespace ns.
func restoreList(list []workflows.RestoreResult, ns string) *velerov1.RestoreList {
	out := &velerov1.RestoreList{}
	for _, x := range list {
		out.Items = append(out.Items, objects.Restore(x, ns))
	}
	return out
}
