package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/workflows"
)

func newRestoreCreateCommand(t *temporalFlags) *cobra.Command {
	var (
		spec      activities.RestoreSpec
		mappings  string
		nodePorts optionalBool
		volumes   optionalBool
		wait      bool
		hooksFile string
	)
	cmd := &cobra.Command{
		Use:   "create [NAME] --from-backup BACKUP",
		Short: "Create a restore",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if spec.BackupName == "" {
				return errors.New("--from-backup is required")
			}
			var err error
			if spec.NamespaceMappings, err = restore.ParseNamespaceMappings(mappings); err != nil {
				return fmt.Errorf("--namespace-mappings: %w", err)
			}
			spec.PreserveNodePorts, spec.RestoreVolumes = nodePorts.value, volumes.value
			if spec.Hooks, err = readHooksFile[hooks.RestoreHooks](hooksFile); err != nil {
				return err
			}
			if err := hooks.ValidateRestoreHooks(spec.Hooks); err != nil {
				return err
			}
			name := spec.BackupName + "-" + time.Now().Format("20060102150405")
			if len(args) == 1 {
				name = args[0]
			}
			sc, err := t.starter(nil, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			if err := sc.StartRestore(cmd.Context(), workflows.RestoreInput{Name: name, Spec: spec}); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Restore request %q submitted successfully.\n", name)
			if !wait {
				fmt.Fprintf(out, "Run `cairn restore describe %s` for more details.\n", name)
				return nil
			}
			fmt.Fprintln(out, "Waiting for restore to complete. You may safely press ctrl-c to stop waiting - your restore will continue in the background.")
			stop := followProgress(cmd.Context(), out, restoreProgress(sc, name))
			res, err := sc.WaitRestore(cmd.Context(), name)
			stop()
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "\nRestore completed with status: %s. You may check for more information using `cairn restore describe %s`.\n", res.Phase, name)
			return phaseExit("restore", name, res.Phase, res.FailureReason)
		},
	}
	f := cmd.Flags()
	f.StringVar(&spec.BackupName, "from-backup", "", "backup to restore from")
	f.StringVar(&hooksFile, "hooks-file", "", "YAML file with the spec.hooks of the restore in Velero's form (resources: [{name, includedNamespaces, labelSelector, postHooks: [{init: {...}}, {exec: {...}}]}])")
	f.StringSliceVar(&spec.IncludedNamespaces, "include-namespaces", nil, "namespaces to include in the restore (use '*' for all namespaces)")
	f.StringSliceVar(&spec.ExcludedNamespaces, "exclude-namespaces", nil, "namespaces to exclude from the restore")
	f.StringSliceVar(&spec.IncludedResources, "include-resources", nil, "resources to include in the restore, formatted as resource.group (use '*' for all resources)")
	f.StringSliceVar(&spec.ExcludedResources, "exclude-resources", nil, "resources to exclude from the restore, formatted as resource.group")
	f.StringVar(&mappings, "namespace-mappings", "", "namespace mappings from name in the backup to desired restored name in the form src1:dst1,src2:dst2,...")
	f.StringVar(&spec.ExistingResourcePolicy, "existing-resource-policy", "", "restore policy for existing resources: none or update")
	f.Var(&nodePorts, "preserve-nodeports", "whether to preserve nodeports of Services when restoring")
	f.Lookup("preserve-nodeports").NoOptDefVal = "true"
	f.Var(&volumes, "restore-volumes", "whether to restore volumes from snapshots")
	f.Lookup("restore-volumes").NoOptDefVal = "true"
	f.BoolVarP(&wait, "wait", "w", false, "wait for the operation to complete")
	return cmd
}
