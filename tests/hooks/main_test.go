package hooks

import (
	"context"
	"os"
	"testing"

	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// cliEnv makes the test binary run `cairn` with its arguments instead of
// the tests: the dump test runs `cairn server` as a process of its own, to
// measure its memory.
const cliEnv = "CAIRN_HOOKS_TEST_RUN_CLI"

// TestMain runs the CLI when asked to, else the tests on one test bed with
// real nodes.
func TestMain(m *testing.M) {
	if os.Getenv(cliEnv) == "1" {
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	testbed.UseRealNodes()
	testbed.Main(m)
}
