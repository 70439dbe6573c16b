package locations_test

import (
	"testing"

	"github.com/cairn-backup/cairn/tests/testbed"
)

func TestMain(m *testing.M) { testbed.Main(m) }
