// Command cairn is Cairn's one user binary: the CLI, and later the worker and
// node agent subcommands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/cairn-backup/cairn/starter/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
