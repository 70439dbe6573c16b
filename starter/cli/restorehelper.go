package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/activities/podvolume"
)

func newRestoreHelperCommand() *cobra.Command {
	var root string
	cmd := &cobra.Command{
		Use:    "restore-helper RESTORE",
		Short:  "Wait until every volume under /restores holds the done-marker of RESTORE (the restore-wait init container)",
		Args:   cobra.ExactArgs(1),
		Hidden: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			entries, err := os.ReadDir(root)
			if err != nil {
				return fmt.Errorf("reading the restored volumes in %s: %w", root, err)
			}
			var dirs []string
			for _, e := range entries {
				if e.IsDir() {
					dirs = append(dirs, filepath.Join(root, e.Name()))
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "waiting for restore %s in %d volumes\n", args[0], len(dirs))
			if err := podvolume.WaitMarkers(cmd.Context(), dirs, args[0], time.Second); err != nil {
				return err
			}
			// As Velero's helper: the volumes are restored even if a marker
			// folder stays (this container may run as another user than the
			// node agent that wrote it), so that is a warning, not a failure.
			if err := podvolume.RemoveMarkers(dirs); err != nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: the done-markers stay in the volumes: %v\n", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restore %s: every volume is restored\n", args[0])
			return nil
		},
	}
	cmd.Flags().StringVar(&root, "dir", podvolume.HelperMountRoot, "the folder holding one mount per restored volume")
	return cmd
}
