//go:build !nodev

package main

import (
	"github.com/spf13/cobra"

	"github.com/cairn-backup/cairn/starter/devcmd"
)

// extraCommands adds `cairn dev`, which embeds the Temporal server and its
// UI. They more than double the binary and its start-up cost (every
// command initializes their packages): build with -tags nodev to leave
// `cairn dev` out, as an image that only runs `cairn server` or
// `cairn node-agent` may.
func extraCommands() []*cobra.Command { return []*cobra.Command{devcmd.New()} }
