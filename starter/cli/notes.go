package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// note prints each message on the command's error output as a note: what
// Cairn did with a request it takes but cannot act on as Velero would.
func note(cmd *cobra.Command, msgs ...string) {
	for _, m := range msgs {
		fmt.Fprintln(cmd.ErrOrStderr(), "cairn: note:", m)
	}
}
