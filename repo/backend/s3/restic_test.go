package s3_test

import (
	"testing"

	"github.com/cairn-backup/cairn/repo/backend/backendtest"
)

// TestRestic checks with the real restic that the bucket holds a restic
// repository, both ways, at the location Location() names.
func TestRestic(t *testing.T) {
	srv := startServer(t)
	be := open(t, srv.config(srv.newBucket(t), "restic/repo"))
	backendtest.ResticCompat(t, be, backendtest.ResticRepo{
		Env:     []string{"AWS_ACCESS_KEY_ID=" + srv.access, "AWS_SECRET_ACCESS_KEY=" + srv.secret},
		Options: []string{"-o", "s3.region=" + srv.region},
	})
}
