//go:build nodev

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
)

// devBinary is the build of this command with `cairn dev` in it, installed
// beside this one.
const devBinary = "cairn-dev"

// extraCommands adds a `cairn dev` that becomes cairn-dev (the same
// command built with the embedded Temporal server) with exec, so that the
// all-in-one still runs in this one process while every other command stays
// free of the server's start-up cost and memory.
func extraCommands() []*cobra.Command {
	return []*cobra.Command{{
		Use:                "dev",
		Short:              "Run Temporal (SQLite) with its UI, the worker, a node agent and a local default location in one process",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			self, err := os.Executable()
			if err != nil {
				return err
			}
			bin := filepath.Join(filepath.Dir(self), devBinary)
			if _, err := os.Stat(bin); err != nil {
				return fmt.Errorf("cairn dev needs %s beside %s (make build installs both): %w", devBinary, self, err)
			}
			return syscall.Exec(bin, append([]string{bin, "dev"}, args...), os.Environ())
		},
	}}
}
