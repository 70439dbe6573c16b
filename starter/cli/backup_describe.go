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
		Use:               "describe NAME...",
		Short:             "Describe backups",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).BackupNames),
		Args:              cobra.MinimumNArgs(1),
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
	d := newDescriber(cmd.OutOrStdout())
	d.meta(b.Name, kube.cairnNamespace(), b.Spec.Labels, b.Spec.Annotations)
	d.text("\n")
	d.line("Phase", b.Phase)
	if b.Waiting != "" {
		d.line("Waiting for", "the repository, held by "+b.Waiting)
	}
	if b.FailureReason != "" {
		d.line("Failure reason", b.FailureReason)
	}
	d.text("\n")
	d.line("Errors", fmt.Sprint(b.Errors))
	d.line("Warnings", fmt.Sprint(b.Warnings))
	d.text("\n")
	ttl := b.Spec.TTL
	if b.TTL > 0 {
		ttl = b.TTL.String()
	}
	describeBackupSpec(d, "", b.Spec, b.StorageLocation, ttl)
	d.text("\n")
	d.line("Started", stamp(b.Started))
	d.line("Completed", stamp(b.Completed))
	d.text("\n")
	d.line("Expiration", stamp(b.Expiration))
	d.text("\n")
	d.line("Items backed up", fmt.Sprint(b.Items))
	if b.SnapshotID != "" {
		d.line("Snapshot ID", b.SnapshotID)
	}
	var live map[string]activities.PodVolumeProgress
	if b.Phase == workflows.PhaseInProgress && details {
		live, _ = sc.BackupLiveVolumes(cmd.Context(), b.Name)
	}
	w := d.raw()
	printPodVolumeBackups(w, b.PodVolumeBackups, live, details)
	printDumps(w, "Application Dumps", b.Dumps)
	printHooks(w, b.Hooks, details)
	if !details || b.Phase == workflows.PhaseNew || b.Phase == workflows.PhaseInProgress || b.Phase == workflows.PhaseFailedValidation {
		return nil
	}
	return printResourceList(cmd.Context(), w, sc, b.StorageLocation, b.Name)
}

// describeBackupSpec writes what a backup (or a schedule's template, each
// line after indent) backs up, where to, and for how long.
func describeBackupSpec(d *describer, indent string, s activities.BackupSpec, location, ttl string) {
	d.text(indent + "Namespaces:\n")
	d.line(indent+"  Included", orNone(s.IncludedNamespaces, "*"))
	d.line(indent+"  Excluded", orNone(s.ExcludedNamespaces, "<none>"))
	d.text("\n" + indent + "Resources:\n")
	d.line(indent+"  Included", orNone(s.IncludedResources, "*"))
	d.line(indent+"  Excluded", orNone(s.ExcludedResources, "<none>"))
	d.line(indent+"  Cluster-scoped", tristate(s.IncludeClusterResources))
	d.text("\n")
	d.line(indent+"Label selector", orNone(nonEmpty(s.LabelSelector), "<none>"))
	d.text("\n")
	d.line(indent+"Or label selector", orNone(s.OrLabelSelectors, "<none>"))
	d.text("\n")
	d.line(indent+"Storage Location", location)
	d.text("\n")
	d.line(indent+"Velero-Native Snapshot PVs", "auto")
	d.line(indent+"File System Backup (Default)", tristate(s.DefaultVolumesToFsBackup))
	d.text("\n")
	d.line(indent+"TTL", ttl)
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
