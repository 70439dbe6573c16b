// Package histories records the workflow histories that workflows/ replays
// (workflows/testdata/histories): it runs real backups, restores, deletions,
// a scheduled backup and a garbage collection on the test bed and exports
// their histories. It records only with CAIRN_RECORD_HISTORIES=1, through
// `make record-histories`.
package histories

import (
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestMain stops the test bed the recording starts, on real nodes: the
// recorded pod's hooks and dump run in its container.
func TestMain(m *testing.M) {
	testbed.UseRealNodes()
	testbed.Main(m)
}
