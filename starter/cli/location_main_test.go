package cli

import (
	"os"
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestMain stops the test bed the backup-location tests start. With
// helperEnv set it is the restore helper instead (TestRestoreHelper).
func TestMain(m *testing.M) {
	if v, ok := os.LookupEnv(helperEnv); ok {
		os.Exit(runHelperChild(v))
	}
	testbed.Main(m)
}
