// Package maintenance tests repository maintenance end to end on the test
// bed: real Temporal, versitygw, kube-apiserver, node agents and restic.
package maintenance

import (
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// TestMain runs the tests on one test bed and stops it.
func TestMain(m *testing.M) { testbed.Main(m) }
