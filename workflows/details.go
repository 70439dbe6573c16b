package workflows

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cairn-backup/cairn/activities"
)

// Details: the Markdown the Temporal UI shows under a backup's or
// restore's summary (its static details, set by whoever starts it): the
// whole spec as a table and the commands that follow it. Like the
// summaries, they carry names, selectors and places, never secrets.

// BackupDetails are a backup workflow's details; schedule is the schedule
// that made it, if any.
func BackupDetails(name, schedule string, spec activities.BackupSpec) string {
	rows := [][2]string{
		{"Namespaces", list(spec.IncludedNamespaces, "all")},
		{"Excluded namespaces", list(spec.ExcludedNamespaces, "none")},
		{"Resources", list(spec.IncludedResources, "all")},
		{"Excluded resources", list(spec.ExcludedResources, "none")},
		{"Cluster-scoped resources", yesNo(spec.IncludeClusterResources, "auto (with all namespaces)")},
		{"Selector", orNone(spec.LabelSelector)},
		{"Or selectors", list(spec.OrLabelSelectors, "none")},
		{"Location", orDefault(spec.StorageLocation)},
		{"TTL", or(spec.TTL, "the location's default")},
		{"Pod volumes by default", yesNo(spec.DefaultVolumesToFsBackup, "only those annotated backup.velero.io/backup-volumes")},
		{"Hooks", strconv.Itoa(backupHooks(spec)) + " resource hooks"},
		{"Schedule", orNone(schedule)},
	}
	return details("Backup", name, rows, "backup")
}

// RestoreDetails are a restore workflow's details.
func RestoreDetails(name string, spec activities.RestoreSpec) string {
	var mappings []string
	for _, from := range slices.Sorted(maps.Keys(spec.NamespaceMappings)) {
		mappings = append(mappings, from+" → "+spec.NamespaceMappings[from])
	}
	rows := [][2]string{
		{"From backup", spec.BackupName},
		{"Namespaces", list(spec.IncludedNamespaces, "all")},
		{"Excluded namespaces", list(spec.ExcludedNamespaces, "none")},
		{"Resources", list(spec.IncludedResources, "all")},
		{"Excluded resources", list(spec.ExcludedResources, "none")},
		{"Namespace mappings", list(mappings, "none")},
		{"Existing resources", or(spec.ExistingResourcePolicy, "none (left as they are)")},
		{"Pod volumes", yesNo(spec.RestoreVolumes, "restored")},
		{"Node ports", yesNo(spec.PreserveNodePorts, "not preserved")},
	}
	return details("Restore", name, rows, "restore")
}

func details(kind, name string, rows [][2]string, verb string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** `%s`\n\n| | |\n|---|---|\n", kind, name)
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], strings.ReplaceAll(r[1], "|", `\|`))
	}
	fmt.Fprintf(&b, "\nFollow it with `cairn %s describe %s --details` and `cairn %s logs %s`.\n", verb, name, verb, name)
	return b.String()
}

func backupHooks(spec activities.BackupSpec) int {
	if spec.Hooks == nil {
		return 0
	}
	return len(spec.Hooks.Resources)
}

func list(v []string, none string) string {
	if len(v) == 0 || len(v) == 1 && v[0] == "*" {
		return none
	}
	return strings.Join(v, ", ")
}

func yesNo(v *bool, unset string) string {
	switch {
	case v == nil:
		return unset
	case *v:
		return "yes"
	}
	return "no"
}

func or(s, unset string) string {
	if s == "" {
		return unset
	}
	return s
}

func orNone(s string) string { return or(s, "none") }
