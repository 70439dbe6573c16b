package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/cairn-backup/cairn/activities"
	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newRestoreDeleteCommand(kube *kubeFlags, t *temporalFlags) *cobra.Command {
	var (
		confirm, all bool
		selector     string
	)
	cmd := &cobra.Command{
		Use:               "delete [NAME...] | delete --all | delete --selector SELECTOR",
		Short:             "Delete restores: their records and workflows",
		ValidArgsFunction: completeNames(t, 0, (*starter.Client).RestoreNames),
		Long: "Delete restores as Velero does: the restore's files in the backup storage location of its backup and, in\n" +
			"Cairn, its workflow; the objects it restored stay in the cluster. A restore that still runs goes on until it\n" +
			"ends and is not deleted: delete it then.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if n := countTrue(len(args) > 0, all, cmd.Flags().Changed("selector")); n != 1 {
				return errors.New("you must specify exactly one of: specific restore name(s), the --all flag, or the --selector flag")
			}
			if err := refuse(checkNames(args, activities.CheckRestoreName)); err != nil {
				return err
			}
			sel, sc, err := t.selectingStarter(cmd, kube, selector)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			names := args
			if len(names) == 0 {
				if names, err = restoreNames(cmd, sc, sel); err != nil {
					return err
				}
			}
			if len(names) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "No restores found")
				return nil
			}
			if !confirm && !confirmed(cmd, fmt.Sprintf("You are about to delete %d restore(s): %s.", len(names), orNone(names, ""))) {
				fmt.Fprintln(cmd.OutOrStdout(), "Cancelling restore deletion")
				return nil
			}
			return deleteRestores(cmd, sc, names)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&confirm, "confirm", false, "confirm deletion without asking")
	f.BoolVar(&all, "all", false, "delete all restores")
	f.StringVarP(&selector, "selector", "l", "", "delete all restores matching this label selector")
	return cmd
}

// restoreNames lists the restores whose labels sel matches.
func restoreNames(cmd *cobra.Command, sc *starter.Client, sel labels.Selector) ([]string, error) {
	list, err := sc.ListRestores(cmd.Context())
	if err != nil {
		return nil, err
	}
	var names []string
	for _, r := range selected(list, sel, restoreLabels) {
		names = append(names, r.Name)
	}
	return names, nil
}

func restoreLabels(r workflows.RestoreResult) map[string]string { return r.Spec.Labels }

// countTrue counts the true ones of bs.
func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// deleteRestores deletes the restores, as deletions do.
func deleteRestores(cmd *cobra.Command, sc *starter.Client, names []string) error {
	return deletions{kind: "restore", start: sc.StartDeleteRestore, wait: func(ctx context.Context, name string) (string, string, error) {
		res, err := sc.WaitDeleteRestore(ctx, name)
		removed := "it had no files in a backup storage location"
		if res.StorageLocation != "" {
			removed = fmt.Sprintf("its files in backup storage location %q removed", res.StorageLocation)
		}
		return removed + "; the restored objects stay in the cluster", refusal(res.Phase, workflows.PhaseCompleted, res.FailureReason), err
	}}.run(cmd, names)
}
