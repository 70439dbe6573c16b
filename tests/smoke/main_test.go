// Package smoke proves that each component of the test bed is the real thing:
// S3 through aws-sdk-go-v2, the Kubernetes control plane through client-go,
// Temporal through the SDK, and the restic binary.
package smoke

import (
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

func TestMain(m *testing.M) { testbed.Main(m) }
