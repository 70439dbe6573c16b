package metadata_test

import (
	"context"
	"slices"
	"testing"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
)

// listOnly hides DirStore.Folders, so Store.Folders falls back on List.
type listOnly struct{ metadata.ObjectStore }

func TestFolders(t *testing.T) {
	ctx := context.Background()
	dir, err := metadata.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"restic/cairn.resources/config", "restic/app/data/ab/abcd", "restic/db/keys/1", "restic/stray", "backups/b/velero-backup.json"} {
		if err := dir.Put(ctx, k, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"app", "cairn.resources", "db"}
	for name, s := range map[string]metadata.Store{"dir": {Objects: dir}, "list": {Objects: listOnly{dir}}} {
		got, err := s.Folders(ctx, "restic/")
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: folders %v, %v; want %v", name, got, err, want)
		}
		if got, err := s.Folders(ctx, "nothing/"); err != nil || len(got) != 0 {
			t.Errorf("%s: folders of a missing folder %v, %v", name, got, err)
		}
	}
}
