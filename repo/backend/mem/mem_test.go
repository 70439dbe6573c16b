package mem_test

import (
	"testing"

	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/backendtest"
	"github.com/cairn-backup/cairn/repo/backend/mem"
)

func TestSuite(t *testing.T) {
	backendtest.Run(t, func(*testing.T) backend.Backend { return mem.New() })
}
