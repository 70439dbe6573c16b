// Command cairn is Cairn's one user binary: the CLI, the controller worker
// (`cairn server`), the node agent (`cairn node-agent`) and `cairn dev`.
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
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr, extraCommands()...)
	stop()
	os.Exit(code)
}
