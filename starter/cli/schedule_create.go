package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cairn-backup/cairn/starter"
)

func newScheduleCreateCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		flags  *backupFlags
		meta   *metaFlags
		cron   string
		paused bool
		output string
	)
	cmd := &cobra.Command{
		Use:   "create NAME --schedule CRON",
		Short: "Create a schedule",
		Long: "Create a schedule: a Temporal Schedule that backs up as the backup flags say, at the times of --schedule.\n" +
			"Its backups are named <NAME>-<YYYYMMDDhhmmss> after their scheduled time in UTC; an action due while the\n" +
			"previous backup still runs is skipped.\n\n" +
			"--schedule takes five cron fields in UTC (\"0 */6 * * *\"), a descriptor (@hourly, @daily, @weekly,\n" +
			"@monthly, @yearly, \"@every 6h\"), either one after CRON_TZ=<zone> for another time zone\n" +
			"(\"CRON_TZ=Europe/Paris 0 1 * * *\").",
		Example: `  cairn schedule create nginx-daily --schedule "0 1 * * *" --include-namespaces nginx-example --ttl 168h
  cairn schedule create every-6h --schedule "@every 6h" --selector app=nginx`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			notes, err := flags.unsupported()
			if err != nil {
				return err
			}
			note(cmd, append(notes, scheduleNotes(cmd.Flags())...)...)
			spec, err := flags.Spec()
			if err != nil {
				return err
			}
			spec.Labels, spec.Annotations = meta.labels, meta.annotations
			req := starter.ScheduleRequest{Name: args[0], Cron: cron, Spec: spec, Paused: paused}
			if err := refuse(req.Problems()); err != nil {
				return err
			}
			if output != "" {
				s := starter.Schedule{Name: req.Name, Cron: req.Cron, Spec: req.Spec, Paused: req.Paused}
				return printObjects(cmd.OutOrStdout(), output, scheduleList([]starter.Schedule{s}, kube.cairnNamespace()))
			}
			sc, err := t.starter(kube, true)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			if err := sc.CreateSchedule(cmd.Context(), req); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Schedule %q created successfully.\n", req.Name)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cron, "schedule", "", `when to back up: a cron expression in UTC such as "0 */6 * * *", "@every 6h" or "CRON_TZ=Europe/Paris 0 1 * * *"`)
	f.BoolVar(&paused, "paused", false, "create the schedule paused")
	flags = addBackupFlags(f, "the scheduled backups")
	meta = addMetaFlags(f, "each backup of the schedule")
	f.StringVarP(&output, "output", "o", "", "print the Schedule object as json or yaml instead of creating it")
	f.Bool("skip-immediately", true, "skip the backup Velero takes when a schedule is created (Cairn's schedules never take one: the first backup is at the first scheduled time)")
	f.Bool("use-owner-references-in-backup", false, "make the schedule own its Backup objects (Cairn sets no owner references: its backups carry the velero.io/schedule-name label)")
	return cmd
}

// scheduleNotes are the notes of the schedule flags Cairn has no use for.
func scheduleNotes(f *pflag.FlagSet) []string {
	var notes []string
	if v, _ := f.GetBool("skip-immediately"); f.Changed("skip-immediately") && !v {
		notes = append(notes, "--skip-immediately=false has no effect: Cairn's schedules take their first backup at the first scheduled time; `cairn backup create --from-schedule NAME` takes one now")
	}
	if v, _ := f.GetBool("use-owner-references-in-backup"); v {
		notes = append(notes, "--use-owner-references-in-backup has no effect: Cairn sets no owner references; the schedule's backups carry the velero.io/schedule-name label")
	}
	return notes
}
