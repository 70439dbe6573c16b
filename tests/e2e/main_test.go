package e2e

import (
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestMain stops the test bed the tests start.
func TestMain(m *testing.M) { testbed.Main(m) }
