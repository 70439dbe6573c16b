package cli

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// confirmed asks the question on the command's output and reads the answer
// from its input, as Velero does before deleting: "y" or "yes" confirms;
// anything else, or no input at all, does not.
func confirmed(cmd *cobra.Command, question string) bool {
	fmt.Fprintf(cmd.OutOrStdout(), "%s Are you sure you want to continue (Y/N)? ", question)
	line, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	fmt.Fprintln(cmd.OutOrStdout())
	return false
}
