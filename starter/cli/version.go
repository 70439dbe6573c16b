package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/worker/buildinfo"
	"github.com/cairn-backup/cairn/workflows"
)

// versionTimeout bounds the question to Temporal about the servers.
const versionTimeout = 5 * time.Second

// newVersionCommand prints the client's build and, as Velero's `velero
// version` does, the server's: the builds of the `cairn server`
// processes that poll Cairn's task queue, as Temporal reports them.
func newVersionCommand() *cobra.Command {
	var clientOnly bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version and commit of this client and of the running cairn servers",
		Args:  cobra.NoArgs,
	}
	t := addTemporalFlags(cmd)
	cmd.Flags().BoolVar(&clientOnly, "client-only", false, "print the client's version only, without asking Temporal")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		out := cmd.OutOrStdout()
		b := buildinfo.Get()
		fmt.Fprintf(out, "Client:\n\tVersion: %s\n\tGit commit: %s\n", b.Version, b.Commit)
		if clientOnly {
			return nil
		}
		printServers(cmd.Context(), out, t)
		return nil
	}
	return cmd
}

// printServers prints the servers' versions, or why there are none.
func printServers(ctx context.Context, out io.Writer, t *temporalFlags) {
	fmt.Fprintln(out, "Server:")
	sc, err := t.starter(nil, false)
	if err != nil {
		fmt.Fprintf(out, "\t<error: %v>\n", err)
		return
	}
	defer sc.Temporal.Close()
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	servers, err := sc.Servers(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(out, "\t<error: %v>\n", err)
	case len(servers) == 0:
		fmt.Fprintf(out, "\t<no cairn server polls task queue %s>\n", sc.Cluster.Scope(workflows.TaskQueue))
	}
	for _, s := range servers {
		fmt.Fprintf(out, "\tVersion: %s\t(%s, polled %s ago)\n", s.Version, s.Identity, time.Since(s.LastPoll).Round(time.Second))
	}
}
