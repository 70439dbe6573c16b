package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
)

func newScheduleDescribeCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "describe NAME...",
		Short: "Describe schedules",
		Args:  cobra.MinimumNArgs(1),
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
	w := cmd.OutOrStdout()
	s := sch.Spec
	fmt.Fprintf(w, "Name:         %s\nNamespace:    %s\n\nPhase:  Enabled\n\nPaused:  %t\n", sch.Name, kube.cairnNamespace(), sch.Paused)
	if sch.Note != "" {
		fmt.Fprintf(w, "Note:    %s\n", sch.Note)
	}
	fmt.Fprintf(w, "\nSchedule:  %s\n\nBackup Template:\n", sch.Cron)
	fmt.Fprintf(w, "  Namespaces:\n    Included:  %s\n    Excluded:  %s\n", orNone(s.IncludedNamespaces, "*"), orNone(s.ExcludedNamespaces, "<none>"))
	fmt.Fprintf(w, "\n  Resources:\n    Included:        %s\n    Excluded:        %s\n    Cluster-scoped:  %s\n",
		orNone(s.IncludedResources, "*"), orNone(s.ExcludedResources, "<none>"), tristate(s.IncludeClusterResources))
	fmt.Fprintf(w, "\n  Label selector:  %s\n\n  Or label selector:  %s\n", orNone(nonEmpty(s.LabelSelector), "<none>"), orNone(s.OrLabelSelectors, "<none>"))
	loc := s.StorageLocation
	if loc == "" {
		loc = "<default>"
	}
	fmt.Fprintf(w, "\n  Storage Location:  %s\n\n  File System Backup (Default):  %s\n\n  TTL:  %s\n", loc, tristate(s.DefaultVolumesToFsBackup), ttlOrDefault(s.TTL))
	fmt.Fprintf(w, "\nCreated:      %s\nLast Backup:  %s\nRunning:      %d\n", stamp(sch.Created), stamp(sch.LastBackup), sch.Running)
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
