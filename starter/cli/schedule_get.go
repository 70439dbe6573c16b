package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

func newScheduleGetCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:               "get [NAME...]",
		Short:             "Get schedules",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).ScheduleNames),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := t.starter(kube, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			list, err := listOrDescribe(cmd.Context(), args, sc.ListSchedules, sc.DescribeSchedule)
			if err != nil {
				return err
			}
			if output != "table" {
				return printObjects(cmd.OutOrStdout(), output, scheduleList(list, kube.cairnNamespace()))
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSTATUS\tCREATED\tSCHEDULE\tBACKUP TTL\tLAST BACKUP\tSELECTOR\tPAUSED")
			for _, s := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%t\n", s.Name, "Enabled", stamp(s.Created), s.Cron,
					ttlOrDefault(s.Spec.TTL), ago(s.LastBackup), orNone(nonEmpty(s.Spec.LabelSelector), "<none>"), s.Paused)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	return cmd
}

// ttlOrDefault prints a spec's TTL, Velero's default when unset.
func ttlOrDefault(ttl string) string {
	if ttl == "" {
		return "720h0m0s"
	}
	return ttl
}

// ago prints how long ago t was, as Velero prints a schedule's last backup.
func ago(t time.Time) string {
	if t.IsZero() {
		return "n/a"
	}
	d := time.Since(t).Round(time.Second)
	switch {
	case d < 0:
		return "n/a"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}

// scheduleList is list as a velero.io/v1 ScheduleList of namespace ns.
func scheduleList(list []starter.Schedule, ns string) *velerov1.ScheduleList {
	out := &velerov1.ScheduleList{}
	for _, x := range list {
		out.Items = append(out.Items, objects.Schedule(x, ns))
	}
	return out
}
