package podvolumes

import (
	"context"
	"os"
	"testing"

	"github.com/cairn-backup/cairn/starter/cli"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// agentEnv makes the test binary run `cairn` with its arguments instead of
// the tests: the resume test starts node agents it can kill that way.
const agentEnv = "CAIRN_PODVOLUMES_TEST_RUN_CLI"

// TestMain runs the CLI when asked to, else the tests on one test bed with
// real nodes (CAIRN_TESTBED_REAL_NODES=0 simulates them).
func TestMain(m *testing.M) {
	if os.Getenv(agentEnv) == "1" {
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	testbed.UseRealNodes()
	testbed.Main(m)
}
