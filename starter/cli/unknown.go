package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// refuseUnknownSubcommands makes every command under root that only groups
// others (`cairn backup`, `cairn schedule`) fail on an argument that names
// none of them, as cobra fails the root's: exit code 1 and its
// suggestions, instead of the help and exit code 0. Without an argument
// they still print their help.
func refuseUnknownSubcommands(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.HasSubCommands() && !sub.Runnable() {
				sub.RunE = helpOrUnknown
			}
			walk(sub)
		}
	}
	walk(root)
}

// helpOrUnknown is the RunE of a command that groups others.
func helpOrUnknown(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's default for the root
	}
	var b strings.Builder
	fmt.Fprintf(&b, "unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		b.WriteString("\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t") + "\n")
	}
	fmt.Fprintf(&b, "\nRun '%s --help' for usage.", cmd.CommandPath())
	return &exitError{code: 1, msg: b.String()}
}
