package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/activities/hooks"
	"github.com/cairn-backup/cairn/activities/resources/filter"
)

// backupFlags are Velero's flags that make up a backup's spec, shared by
// `backup create` and `schedule create`.
type backupFlags struct {
	spec     activities.BackupSpec
	cluster  optionalBool
	fsBackup optionalBool
	orSel    string
	hooks    string
	ordered  string
	fs       *pflag.FlagSet
	// Velero's flags for what Cairn does not do (volume snapshots, data
	// movers, item operations, policies): refused when they ask for it,
	// noted when they cannot matter.
	snapshotVolumes, moveData optionalBool
	dataMover, policies       string
	snapshotLocations         []string
	csiTimeout, itemOpTimeout time.Duration
	parallelUpload            int
}

// addBackupFlags registers the backup spec flags on f; what the
// description says is backed up is "the " + what ("the backup", "the
// scheduled backups").
func addBackupFlags(f *pflag.FlagSet, what string) *backupFlags {
	b := &backupFlags{fs: f}
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
	f.StringSliceVar(&b.spec.IncludedClusterScopedResources, "include-cluster-scoped-resources", nil, "cluster-scoped resources to include in "+what+" (use '*' for all); not with the old resource filters")
	f.StringSliceVar(&b.spec.ExcludedClusterScopedResources, "exclude-cluster-scoped-resources", nil, "cluster-scoped resources to exclude from "+what)
	f.StringSliceVar(&b.spec.IncludedNamespaceScopedResources, "include-namespace-scoped-resources", nil, "namespaced resources to include in "+what+" (use '*' for all)")
	f.StringSliceVar(&b.spec.ExcludedNamespaceScopedResources, "exclude-namespace-scoped-resources", nil, "namespaced resources to exclude from "+what)
	f.StringVar(&b.ordered, "ordered-resources", "", "back up these objects of a resource first, in order: 'pods=ns1/pod1,ns1/pod2;persistentvolumes=pv4,pv8'")
	addUnsupportedBackupFlags(f, b)
	return b
}

// addUnsupportedBackupFlags registers Velero's backup flags for what Cairn
// does not do, so that scripts that pass them get an answer, not "unknown
// flag".
func addUnsupportedBackupFlags(f *pflag.FlagSet, b *backupFlags) {
	f.Var(&b.snapshotVolumes, "snapshot-volumes", "take volume snapshots (Cairn takes none: only false is accepted)")
	f.Lookup("snapshot-volumes").NoOptDefVal = "true"
	f.Var(&b.moveData, "snapshot-move-data", "move snapshot data (Cairn takes no snapshots: only false is accepted)")
	f.Lookup("snapshot-move-data").NoOptDefVal = "true"
	f.StringVar(&b.dataMover, "data-mover", "", "data mover of snapshot data (Cairn has none: refused when set)")
	f.StringSliceVar(&b.snapshotLocations, "volume-snapshot-locations", nil, "volume snapshot locations (Cairn takes no snapshots: refused when set)")
	f.StringVar(&b.policies, "resource-policies-configmap", "", "volume policies (not supported yet: refused when set)")
	f.DurationVar(&b.csiTimeout, "csi-snapshot-timeout", 0, "how long to wait for CSI snapshots (no CSI snapshotter is configured: has no effect)")
	f.DurationVar(&b.itemOpTimeout, "item-operation-timeout", 0, "how long to wait for asynchronous item operations (Cairn runs none: has no effect)")
	f.IntVar(&b.parallelUpload, "parallel-files-upload", 0, "files uploaded at once per pod volume (Cairn's node agents choose: has no effect)")
}

// unsupported is what the flags for what Cairn does not do ask: an error
// for a request Cairn cannot honour, notes for flags that cannot matter.
func (b *backupFlags) unsupported() (notes []string, err error) {
	const fsBackup = "back volumes up from the file system with --default-volumes-to-fs-backup or the backup.velero.io/backup-volumes annotation"
	switch {
	case b.snapshotVolumes.value != nil && *b.snapshotVolumes.value:
		return nil, errors.New("--snapshot-volumes: Cairn takes no volume snapshots (no CSI snapshotter is configured); " + fsBackup)
	case b.moveData.value != nil && *b.moveData.value:
		return nil, errors.New("--snapshot-move-data: Cairn takes no snapshots whose data to move; " + fsBackup)
	case b.dataMover != "":
		return nil, errors.New("--data-mover: Cairn has no data movers; " + fsBackup)
	case len(b.snapshotLocations) > 0:
		return nil, errors.New("--volume-snapshot-locations: Cairn takes no volume snapshots, so it writes to no snapshot location; " + fsBackup)
	case b.policies != "":
		return nil, errors.New("--resource-policies-configmap: volume policies are not supported yet; choose volumes with the backup.velero.io/backup-volumes annotations")
	}
	for flag, why := range map[string]string{
		"csi-snapshot-timeout":   "no CSI snapshotter is configured",
		"item-operation-timeout": "Cairn runs no asynchronous item operations",
		"parallel-files-upload":  "the node agents set their own parallelism (cairn node-agent --concurrency, per node)",
	} {
		if b.fs.Changed(flag) {
			notes = append(notes, fmt.Sprintf("--%s has no effect: %s", flag, why))
		}
	}
	slices.Sort(notes)
	return notes, nil
}

// Spec returns the backup spec the flags give; a hooks file that cannot
// be read is an error.
func (b *backupFlags) Spec() (activities.BackupSpec, error) {
	spec := b.spec
	if b.ordered != "" {
		ordered, err := filter.ParseOrderedResources(b.ordered)
		if err != nil {
			return spec, fmt.Errorf("--ordered-resources %q: %w", b.ordered, err)
		}
		spec.OrderedResources = ordered
	}
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
		"default-volumes-to-fs-backup", "default-volumes-to-restic", "hooks-file",
		"include-cluster-scoped-resources", "exclude-cluster-scoped-resources", "include-namespace-scoped-resources",
		"exclude-namespace-scoped-resources", "ordered-resources"} {
		if f.Changed(name) {
			return true
		}
	}
	return false
}
