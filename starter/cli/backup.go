package cli

import (
	"github.com/spf13/cobra"
)

func newBackupCommand(kube *kubeFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Work with backups",
	}
	t := addTemporalFlags(cmd)
	cmd.AddCommand(newBackupCreateCommand(kube, t), newBackupGetCommand(kube, t), newBackupDescribeCommand(kube, t))
	cmd.AddCommand(newBackupDeleteCommand(kube, t))
	cmd.AddCommand(newBackupLogsCommand(kube, t), newBackupDownloadCommand(kube, t))
	return cmd
}
