package cli

import (
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/workflows"
)

func newRestoreDescribeCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "describe NAME...",
		Short: "Describe restores",
		Args:  cobra.MinimumNArgs(1),
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
	w := cmd.OutOrStdout()
	s := r.Spec
	line := func(k, v string) { fmt.Fprintf(w, "%-16s%s\n", k+":", v) }
	line("Name", r.Name)
	line("Namespace", kube.cairnNamespace())
	line("Phase", r.Phase)
	if r.FailureReason != "" {
		line("Failure reason", r.FailureReason)
	}
	fmt.Fprintf(w, "Total items to be restored:  %d\nItems restored:              %d\n", r.Total, r.Created+r.Updated)
	fmt.Fprintln(w)
	line("Started", stamp(r.Started))
	line("Completed", stamp(r.Completed))
	fmt.Fprintf(w, "\nErrors:    %d\nWarnings:  %d\n\n", r.Errors, r.Warnings)
	line("Backup", r.BackupName)
	fmt.Fprintf(w, "\nNamespaces:\n  Included:  %s\n  Excluded:  %s\n", orNone(s.IncludedNamespaces, "all namespaces found in the backup"), orNone(s.ExcludedNamespaces, "<none>"))
	fmt.Fprintf(w, "\nResources:\n  Included:        %s\n  Excluded:        %s\n", orNone(s.IncludedResources, "*"), orNone(s.ExcludedResources, "<none>"))
	var mapped []string
	for _, src := range sortedMapKeys(s.NamespaceMappings) {
		mapped = append(mapped, src+"="+s.NamespaceMappings[src])
	}
	fmt.Fprintf(w, "\nNamespace mappings:  %s\n\n", orNone(mapped, "<none>"))
	policy := s.ExistingResourcePolicy
	if policy == "" {
		policy = "<none>"
	}
	line("Existing Resource Policy", policy)
	line("Preserve Service NodePorts", tristate(s.PreserveNodePorts))
	line("Restore PVs", tristate(s.RestoreVolumes))
	fmt.Fprintf(w, "\nCreated: %d  Updated: %d  Skipped: %d  Failed: %d\n", r.Created, r.Updated, r.Skipped, r.FailedItems)
	printPodVolumeRestores(w, r.PodVolumeRestores)
	printDumps(w, "Application Dump Loads", r.Loads)
	printHooks(w, r.Hooks, true)
}

func sortedMapKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
