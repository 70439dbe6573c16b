package cli

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
)

// backupFlags are Velero's flags that make up a backup's spec, shared by
// `backup create` and `schedule create`.
type backupFlags struct {
	spec     activities.BackupSpec
	cluster  optionalBool
	fsBackup optionalBool
	orSel    string
	hooks    string
}

// addBackupFlags registers the backup spec flags on f; what the
// description says is backed up is "the " + what ("the backup", "the
// scheduled backups").
func addBackupFlags(f *pflag.FlagSet, what string) *backupFlags {
	b := &backupFlags{}
	f.StringSliceVar(&b.spec.IncludedNamespaces, "include-namespaces", nil, "namespaces to include in "+what+" (use '*' for all namespaces)")
	f.StringSliceVar(&b.spec.ExcludedNamespaces, "exclude-namespaces", nil, "namespaces to exclude from "+what)
	f.StringSliceVar(&b.spec.IncludedResources, "include-resources", nil, "resources to include in "+what+", formatted as resource.group, such as storageclasses.storage.k8s.io (use '*' for all resources)")
	f.StringSliceVar(&b.spec.ExcludedResources, "exclude-resources", nil, "resources to exclude from "+what+", formatted as resource.group")
	f.Var(&b.cluster, "include-cluster-resources", "include cluster-scoped resources in "+what+" (default: auto)")
	f.Lookup("include-cluster-resources").NoOptDefVal = "true"
	f.StringVarP(&b.spec.LabelSelector, "selector", "l", "", "only back up resources matching this label selector")
	f.StringVar(&b.orSel, "or-selector", "", "back up resources matching at least one of the label selectors separated by ' or ' ('app=a or app=b')")
	f.StringVar(&b.spec.TTL, "ttl", "720h0m0s", "how long before the backup can be garbage collected")
	f.StringVar(&b.spec.StorageLocation, "storage-location", "", "location in which to store the backup (default: the default location)")
	f.Var(&b.fsBackup, "default-volumes-to-fs-backup", "use pod volume file system backup by default for volumes")
	f.Lookup("default-volumes-to-fs-backup").NoOptDefVal = "true"
	f.Var(&b.fsBackup, "default-volumes-to-restic", "deprecated alias of --default-volumes-to-fs-backup")
	f.Lookup("default-volumes-to-restic").NoOptDefVal = "true"
	_ = f.MarkDeprecated("default-volumes-to-restic", "use --default-volumes-to-fs-backup")
	f.StringVar(&b.hooks, "hooks-file", "", "YAML file with the spec.hooks of "+what+" in Velero's form (resources: [{name, includedNamespaces, labelSelector, pre: [{exec: {...}}], post: [...]}])")
	return b
}

// Spec returns the backup spec the flags give; a hooks file that cannot
// be read is an error.
func (b *backupFlags) Spec() (activities.BackupSpec, error) {
	spec := b.spec
	spec.IncludeClusterResources, spec.DefaultVolumesToFsBackup = b.cluster.value, b.fsBackup.value
	if b.orSel != "" {
		spec.OrLabelSelectors = strings.Split(b.orSel, " or ")
	}
	h, err := readHooksFile[hooks.BackupHooks](b.hooks)
	if err == nil {
		err = hooks.ValidateBackupHooks(h)
	}
	spec.Hooks = h
	return spec, err
}

// changed tells whether any spec flag was given on the command line.
func (b *backupFlags) changed(f *pflag.FlagSet) bool {
	for _, name := range []string{"include-namespaces", "exclude-namespaces", "include-resources", "exclude-resources",
		"include-cluster-resources", "selector", "or-selector", "ttl", "storage-location",
		"default-volumes-to-fs-backup", "default-volumes-to-restic", "hooks-file"} {
		if f.Changed(name) {
			return true
		}
	}
	return false
}
