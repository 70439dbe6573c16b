package restorer_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/restorer"
	"github.com/cairn-backup/cairn/repo/walker"
)

// TestRestoreCorruptPack flips a byte of a blob of big.bin in its pack:
// the restore must fail naming the pack and the file, and big.bin must
// not exist with wrong content.
func TestRestoreCorruptPack(t *testing.T) {
	src, vs := fixture(t)
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "repo")
			if err := os.CopyFS(dir, os.DirFS(v.dir)); err != nil {
				t.Fatal(err)
			}
			r := openRepo(t, dir)
			sn, err := r.FindSnapshot(t.Context(), "latest")
			if err != nil {
				t.Fatal(err)
			}
			n, err := walker.Find(t.Context(), r, *sn.Tree, src+"/big.bin")
			if err != nil {
				t.Fatal(err)
			}
			loc := r.LookupBlob(repo.DataBlob, n.Content[1])[0] // big.bin is over 8 MiB: always 2+ chunks
			pack := filepath.Join(dir, "data", loc.Pack.String()[:2], loc.Pack.String())
			data, err := os.ReadFile(pack)
			if err != nil {
				t.Fatal(err)
			}
			data[loc.Offset+loc.Length/2] ^= 0x40
			if err := os.Chmod(pack, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(pack, data, 0o600); err != nil {
				t.Fatal(err)
			}
			target := t.TempDir()
			_, err = restorer.Restore(t.Context(), r, sn, restorer.Options{Target: target})
			if err == nil {
				t.Fatal("restore of a corrupt pack succeeded")
			}
			t.Log(err)
			if !errors.Is(err, repo.ErrInvalidData) || !strings.Contains(err.Error(), loc.Pack.String()) ||
				!strings.Contains(err.Error(), "big.bin") && !strings.Contains(err.Error(), "copy.bin") {
				t.Errorf("error does not name the pack and file: %v", err)
			}
			for _, name := range []string{"big.bin", "dir/nested/copy.bin"} {
				if _, err := os.Stat(filepath.Join(target, src, name)); err == nil {
					t.Errorf("%s exists after a failed restore", name)
				}
			}
			noTempFiles(t, target)
		})
	}
}
