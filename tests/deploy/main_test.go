// Package deploy checks the Kubernetes manifests in deploy/: they render with
// kustomize, the test bed's apiserver accepts every object in a server-side
// dry run and then for real, the controller and the node agents come up on
// the simulated nodes with the permissions they need and no more, and their
// command lines match the flags of the cairn binary.
package deploy

import (
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

func TestMain(m *testing.M) { testbed.Main(m) }
