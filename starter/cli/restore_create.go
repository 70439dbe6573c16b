package cli

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newRestoreCreateCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		spec      activities.RestoreSpec
		mappings  string
		nodePorts optionalBool
		volumes   optionalBool
		wait      bool
		hooksFile string
		meta      *metaFlags
		cluster   optionalBool
		orSel     string
		schedule  string
		partial   bool
		unused    restoreUnsupported
		output    string
	)
	cmd := &cobra.Command{
		Use:   "create [NAME] --from-backup BACKUP",
		Short: "Create a restore",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := unused.refuse(cmd); err != nil {
				return err
			}
			var err error
			spec.PreserveNodePorts, spec.RestoreVolumes = nodePorts.value, volumes.value
			spec.Labels, spec.Annotations = meta.labels, meta.annotations
			spec.IncludeClusterResources = cluster.value
			if orSel != "" {
				spec.OrLabelSelectors = strings.Split(orSel, " or ")
			}
			if spec.Hooks, err = readHooksFile[hooks.RestoreHooks](hooksFile); err != nil {
				return err
			}
			if schedule != "" && spec.BackupName != "" {
				return refuse(field.ErrorList{field.Forbidden(field.NewPath("Spec", "BackupName"), "give --from-backup or --from-schedule, not both")})
			}
			if schedule != "" {
				spec.BackupName = schedule // checked as the backup's name would be; replaced below
			}
			name := spec.BackupName + "-" + time.Now().Format("20060102150405")
			if len(args) == 1 {
				name = args[0]
			}
			if err := checkRestoreCreate(name, mappings, &spec); err != nil {
				return err
			}
			if output != "" && schedule == "" {
				return printObjects(cmd.OutOrStdout(), output, restoreList([]workflows.RestoreResult{{Name: name, Spec: spec}}, kube.cairnNamespace()))
			}
			sc, err := t.starter(nil, false)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			if schedule != "" {
				if spec.BackupName, err = sc.LatestCompletedBackup(cmd.Context(), schedule, partial); err != nil {
					return err
				}
				if output != "" {
					return printObjects(cmd.OutOrStdout(), output, restoreList([]workflows.RestoreResult{{Name: name, Spec: spec}}, kube.cairnNamespace()))
				}
			}
			if err := sc.StartRestore(cmd.Context(), workflows.RestoreInput{Name: name, Spec: spec}); err != nil {
				return err
			}
			return submittedRestore(cmd, sc, name, wait)
		},
	}
	f := cmd.Flags()
	f.StringVar(&spec.BackupName, "from-backup", "", "backup to restore from")
	f.StringVar(&schedule, "from-schedule", "", "schedule to restore from: its newest Completed backup")
	f.BoolVar(&partial, "allow-partially-failed", false, "with --from-schedule, restore from the newest backup that is Completed or PartiallyFailed")
	unused.register(f)
	f.StringVarP(&output, "output", "o", "", "print the Restore object as json or yaml instead of creating it")
	f.StringVar(&hooksFile, "hooks-file", "", "YAML file with the spec.hooks of the restore in Velero's form (resources: [{name, includedNamespaces, labelSelector, postHooks: [{init: {...}}, {exec: {...}}]}])")
	f.StringSliceVar(&spec.IncludedNamespaces, "include-namespaces", nil, "namespaces to include in the restore (use '*' for all namespaces)")
	f.StringSliceVar(&spec.ExcludedNamespaces, "exclude-namespaces", nil, "namespaces to exclude from the restore")
	f.StringSliceVar(&spec.IncludedResources, "include-resources", nil, "resources to include in the restore, formatted as resource.group (use '*' for all resources)")
	f.StringSliceVar(&spec.ExcludedResources, "exclude-resources", nil, "resources to exclude from the restore, formatted as resource.group")
	f.Var(&cluster, "include-cluster-resources", "include cluster-scoped resources in the restore (default: those the restored objects need)")
	f.Lookup("include-cluster-resources").NoOptDefVal = "true"
	f.StringVarP(&spec.LabelSelector, "selector", "l", "", "only restore resources matching this label selector")
	f.StringVar(&orSel, "or-selector", "", "restore resources matching at least one of the label selectors separated by ' or ' ('app=a or app=b')")
	f.StringSliceVar(&spec.StatusIncludedResources, "status-include-resources", nil, "resources whose status to restore too, formatted as resource.group (use '*' for all resources)")
	f.StringSliceVar(&spec.StatusExcludedResources, "status-exclude-resources", nil, "resources whose status not to restore")
	f.StringVar(&mappings, "namespace-mappings", "", "namespace mappings from name in the backup to desired restored name in the form src1:dst1,src2:dst2,...")
	f.StringVar(&spec.ExistingResourcePolicy, "existing-resource-policy", "", "restore policy for existing resources: none or update")
	f.Var(&nodePorts, "preserve-nodeports", "whether to preserve nodeports of Services when restoring")
	f.Lookup("preserve-nodeports").NoOptDefVal = "true"
	f.Var(&volumes, "restore-volumes", "whether to restore volumes from snapshots")
	f.Lookup("restore-volumes").NoOptDefVal = "true"
	meta = addMetaFlags(f, "the restore")
	f.BoolVarP(&wait, "wait", "w", false, "wait for the operation to complete")
	return cmd
}

// checkRestoreCreate parses the namespace mappings into spec and refuses a
// restore that the workers would refuse, before anything starts.
func checkRestoreCreate(name, mappings string, spec *activities.RestoreSpec) error {
	var errs field.ErrorList
	m, err := restore.ParseNamespaceMappings(mappings)
	if err != nil {
		errs = append(errs, field.Invalid(field.NewPath("Spec", "NamespaceMappings"), mappings, err.Error()))
	} else {
		spec.NamespaceMappings = m
	}
	if spec.BackupName == "" {
		return refuse(append(errs, field.Required(field.NewPath("Spec", "BackupName"), "give the backup to restore from")))
	}
	return refuse(append(errs, activities.CheckRestore(name, *spec)...))
}

// submittedRestore reports restore name, submitted, as submission does.
func submittedRestore(cmd *cobra.Command, sc *starter.Client, name string, wait bool) error {
	return submission{kind: "restore", name: name, details: "cairn restore describe " + name,
		poll: restoreProgress(sc, name),
		wait: func(ctx context.Context) (string, string, error) {
			res, err := sc.WaitRestore(ctx, name)
			return res.Phase, res.FailureReason, err
		}}.report(cmd, wait)
}
