package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/workflows"
)

func newRepoMaintainCommand(kube *kubeFlags) *cobra.Command {
	var all, wait bool
	var tf *temporalFlags
	cmd := &cobra.Command{
		Use:   "maintain NAME... | --all",
		Short: "Maintain repositories now: prune what no snapshot needs, then check them",
		Long: `Maintain repositories now, as the per-location schedule does every
--default-repo-maintain-frequency: prune what no snapshot needs (at most 5%
unused space left, restic's default), then check the repository, under its
exclusive lock. A maintenance waits while backups, restores or deletions of
the repository run, and they wait for it. NAME is a repository's name from
'cairn repo get' or <location>/<folder>. A repository being maintained
already is maintained once more after that run. With --wait it waits for the
outcome and fails if any maintenance failed.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if all == (len(args) > 0) {
				return errors.New("name the repositories to maintain, or pass --all")
			}
			sc, err := tf.starter(kube, true)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			repos, err := sc.FindRepositories(cmd.Context(), args, all)
			if err != nil {
				return err
			}
			runs := make([]client.WorkflowRun, len(repos))
			for i, r := range repos {
				if runs[i], err = sc.StartMaintenance(cmd.Context(), r.Location, r.Repository); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Maintenance of repository %q requested.\n", r.Name)
			}
			if !wait {
				return nil
			}
			return waitMaintenances(cmd, sc, repos, runs)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "maintain every repository of every backup storage location")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for the maintenances to finish")
	tf = addTemporalFlags(cmd)
	return cmd
}

// waitMaintenances prints the outcome of each maintenance once it ends.
func waitMaintenances(cmd *cobra.Command, sc *starter.Client, repos []starter.Repository, runs []client.WorkflowRun) error {
	var failed []string
	for i, r := range repos {
		res, err := sc.WaitMaintenance(cmd.Context(), runs[i])
		if err != nil {
			return err
		}
		if res.Phase != workflows.PhaseCompleted {
			fmt.Fprintf(cmd.ErrOrStderr(), "cairn: repository %s: %s\n", r.Name, res.FailureReason)
			failed = append(failed, r.Name)
			continue
		}
		fmt.Fprintf(cmd.OutOrStdout(), "Repository %q maintained: %s reclaimed, %s now, %d snapshot(s).\n",
			r.Name, humanBytes(res.BytesRemoved), humanBytes(res.SizeAfter), res.Snapshots)
	}
	if len(failed) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("the maintenance of %s failed (cairn repo get shows why)", orNone(failed, ""))}
	}
	return nil
}
