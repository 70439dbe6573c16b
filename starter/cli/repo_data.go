package cli

import "github.com/spf13/cobra"

// addRepoDataCommands adds the commands that move file data: backup,
// restore, ls and dump.
func addRepoDataCommands(cmd *cobra.Command, f *repoFlags) {}
