package activities

import (
	"errors"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend/location"
)

// TestOpenRepoAtCreatesOnce opens a namespace repository of a local
// location twice with create: the first call makes it, the second opens
// the same one; without create a missing repository is an error.
func TestOpenRepoAtCreatesOnce(t *testing.T) {
	ctx := t.Context()
	st := Storage{Name: "local", Where: location.Location{Path: t.TempDir()}, Password: "pw"}
	opts := repo.Options{KDF: repo.KDFParams{N: 1024, R: 8, P: 1}}
	if _, _, err := st.OpenRepoAt(ctx, NamespaceRepoDir("ns"), false, opts); !errors.Is(err, repo.ErrNoRepository) {
		t.Fatalf("open without create: %v", err)
	}
	var ids []string
	for range 2 {
		r, closeRepo, err := st.OpenRepoAt(ctx, NamespaceRepoDir("ns"), true, opts)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.Config().ID)
		closeRepo()
	}
	if ids[0] != ids[1] {
		t.Errorf("two repositories: %v", ids)
	}
}
