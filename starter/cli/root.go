// Package cli implements the `cairn` command line: Velero's verbs and flags
// for backups, restores and schedules, and `cairn repo` for the restic-format
// repositories underneath.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter/clientconfig"
)

// Every command runs its parents' hooks too: the root's reads the client
// configuration, and `cairn repo` has one of its own.
func init() { cobra.EnableTraverseRunHooks = true }

// Run executes the command line args and returns the process exit code.
// Extra commands join the root: package main adds `cairn dev` that way, so
// that the Temporal server it embeds stays out of this package.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, extra ...*cobra.Command) int {
	root := newRoot(stdout, stderr)
	root.AddCommand(extra...)
	refuseUnknownSubcommands(root)
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(stderr, "cairn:", ee.msg)
			}
			return ee.code
		}
		fmt.Fprintln(stderr, "cairn:", err)
		return 1
	}
	return 0
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "cairn",
		Short:         "Back up and restore Kubernetes resources and volumes, durably, on Temporal",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	kube := addKubeFlags(root)
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		conf, err := clientconfig.Load()
		kube.configured = conf[clientconfig.Namespace]
		return err
	}
	root.AddCommand(newRepoCommand(kube), newRestoreHelperCommand())
	root.AddCommand(newBackupLocationCommand(kube), newSnapshotLocationCommand(kube))
	root.AddCommand(newBackupCommand(kube), newRestoreCommand(kube), newServerCommand(kube), newNodeAgentCommand(kube))
	root.AddCommand(newScheduleCommand(kube))
	root.AddCommand(newVersionCommand(), newClientCommand())
	root.AddCommand(newVerbCommands(kube)...)
	return root
}

// exitError ends the command with a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
