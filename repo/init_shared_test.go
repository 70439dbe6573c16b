package repo_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/local"
	"github.com/cairn-backup/cairn/repo/backend/mem"
)

// slowSaves widens the window between checking for a config and writing
// one, as a remote store does.
type slowSaves struct{ backend.Backend }

func (s slowSaves) Save(ctx context.Context, h backend.Handle, data []byte) error {
	time.Sleep(5 * time.Millisecond)
	return s.Backend.Save(ctx, h, data)
}

// TestInitOrOpenRace has eight callers create the same repository at once:
// all of them end up with one repository (one config id, one key), and no
// claim is left behind.
func TestInitOrOpenRace(t *testing.T) {
	dir := t.TempDir()
	lb, err := local.Create(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, be := range map[string]backend.Backend{"mem": slowSaves{mem.New()}, "local": slowSaves{lb}} {
		t.Run(name, func(t *testing.T) {
			const callers = 8
			ids := make([]string, callers)
			var wg sync.WaitGroup
			for i := range callers {
				wg.Go(func() {
					r, err := repo.InitOrOpen(t.Context(), be, "pw", testOpts)
					if err != nil {
						t.Errorf("caller %d: %v", i, err)
						return
					}
					ids[i] = r.Config().ID
					_ = r.Close()
				})
			}
			wg.Wait()
			for i, id := range ids {
				if id != ids[0] {
					t.Errorf("caller %d opened repository %s, caller 0 %s", i, id, ids[0])
				}
			}
			if n := count(t, be, backend.KeyFile); n != 1 {
				t.Errorf("%d keys, want 1", n)
			}
			if n := count(t, be, backend.LockFile); n != 0 {
				t.Errorf("%d files left in locks/", n)
			}
		})
	}
}

// TestInitOrOpenClaims: a live claim of another process makes InitOrOpen
// wait for that process's repository; a claim older than ten minutes was
// left by a process that died and is removed.
func TestInitOrOpenClaims(t *testing.T) {
	be := mem.New()
	live := backend.Handle{Type: backend.LockFile, Name: "init-" + strconv.FormatInt(time.Now().UnixNano(), 16) + "-other"}
	if err := be.Save(t.Context(), live, []byte("x")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	if _, err := repo.InitOrOpen(ctx, be, "pw", testOpts); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "another process") {
		t.Fatalf("with another live claim: %v", err)
	}
	if n := count(t, be, backend.KeyFile); n != 0 {
		t.Fatalf("created a repository while another process claimed it: %d keys", n)
	}
	// The other process created it meanwhile.
	made, err := repo.Init(t.Context(), be, "pw", testOpts)
	if err != nil {
		t.Fatal(err)
	}
	_ = be.Remove(t.Context(), live)
	r, err := repo.InitOrOpen(t.Context(), be, "pw", testOpts)
	if err != nil || r.Config().ID != made.Config().ID {
		t.Fatalf("after the other process made it: %v", err)
	}

	// A dead process's claim.
	be = mem.New()
	dead := backend.Handle{Type: backend.LockFile, Name: "init-" + strconv.FormatInt(time.Now().Add(-time.Hour).UnixNano(), 16) + "-dead"}
	if err := be.Save(t.Context(), dead, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.InitOrOpen(t.Context(), be, "pw", testOpts); err != nil {
		t.Fatalf("with a stale claim: %v", err)
	}
	if n := count(t, be, backend.LockFile); n != 0 {
		t.Errorf("%d files left in locks/", n)
	}
}

func count(t *testing.T, be backend.Backend, ft backend.FileType) int {
	t.Helper()
	n := 0
	if err := be.List(t.Context(), ft, func(backend.FileInfo) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}
