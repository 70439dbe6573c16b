// Package interop checks, on the real restic v0.18.1 binary and the test
// bed's S3 server, that Cairn and restic read and write each other's
// repositories: restic verifies and restores what Cairn writes, Cairn
// restores what restic writes, and the two can take turns on one repository.
package interop

import (
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

func TestMain(m *testing.M) { testbed.Main(m) }
