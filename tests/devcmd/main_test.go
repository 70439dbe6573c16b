// Package devcmd tests `cairn dev` on the test bed's apiserver.
package devcmd

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/starter/devcmd"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// cliEnv makes the test binary run `cairn` (with `cairn dev`) on its
// arguments instead of the tests, as the real binary does: the tests start
// `cairn dev` as a child process they can signal.
const cliEnv = "CAIRN_DEVCMD_TEST_RUN_CLI"

// TestMain runs the CLI when asked to, else the tests on one test bed.
func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr, devcmd.New())
		stop()
		os.Exit(code)
	}
	testbed.Main(m)
}
