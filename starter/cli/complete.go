package cli

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter"
)

// completionTimeout bounds the listing behind a completion: the shell
// waits for it.
const completionTimeout = 5 * time.Second

// completeNames is the ValidArgsFunction of a command whose arguments name
// backups, restores or schedules: the names that list gives which start as
// the word being completed, without those already given. A command of at
// most max arguments (0: any number) completes no more.
func completeNames(t *temporalFlags, max int, list func(*starter.Client, context.Context) ([]string, error)) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if max > 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), completionTimeout)
		defer cancel()
		names, err := listNames(ctx, t, list)
		if err != nil {
			cobra.CompErrorln(err.Error())
			return nil, cobra.ShellCompDirectiveError
		}
		var out []cobra.Completion
		for _, n := range names {
			if strings.HasPrefix(n, toComplete) && !slices.Contains(args, n) {
				out = append(out, n)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// listNames dials Temporal and lists names with it.
func listNames(ctx context.Context, t *temporalFlags, list func(*starter.Client, context.Context) ([]string, error)) ([]string, error) {
	sc, err := t.starter(nil, false)
	if err != nil {
		return nil, err
	}
	defer sc.Temporal.Close()
	return list(sc, ctx)
}
