package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/workflows"
)

func newBackupCreateCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		spec     activities.BackupSpec
		cluster  optionalBool
		fsBackup optionalBool
		wait     bool
		orSel    string
	)
	cmd := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a backup",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.IncludeClusterResources, spec.DefaultVolumesToFsBackup = cluster.value, fsBackup.value
			if orSel != "" {
				spec.OrLabelSelectors = strings.Split(orSel, " or ")
			}
			sc, err := t.starter(kube, true)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			name := args[0]
			if err := sc.StartBackup(cmd.Context(), workflows.BackupInput{Name: name, Spec: spec}); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Backup request %q submitted successfully.\n", name)
			if !wait {
				fmt.Fprintf(out, "Run `cairn backup describe %s` for more details.\n", name)
				return nil
			}
			fmt.Fprintln(out, "Waiting for backup to complete. You may safely press ctrl-c to stop waiting - your backup will continue in the background.")
			res, err := sc.WaitBackup(cmd.Context(), name)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "\nBackup completed with status: %s. You may check for more information using `cairn backup describe %s --details`.\n", res.Phase, name)
			return phaseExit("backup", name, res.Phase, res.FailureReason)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&spec.IncludedNamespaces, "include-namespaces", nil, "namespaces to include in the backup (use '*' for all namespaces)")
	f.StringSliceVar(&spec.ExcludedNamespaces, "exclude-namespaces", nil, "namespaces to exclude from the backup")
	f.StringSliceVar(&spec.IncludedResources, "include-resources", nil, "resources to include in the backup, formatted as resource.group, such as storageclasses.storage.k8s.io (use '*' for all resources)")
	f.StringSliceVar(&spec.ExcludedResources, "exclude-resources", nil, "resources to exclude from the backup, formatted as resource.group")
	f.Var(&cluster, "include-cluster-resources", "include cluster-scoped resources in the backup (default: auto)")
	f.Lookup("include-cluster-resources").NoOptDefVal = "true"
	f.StringVarP(&spec.LabelSelector, "selector", "l", "", "only back up resources matching this label selector")
	f.StringVar(&orSel, "or-selector", "", "back up resources matching at least one of the label selectors separated by ' or ' ('app=a or app=b')")
	f.StringVar(&spec.TTL, "ttl", "720h0m0s", "how long before the backup can be garbage collected")
	f.StringVar(&spec.StorageLocation, "storage-location", "", "location in which to store the backup (default: the default location)")
	f.Var(&fsBackup, "default-volumes-to-fs-backup", "use pod volume file system backup by default for volumes")
	f.Lookup("default-volumes-to-fs-backup").NoOptDefVal = "true"
	f.Var(&fsBackup, "default-volumes-to-restic", "deprecated alias of --default-volumes-to-fs-backup")
	f.Lookup("default-volumes-to-restic").NoOptDefVal = "true"
	_ = f.MarkDeprecated("default-volumes-to-restic", "use --default-volumes-to-fs-backup")
	f.BoolVarP(&wait, "wait", "w", false, "wait for the operation to complete")
	return cmd
}

// phaseExit makes a failed backup or restore end the command with exit code 1.
func phaseExit(kind, name, phase, reason string) error {
	switch phase {
	case workflows.PhaseCompleted:
		return nil
	case workflows.PhasePartiallyFailed:
		return &exitError{code: 1, msg: fmt.Sprintf("%s %s partially failed", kind, name)}
	}
	msg := fmt.Sprintf("%s %s: %s", kind, name, phase)
	if reason != "" {
		msg += ": " + reason
	}
	return &exitError{code: 1, msg: msg}
}
