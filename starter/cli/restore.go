package cli

import (
	"github.com/spf13/cobra"
)

func newRestoreCommand(kube *kubeFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "Work with restores",
	}
	t := addTemporalFlags(cmd)
	cmd.AddCommand(newRestoreCreateCommand(kube, t), newRestoreGetCommand(kube, t), newRestoreDescribeCommand(kube, t))
	cmd.AddCommand(newRestoreLogsCommand(kube, t), newRestoreDeleteCommand(kube, t))
	return cmd
}
