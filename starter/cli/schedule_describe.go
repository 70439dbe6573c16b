package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
)

func newScheduleDescribeCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	return &cobra.Command{
		Use:               "describe NAME...",
		Short:             "Describe schedules",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).ScheduleNames),
		Args:              cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			return describeEach(cmd, args, sc.DescribeSchedule, func(s starter.Schedule) error {
				describeSchedule(cmd, kube, s)
				return nil
			})
		},
	}
}

func describeSchedule(cmd *cobra.Command, kube *kubeFlags, sch starter.Schedule) {
	d := newDescriber(cmd.OutOrStdout())
	d.meta(sch.Name, kube.cairnNamespace(), sch.Spec.Labels, sch.Spec.Annotations)
	d.text("\n")
	d.line("Phase", "Enabled")
	d.text("\n")
	d.line("Paused", fmt.Sprint(sch.Paused))
	if sch.Note != "" {
		d.line("Note", sch.Note)
	}
	d.text("\n")
	d.line("Schedule", sch.Cron)
	d.text("\nBackup Template:\n")
	loc := sch.Spec.StorageLocation
	if loc == "" {
		loc = "<default>"
	}
	describeBackupSpec(d, "  ", sch.Spec, loc, ttlOrDefault(sch.Spec.TTL))
	d.text("\n")
	d.line("Created", stamp(sch.Created))
	d.line("Last Backup", stamp(sch.LastBackup))
	d.line("Running", fmt.Sprint(sch.Running))
	w := d.raw()
	fmt.Fprintln(w, "\nNext Runs:")
	if len(sch.NextRuns) == 0 {
		fmt.Fprintln(w, "  <none>")
	}
	for i, t := range sch.NextRuns {
		if i == 3 {
			break
		}
		fmt.Fprintf(w, "  %s\n", stamp(t))
	}
	fmt.Fprintln(w, "\nRecent Backups:")
	if len(sch.Backups) == 0 {
		fmt.Fprintln(w, "  <none>")
	}
	for _, b := range sch.Backups {
		fmt.Fprintf(w, "  %-40s %-16s %s\n", b.Name, b.Phase, stamp(b.Started))
	}
}
