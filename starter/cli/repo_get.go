package cli

import (
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
	"github.com/cairn-backup/cairn/starter/objects"
	"github.com/cairn-backup/cairn/starter/velerov1"
)

func newRepoGetCommand(kube *kubeFlags) *cobra.Command {
	var output string
	var tf *temporalFlags
	cmd := &cobra.Command{
		Use:   "get [NAME...]",
		Short: "Get the repositories the control plane maintains",
		Long: `List the repositories of every backup storage location, as Velero's
'velero repo get' does: the resources repository and one per namespace with
pod volume backups, named <namespace>-<location>-restic. For each: its phase
(New, Ready, NotReady, or InProgress or WaitingForLock while a maintenance
runs), the time and result of its last maintenance, its size after it and
the bytes that maintenance's prune reclaimed. A failed maintenance's reason,
or the lock a maintenance waits for, is in MESSAGE.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := tf.recordsStarter(cmd, kube)
			if err != nil {
				return err
			}
			defer sc.Temporal.Close()
			list, err := sc.ListRepositories(cmd.Context())
			if err != nil {
				return err
			}
			if len(args) > 0 {
				if list, err = pickRepositories(list, args); err != nil {
					return err
				}
			}
			if output != "table" {
				return printObjects(cmd.OutOrStdout(), output, repositoryList(list, kube.cairnNamespace()))
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tLOCATION\tNAMESPACE\tPHASE\tLAST MAINTENANCE\tRESULT\tSIZE\tRECLAIMED\tMESSAGE")
			for _, r := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Location, orDash(r.Namespace), r.Phase,
					stamp(r.LastMaintenance), orDash(r.LastResult), sizeOrDash(r.Size, r.LastMaintenance), sizeOrDash(r.Reclaimed, r.LastMaintenance), r.Message)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or yaml")
	tf = addTemporalFlags(cmd)
	return cmd
}

// pickRepositories keeps the repositories of list that names name, each a
// repository's name or <location>/<folder>.
func pickRepositories(list []starter.Repository, names []string) ([]starter.Repository, error) {
	var out []starter.Repository
	for _, n := range names {
		i := slices.IndexFunc(list, func(r starter.Repository) bool { return r.Name == n || r.Location+"/"+r.Repository == n })
		if i < 0 {
			return nil, fmt.Errorf("repository %q not found (cairn repo get lists them)", n)
		}
		out = append(out, list[i])
	}
	return out, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// sizeOrDash prints a size measured by a maintenance, or - before the
// first.
func sizeOrDash(n uint64, measured time.Time) string {
	if measured.IsZero() {
		return "-"
	}
	return humanBytes(n)
}

// repositoryList is list as a velero.io/v1 BackupRepositoryList of
// namespace ns.
func repositoryList(list []starter.Repository, ns string) *velerov1.BackupRepositoryList {
	out := &velerov1.BackupRepositoryList{}
	for _, r := range list {
		out.Items = append(out.Items, objects.BackupRepository(r, ns))
	}
	return out
}
