package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newBackupDescribeCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var details bool
	cmd := &cobra.Command{
		Use:   "describe NAME...",
		Short: "Describe backups",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := t.recordsStarter(cmd, kube)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			return describeEach(cmd, args, sc.DescribeBackup, func(res workflows.BackupResult) error {
				return describeBackup(cmd, sc, kube, res, details)
			})
		},
	}
	cmd.Flags().BoolVar(&details, "details", false, "display the list of backed-up resources")
	return cmd
}

func describeBackup(cmd *cobra.Command, sc *starter.Client, kube *kubeFlags, b workflows.BackupResult, details bool) error {
	w := cmd.OutOrStdout()
	s := b.Spec
	line := func(k, v string) { fmt.Fprintf(w, "%-16s%s\n", k+":", v) }
	line("Name", b.Name)
	line("Namespace", kube.cairnNamespace())
	line("Phase", b.Phase)
	if b.Waiting != "" {
		line("Waiting for", "the repository, held by "+b.Waiting)
	}
	if b.FailureReason != "" {
		line("Failure reason", b.FailureReason)
	}
	fmt.Fprintf(w, "\nErrors:    %d\nWarnings:  %d\n", b.Errors, b.Warnings)
	fmt.Fprintf(w, "\nNamespaces:\n  Included:  %s\n  Excluded:  %s\n", orNone(s.IncludedNamespaces, "*"), orNone(s.ExcludedNamespaces, "<none>"))
	fmt.Fprintf(w, "\nResources:\n  Included:        %s\n  Excluded:        %s\n  Cluster-scoped:  %s\n",
		orNone(s.IncludedResources, "*"), orNone(s.ExcludedResources, "<none>"), tristate(s.IncludeClusterResources))
	fmt.Fprintln(w)
	line("Label selector", orNone(nonEmpty(s.LabelSelector), "<none>"))
	line("Or label selector", orNone(s.OrLabelSelectors, "<none>"))
	line("Storage Location", b.StorageLocation)
	line("Velero-Native Snapshot PVs", "auto")
	line("File System Backup (Default)", tristate(s.DefaultVolumesToFsBackup))
	ttl := s.TTL
	if b.TTL > 0 {
		ttl = b.TTL.String()
	}
	line("TTL", ttl)
	fmt.Fprintln(w)
	line("Started", stamp(b.Started))
	line("Completed", stamp(b.Completed))
	fmt.Fprintln(w)
	line("Expiration", stamp(b.Expiration))
	fmt.Fprintln(w)
	line("Items backed up", fmt.Sprint(b.Items))
	if b.SnapshotID != "" {
		line("Snapshot ID", b.SnapshotID)
	}
	var live map[string]activities.PodVolumeProgress
	if b.Phase == workflows.PhaseInProgress && details {
		live, _ = sc.BackupLiveVolumes(cmd.Context(), b.Name)
	}
	printPodVolumeBackups(w, b.PodVolumeBackups, live, details)
	printDumps(w, "Application Dumps", b.Dumps)
	printHooks(w, b.Hooks, details)
	if !details || b.Phase == workflows.PhaseNew || b.Phase == workflows.PhaseInProgress || b.Phase == workflows.PhaseFailedValidation {
		return nil
	}
	return printResourceList(cmd.Context(), w, sc, b.StorageLocation, b.Name)
}

func printResourceList(ctx context.Context, w io.Writer, sc *starter.Client, loc, name string) error {
	list, err := sc.BackupResourceList(ctx, loc, name)
	if err != nil {
		return fmt.Errorf("backup %s: resource list: %w", name, err)
	}
	_, err = fmt.Fprint(w, "\n"+list.Describe())
	return err
}

func tristate(b *bool) string {
	if b == nil {
		return "auto"
	}
	return fmt.Sprint(*b)
}

func nonEmpty(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return []string{s}
}
