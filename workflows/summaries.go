package workflows

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/cairn-backup/cairn/activities"
)

// Summaries: the one-line texts the Temporal UI shows for each workflow
// (its static summary, set by whoever starts it) and each activity, so
// that its lists and timelines read as a backup console. They carry names,
// selectors and places, never secrets.

// BackupSummary is a backup workflow's summary: "Backup nginx-backup:
// namespaces nginx-example, selector app=nginx, to location default".
func BackupSummary(name string, spec activities.BackupSpec) string {
	return "Backup " + name + ": " + backupScope(spec) + ", to location " + orDefault(spec.StorageLocation)
}

// RestoreSummary is a restore workflow's summary: "Restore r1 from backup
// b1: namespaces a, mapped a→b".
func RestoreSummary(name string, spec activities.RestoreSpec) string {
	s := "Restore " + name + " from backup " + spec.BackupName + ": " + namespaces(spec.IncludedNamespaces, spec.ExcludedNamespaces)
	if len(spec.NamespaceMappings) > 0 {
		var m []string
		for _, from := range slices.Sorted(maps.Keys(spec.NamespaceMappings)) {
			m = append(m, from+"→"+spec.NamespaceMappings[from])
		}
		s += ", mapped " + strings.Join(m, " ")
	}
	return s
}

// ScheduleSummary is a schedule action's summary.
func ScheduleSummary(schedule, cron string, spec activities.BackupSpec) string {
	return fmt.Sprintf("Schedule %s (%s): %s, to location %s", schedule, cron, backupScope(spec), orDefault(spec.StorageLocation))
}

// DeleteSummary is a deletion's summary.
func DeleteSummary(backup, location string) string {
	return "Delete backup " + backup + " from location " + orDefault(location)
}

// DeleteRestoreSummary is the summary of a restore's deletion.
func DeleteRestoreSummary(restore string) string {
	return "Delete restore " + restore
}

// MaintenanceSummary is a repository maintenance's summary.
func MaintenanceSummary(location, repository string) string {
	return "Maintain (prune and check) repository " + repository + " of location " + location
}

func backupScope(spec activities.BackupSpec) string {
	s := namespaces(spec.IncludedNamespaces, spec.ExcludedNamespaces)
	if spec.LabelSelector != "" {
		s += ", selector " + spec.LabelSelector
	}
	for _, or := range spec.OrLabelSelectors {
		s += ", or selector " + or
	}
	if len(spec.IncludedResources) > 0 {
		s += ", resources " + strings.Join(spec.IncludedResources, ",")
	}
	if spec.TTL != "" {
		s += ", ttl " + spec.TTL
	}
	return s
}

func namespaces(in, ex []string) string {
	s := "all namespaces"
	if len(in) > 0 && !(len(in) == 1 && in[0] == "*") {
		s = "namespaces " + strings.Join(in, ",")
	}
	if len(ex) > 0 {
		s += " except " + strings.Join(ex, ",")
	}
	return s
}

func orDefault(location string) string {
	if location == "" {
		return "(default)"
	}
	return location
}

// withSummary is ctx with its activity options' summary set: the line the
// Temporal UI shows for the next activity.
func withSummary(ctx workflow.Context, format string, args ...any) workflow.Context {
	opts := workflow.GetActivityOptions(ctx)
	opts.Summary = fmt.Sprintf(format, args...)
	return workflow.WithActivityOptions(ctx, opts)
}
