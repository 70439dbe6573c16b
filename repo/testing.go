package repo

import (
	"testing"

	"github.com/cairn-backup/cairn/repo/backend/mem"
)

// TestKDFParams are cheap scrypt parameters for tests. Never use them for
// real repositories.
var TestKDFParams = KDFParams{N: 1024, R: 8, P: 1}

// TestPassword is the password TestRepository uses.
const TestPassword = "test password"

// TestRepository returns a new repository of the given format version on an
// in-memory backend, with cheap key derivation and small packs; it is
// closed when the test ends. opts may override the defaults.
func TestRepository(t testing.TB, version int, opts ...func(*Options)) *Repository {
	t.Helper()
	o := Options{Version: version, KDF: TestKDFParams, PackSize: MinPackSize}
	for _, f := range opts {
		f(&o)
	}
	r, err := Init(t.Context(), mem.New(), TestPassword, o)
	if err != nil {
		t.Fatalf("creating test repository: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("closing test repository: %v", err)
		}
	})
	return r
}
