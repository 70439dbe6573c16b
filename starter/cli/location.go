package cli

import (
	"github.com/spf13/cobra"
)

// newBackupLocationCommand is `cairn backup-location`, Velero's commands
// for backup storage locations, which Cairn keeps as ConfigMaps in its
// namespace (see package activities/locations).
func newBackupLocationCommand(k *kubeFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup-location",
		Short: "Work with backup storage locations",
		Long: `Work with backup storage locations: the buckets (or folders) Cairn keeps its
repositories in. Each location is a ConfigMap cairn-bsl-<name> in Cairn's
namespace (-n, $CAIRN_NAMESPACE, else cairn); credentials stay in Secrets.`,
	}
	cmd.AddCommand(
		newLocationCreateCommand(k), newLocationGetCommand(k), newLocationSetCommand(k), newLocationDeleteCommand(k),
	)
	return cmd
}
