package cli

import (
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newRestoreDescribeCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	return &cobra.Command{
		Use:               "describe NAME...",
		Short:             "Describe restores",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).RestoreNames),
		Args:              cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := t.recordsStarter(cmd, kube)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			return describeEach(cmd, args, sc.DescribeRestore, func(res workflows.RestoreResult) error {
				describeRestore(cmd, kube, res)
				return nil
			})
		},
	}
}

func describeRestore(cmd *cobra.Command, kube *kubeFlags, r workflows.RestoreResult) {
	d := newDescriber(cmd.OutOrStdout())
	s := r.Spec
	d.meta(r.Name, kube.cairnNamespace(), s.Labels, s.Annotations)
	d.text("\n")
	d.line("Phase", r.Phase)
	if r.FailureReason != "" {
		d.line("Failure reason", r.FailureReason)
	}
	d.line("Total items to be restored", fmt.Sprint(r.Total))
	d.line("Items restored", fmt.Sprint(r.Created+r.Updated))
	d.text("\n")
	d.line("Started", stamp(r.Started))
	d.line("Completed", stamp(r.Completed))
	d.text("\n")
	d.line("Errors", fmt.Sprint(r.Errors))
	d.line("Warnings", fmt.Sprint(r.Warnings))
	d.text("\n")
	d.line("Backup", r.BackupName)
	describeRestoreSpec(d, s)
	d.text("\n")
	w := d.raw()
	fmt.Fprintf(w, "Created: %d  Updated: %d  Skipped: %d  Failed: %d\n", r.Created, r.Updated, r.Skipped, r.FailedItems)
	printPodVolumeRestores(w, r.PodVolumeRestores)
	printDumps(w, "Application Dump Loads", r.Loads)
	printHooks(w, r.Hooks, true)
}

// describeRestoreSpec writes what a restore restores, and how.
func describeRestoreSpec(d *describer, s activities.RestoreSpec) {
	d.text("\nNamespaces:\n")
	d.line("  Included", orNone(s.IncludedNamespaces, "all namespaces found in the backup"))
	d.line("  Excluded", orNone(s.ExcludedNamespaces, "<none>"))
	d.text("\nResources:\n")
	d.line("  Included", orNone(s.IncludedResources, "*"))
	d.line("  Excluded", orNone(s.ExcludedResources, "<none>"))
	var mapped []string
	for _, src := range sortedMapKeys(s.NamespaceMappings) {
		mapped = append(mapped, src+"="+s.NamespaceMappings[src])
	}
	d.text("\n")
	d.line("Namespace mappings", orNone(mapped, "<none>"))
	d.text("\n")
	policy := s.ExistingResourcePolicy
	if policy == "" {
		policy = "<none>"
	}
	d.line("Existing Resource Policy", policy)
	d.line("Preserve Service NodePorts", tristate(s.PreserveNodePorts))
	d.line("Restore PVs", tristate(s.RestoreVolumes))
}

func sortedMapKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
