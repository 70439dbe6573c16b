package restorer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/restorer"
	"github.com/cairn-backup/cairn/repo/walker"
)

func TestRestoreResticRepositories(t *testing.T) {
	src, vs := fixture(t)
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			r := openRepo(t, v.dir)
			sn, err := r.FindSnapshot(t.Context(), "latest")
			if err != nil {
				t.Fatal(err)
			}
			target := t.TempDir()
			var mu sync.Mutex
			var last restorer.Progress
			res, err := restorer.Restore(t.Context(), r, sn, restorer.Options{
				Target: target,
				Progress: func(p restorer.Progress) {
					mu.Lock()
					last = p
					mu.Unlock()
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%+v", *res)
			if last.FilesDone != last.FilesTotal || last.BytesDone != last.BytesTotal || !last.Planned || last.BytesTotal < 30<<20 {
				t.Errorf("final progress %+v", last)
			}
			if res.Hardlinks != 3 || res.Symlinks != 3 {
				t.Errorf("result %+v: want 3 hard links and 3 symlinks", *res)
			}
			// atime as recorded
			n, err := walker.Find(t.Context(), r, *sn.Tree, src+"/small.txt")
			if err != nil {
				t.Fatal(err)
			}
			var st syscall.Stat_t
			if err := syscall.Lstat(filepath.Join(target, src, "small.txt"), &st); err != nil {
				t.Fatal(err)
			}
			if got := st.Atim.Nano(); got != n.AccessTime.UnixNano() {
				t.Errorf("atime %d, want %d", got, n.AccessTime.UnixNano())
			}
			compareTrees(t, src, filepath.Join(target, src)) // reading changes atimes
		})
	}
}

// TestRestoreSubtreeAndInclude compares Cairn with restic itself for
// `restore <id>:<folder>` and `restore --include`.
func TestRestoreSubtreeAndInclude(t *testing.T) {
	src, vs := fixture(t)
	bin := resticBinary(t)
	v := vs[0]
	r := openRepo(t, v.dir)
	sn, err := r.FindSnapshot(t.Context(), "latest")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		opts restorer.Options
		args []string
	}{
		{"subtree", restorer.Options{Subtree: src + "/dir"}, []string{"latest:" + src + "/dir"}},
		{"include", restorer.Options{Include: []string{src + "/dir/nested", src + "/links/rel", src + "/hard/b"}},
			[]string{"latest", "--include", src + "/dir/nested", "--include", src + "/links/rel", "--include", src + "/hard/b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, got := t.TempDir(), t.TempDir()
			restic(t, bin, v.dir, append([]string{"restore", "--target", want}, c.args...)...)
			c.opts.Target = got
			if _, err := restorer.Restore(t.Context(), r, sn, c.opts); err != nil {
				t.Fatal(err)
			}
			compareTrees(t, want, got)
		})
	}
	_, err = restorer.Restore(t.Context(), r, sn, restorer.Options{Target: t.TempDir(), Subtree: src + "/small.txt"})
	if err == nil || !strings.Contains(err.Error(), "small.txt") {
		t.Errorf("subtree of a file: %v", err)
	}
}

func TestRestoreSparse(t *testing.T) {
	src, vs := fixture(t)
	r := openRepo(t, vs[0].dir)
	sn, err := r.FindSnapshot(t.Context(), "latest")
	if err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	if _, err := restorer.Restore(t.Context(), r, sn, restorer.Options{Target: target, Sparse: true}); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, src, filepath.Join(target, src))
	var st syscall.Stat_t
	if err := syscall.Stat(filepath.Join(target, src, "sparse.img"), &st); err != nil {
		t.Fatal(err)
	}
	if st.Blocks*512 > 1<<20 {
		t.Errorf("sparse.img allocates %d bytes of its %d", st.Blocks*512, st.Size)
	}
}

func TestSnapshotFilter(t *testing.T) {
	_, vs := fixture(t)
	r := openRepo(t, vs[0].dir)
	for _, c := range []struct {
		f  repo.SnapshotFilter
		ok bool
	}{
		{repo.SnapshotFilter{Tags: []string{"t1"}}, true},
		{repo.SnapshotFilter{Tags: []string{"t1,t2"}}, true},
		{repo.SnapshotFilter{Tags: []string{"t1,t3"}}, false},
		{repo.SnapshotFilter{Tags: []string{"t3", "t2"}}, true},
		{repo.SnapshotFilter{Hosts: []string{"testhost"}, Paths: []string{fixtureSrc}}, true},
		{repo.SnapshotFilter{Hosts: []string{"other"}}, false},
		{repo.SnapshotFilter{Paths: []string{"/nope"}}, false},
	} {
		_, err := r.FindSnapshotFiltered(t.Context(), "latest", c.f)
		if (err == nil) != c.ok {
			t.Errorf("%+v: %v", c.f, err)
		}
		if err != nil && !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("%+v: %v", c.f, err)
		}
	}
}

// cancelling cancels its context when the first blob is decoded.
type cancelling struct {
	*repo.Repository
	cancel context.CancelFunc
}

func (c cancelling) DecodeBlob(t repo.BlobType, id repo.ID, loc repo.BlobLocation, sealed, buf []byte) ([]byte, error) {
	c.cancel()
	return c.Repository.DecodeBlob(t, id, loc, sealed, buf)
}

func TestRestoreCancel(t *testing.T) {
	src, vs := fixture(t)
	r := openRepo(t, vs[0].dir)
	sn, err := r.FindSnapshot(t.Context(), "latest")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	target := t.TempDir()
	_, err = restorer.Restore(ctx, cancelling{r, cancel}, sn, restorer.Options{Target: target, Connections: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	noTempFiles(t, target)
	if _, err := os.Stat(filepath.Join(target, src, "big.bin")); err == nil {
		t.Error("big.bin exists after a cancelled restore")
	}
}

func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".cairn-restore-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}
