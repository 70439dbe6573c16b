package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/workflows"
)

func newBackupGetCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var output, selector string
	cmd := &cobra.Command{
		Use:               "get [NAME...]",
		Short:             "Get backups",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).BackupNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			sel, sc, err := t.selectingStarter(cmd, kube, selector)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			list, err := listOrDescribe(cmd.Context(), args, sc.ListBackups, sc.DescribeBackup)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				list = selected(list, sel, backupLabels)
			}
			if output != "table" {
				return printObjects(cmd.OutOrStdout(), output, backupList(list, kube.cairnNamespace()))
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSTATUS\tERRORS\tWARNINGS\tCREATED\tEXPIRES\tSTORAGE LOCATION\tSELECTOR")
			for _, b := range list {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", b.Name, b.Phase, b.Errors, b.Warnings,
					stamp(b.Started), expires(b.Expiration), b.StorageLocation, orNone(nonEmpty(b.Spec.LabelSelector), "<none>"))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "only list the backups whose labels match this label selector")
	return cmd
}

// stamp prints a time as Velero does, or <none>.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "<none>"
	}
	return t.Local().Format("2006-01-02 15:04:05 -0700 MST")
}

// expires prints the time left until t, in days as Velero does.
func expires(t time.Time) string {
	if t.IsZero() {
		return "<none>"
	}
	d := time.Until(t)
	if d < 0 {
		return "expired"
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

func backupLabels(b workflows.BackupResult) map[string]string { return b.Spec.Labels }

// backupList is list as a velero.io/v1 BackupList of namespace ns.
func backupList(list []workflows.BackupResult, ns string) *velerov1.BackupList {
	out := &velerov1.BackupList{}
	for _, b := range list {
		out.Items = append(out.Items, objects.Backup(b, ns))
	}
	return out
}
