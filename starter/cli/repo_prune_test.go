package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/forget"
)

// dataFiles lists the pack files of the repository in dir.
func dataFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "data", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRepoPrune: bad flags fail before anything happens, a dry run changes
// nothing, a prune removes the data of forgotten snapshots only and the
// repository checks clean.
func TestRepoPrune(t *testing.T) {
	fx := newForgetFixture(t)
	t.Setenv("CAIRN_REPO_PASSWORD", forgetPassword)
	t.Setenv("RESTIC_PASSWORD", "")
	pruneCmd := func(args ...string) []string { return append([]string{"repo", "prune", "-r", fx.dir}, args...) }
	r := fx.open(t)
	if _, err := forget.ByIDs(t.Context(), r, []string{fx.id(0), fx.id(4)}); err != nil {
		t.Fatal(err)
	}
	before := dataFiles(t, fx.dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--max-unused", "200%"}, "--max-unused"},
		{[]string{"--max-unused", "lots"}, "unlimited"},
		{[]string{"--repack-smaller-than", "1T"}, "exceeds the pack size"},
		{[]string{"--max-repack-size", "x"}, "--max-repack-size"},
	} {
		if code, _, errOut := cairn(t, pruneCmd(c.args...)...); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("prune %q: exit %d, %q; want an error mentioning %q", c.args, code, errOut, c.want)
		}
	}
	out := mustCairn(t, pruneCmd("--dry-run")...)
	if !strings.Contains(out, "to remove:") || !strings.Contains(out, "dry run") || !slices.Equal(dataFiles(t, fx.dir), before) {
		t.Errorf("the dry run changed the repository or printed:\n%s", out)
	}
	out = mustCairn(t, pruneCmd("--max-unused", "0%")...)
	if !strings.Contains(out, "removed:") || len(dataFiles(t, fx.dir)) >= len(before) {
		t.Errorf("prune removed no pack (%d before, %d after):\n%s", len(before), len(dataFiles(t, fx.dir)), out)
	}
	r = fx.open(t)
	for i, blob := range fx.blobs {
		if want := i != 0 && i != 4; r.HasBlob(repo.DataBlob, blob) != want {
			t.Errorf("after the prune, snapshot %d's data is there: %v, want %v", i, !want, want)
		}
	}
	if out := mustCairn(t, "repo", "check", "-r", fx.dir, "--read-data"); !strings.Contains(out, "no errors were found") {
		t.Errorf("check after the prune:\n%s", out)
	}
	fx.left(t) // fails on locks left behind
}
