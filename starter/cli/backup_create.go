package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newBackupCreateCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		flags        *backupFlags
		meta         *metaFlags
		fromSchedule string
		wait         bool
		output       string
	)
	cmd := &cobra.Command{
		Use:   "create NAME | create [NAME] --from-schedule SCHEDULE",
		Short: "Create a backup",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			if fromSchedule == "" && name == "" {
				return errors.New("a backup name is required: cairn backup create NAME, or --from-schedule SCHEDULE")
			}
			if fromSchedule != "" && flags.changed(cmd.Flags()) {
				return errors.New("--from-schedule backs up as the schedule says; drop the other backup flags, or create the backup without --from-schedule")
			}
			notes, err := flags.unsupported()
			if err != nil {
				return err
			}
			note(cmd, notes...)
			spec, err := flags.Spec()
			if err != nil {
				return err
			}
			spec.Labels, spec.Annotations = meta.labels, meta.annotations
			if err := checkBackupCreate(name, fromSchedule, spec); err != nil {
				return err
			}
			if output != "" {
				if fromSchedule != "" {
					return errors.New("-o with --from-schedule: the backup's spec is the schedule's template; print it with `cairn schedule get " + fromSchedule + " -o yaml`")
				}
				return printObjects(cmd.OutOrStdout(), output, backupList([]workflows.BackupResult{{Name: name, Spec: spec}}, kube.cairnNamespace()))
			}
			sc, err := t.starter(kube, true)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			if fromSchedule != "" {
				name, err = sc.StartBackupFromSchedule(cmd.Context(), fromSchedule, name, spec.Labels, spec.Annotations)
			} else {
				err = sc.StartBackup(cmd.Context(), workflows.BackupInput{Name: name, Spec: spec})
			}
			if err != nil {
				return err
			}
			return submittedBackup(cmd, sc, name, wait)
		},
	}
	f := cmd.Flags()
	flags = addBackupFlags(f, "the backup")
	meta = addMetaFlags(f, "the backup")
	f.StringVar(&fromSchedule, "from-schedule", "", "create a backup from the template of an existing schedule (the name defaults to <schedule>-<YYYYMMDDhhmmss>)")
	f.BoolVarP(&wait, "wait", "w", false, "wait for the operation to complete")
	f.StringVarP(&output, "output", "o", "", "print the Backup object as json or yaml instead of creating it")
	return cmd
}

// checkBackupCreate refuses a backup that the workers would refuse, before
// anything starts: with --from-schedule, the schedule's template was
// checked when the schedule was created, so only the name (when given)
// and the labels and annotations are.
func checkBackupCreate(name, fromSchedule string, spec activities.BackupSpec) error {
	if fromSchedule == "" {
		return refuse(activities.CheckBackup(name, spec))
	}
	errs := activities.CheckBackupSpec(activities.BackupSpec{Labels: spec.Labels, Annotations: spec.Annotations})
	if name != "" {
		errs = append(activities.CheckBackupName(name), errs...)
	}
	return refuse(errs)
}

// submittedBackup reports backup name, submitted, as submission does.
func submittedBackup(cmd *cobra.Command, sc *starter.Client, name string, wait bool) error {
	return submission{kind: "backup", name: name, details: "cairn backup describe " + name + " --details",
		poll: backupProgress(sc, name),
		wait: func(ctx context.Context) (string, string, error) {
			res, err := sc.WaitBackup(ctx, name)
			return res.Phase, res.FailureReason, err
		}}.report(cmd, wait)
}
