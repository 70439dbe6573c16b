package repo_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/backend"
	"github.com/cairn-backup/cairn/repo/backend/fault"
)

// pruneFixture is a repository in a folder with four snapshots that share
// some data, the first two of them forgotten, and packs left unindexed by
// an interrupted backup. kept are the files of the remaining snapshots.
type pruneFixture struct {
	dir  string
	kept map[string][]byte
}

func newPruneFixture(t *testing.T, version int) pruneFixture {
	t.Helper()
	dir := t.TempDir()
	opts := testOpts
	opts.Version = version
	r, err := repo.Init(t.Context(), dirBackend{dir}, repo.TestPassword, opts)
	if err != nil {
		t.Fatal(err)
	}
	shared := randomBytes(1, 3<<20)
	fx := pruneFixture{dir: dir, kept: map[string][]byte{}}
	var forget []repo.ID
	for i := range 4 {
		files := map[string][]byte{
			"big":   append(shared[:2<<20:2<<20], randomBytes(uint64(10+i), 5<<20)...),
			"text":  compressible(1<<20 + i*4096),
			"empty": {},
		}
		saveFiles(t, r, files)
		sns, err := r.ListSnapshots(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			forget = append(forget, sns[len(sns)-1].ID())
		} else {
			fx.kept[fmt.Sprintf("%d/big", i)] = files["big"]
			fx.kept[fmt.Sprintf("%d/text", i)] = files["text"]
		}
		time.Sleep(2 * time.Millisecond) // distinct snapshot times
	}
	for _, id := range forget {
		if err := r.Backend().Remove(t.Context(), backend.Handle{Type: backend.SnapshotFile, Name: id.String()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	leaveUnindexedPacks(t, dir, opts)
	return fx
}

// leaveUnindexedPacks uploads packs whose index is never written, as a
// backup killed before its first index file leaves them.
func leaveUnindexedPacks(t *testing.T, dir string, opts repo.Options) {
	t.Helper()
	fb := fault.New(dirBackend{dir})
	fb.FailSaves(backend.IndexFile)
	r, err := repo.Open(t.Context(), fb, repo.TestPassword, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, _, err := r.SaveBlob(t.Context(), repo.DataBlob, randomBytes(uint64(900+i), 3<<20), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Flush(t.Context()); err == nil {
		t.Fatal("flush with failing index saves succeeded")
	}
	_ = r.Close()
}

func openDir(t *testing.T, be backend.Backend) *repo.Repository {
	t.Helper()
	r, err := repo.Open(t.Context(), be, repo.TestPassword, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// verify checks the repository with --read-data (Cairn's check and, when
// installed, restic's) and that the kept files read back identical.
func (fx pruneFixture) verify(t *testing.T, what string, withRestic bool) {
	t.Helper()
	r := openDir(t, dirBackend{fx.dir})
	if _, err := r.Check(t.Context(), repo.CheckOptions{ReadData: true}); err != nil {
		t.Fatalf("%s: check: %v", what, err)
	}
	sns, err := r.ListSnapshots(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(sns) != 2 {
		t.Fatalf("%s: %d snapshots, want 2", what, len(sns))
	}
	for i, sn := range sns {
		for _, name := range []string{"big", "text"} {
			n := findNode(t, r, *sn.Tree, []string{"data", name})
			if got := readContent(t, r, n.Content); string(got) != string(fx.kept[fmt.Sprintf("%d/%s", i+2, name)]) {
				t.Fatalf("%s: snapshot %d file %s differs after prune", what, i+2, name)
			}
		}
	}
	if withRestic && resticInstalled() {
		restic(t, resticPath(), fx.dir, "check", "--read-data")
	}
}

func readContent(t *testing.T, r *repo.Repository, ids []repo.ID) []byte {
	t.Helper()
	var out []byte
	for _, id := range ids {
		b, err := r.LoadBlob(t.Context(), repo.DataBlob, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}

func resticPath() string {
	if p := os.Getenv("CAIRN_RESTIC"); p != "" {
		return p
	}
	p, _ := filepath.Abs("../.tools/bin/restic")
	return p
}

func resticInstalled() bool {
	if testing.Short() {
		return false
	}
	_, err := os.Stat(resticPath())
	return err == nil
}

func prune(t *testing.T, be backend.Backend, opts repo.PruneOptions) (*repo.PruneStats, error) {
	t.Helper()
	r := openDir(t, be)
	l, err := r.Lock(t.Context(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Unlock(context.Background()) }()
	return r.Prune(t.Context(), opts)
}

func folderBytes(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.Walk(filepath.Join(dir, "data"), func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPrune(t *testing.T) {
	for _, version := range []int{1, 2} {
		t.Run(fmt.Sprintf("v%d", version), func(t *testing.T) {
			fx := newPruneFixture(t, version)
			before := folderBytes(t, fx.dir)
			st, err := prune(t, dirBackend{fx.dir}, repo.PruneOptions{})
			if err != nil {
				t.Fatal(err)
			}
			after := folderBytes(t, fx.dir)
			if st.Packs.Unreferenced != 3 || st.SizeBefore != uint64(before) || st.SizeAfter != uint64(after) {
				t.Errorf("stats: %d unreferenced packs (want 3), size %d -> %d, folder %d -> %d",
					st.Packs.Unreferenced, st.SizeBefore, st.SizeAfter, before, after)
			}
			if st.Packs.Remove+st.Packs.Repack == 0 || after >= before {
				t.Errorf("nothing was removed: %+v", st.Packs)
			}
			fx.verify(t, "after prune", true)
			again, err := prune(t, dirBackend{fx.dir}, repo.PruneOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if again.Packs.Remove+again.Packs.Repack+again.Packs.Unreferenced != 0 {
				t.Errorf("a second prune still finds work: %+v", again.Packs)
			}
		})
	}
}

// TestPruneMaxUnused checks that 0% repacks until nothing unused is left
// and that unlimited only removes packs nothing uses.
func TestPruneMaxUnused(t *testing.T) {
	fx := newPruneFixture(t, 2)
	st, err := prune(t, dirBackend{fx.dir}, repo.PruneOptions{MaxUnused: repo.MustParseMaxUnused("unlimited")})
	if err != nil {
		t.Fatal(err)
	}
	if st.Packs.Repack != 0 {
		t.Errorf("unlimited repacked %d packs", st.Packs.Repack)
	}
	st, err = prune(t, dirBackend{fx.dir}, repo.PruneOptions{MaxUnused: repo.MustParseMaxUnused("0%")})
	if err != nil {
		t.Fatal(err)
	}
	if st.Packs.Repack == 0 {
		t.Errorf("0%% repacked nothing: %+v", st.Packs)
	}
	fx.verify(t, "after 0% prune", true)
	st, err = prune(t, dirBackend{fx.dir}, repo.PruneOptions{DryRun: true, MaxUnused: repo.MustParseMaxUnused("0%")})
	if err != nil {
		t.Fatal(err)
	}
	if st.Size.Unused+st.Size.Duplicate != 0 {
		t.Errorf("%d unused and %d duplicate bytes left after a 0%% prune", st.Size.Unused, st.Size.Duplicate)
	}
}

func TestPruneDryRun(t *testing.T) {
	fx := newPruneFixture(t, 2)
	before := folderBytes(t, fx.dir)
	st, err := prune(t, dirBackend{fx.dir}, repo.PruneOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := folderBytes(t, fx.dir); got != before || st.RemovedBytes == 0 || !st.DryRun {
		t.Errorf("dry run: folder %d -> %d bytes, planned removal %d", before, got, st.RemovedBytes)
	}
}

// TestPruneKilled stops a prune (at 0% unused, so that it removes, repacks
// and rewrites the index) at every write or removal it makes, as a SIGKILL
// would (nothing further reaches the storage), and checks that the
// repository is sound, that a new prune finishes the work and that a
// third one finds nothing left to do.
func TestPruneKilled(t *testing.T) {
	fx := newPruneFixture(t, 2)
	ops := countMutations(t, fx.dir)
	if ops < 5 {
		t.Fatalf("a prune made only %d changes", ops)
	}
	for n := 1; n < ops; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, fx.dir, dir)
			killed := fault.New(dirBackend{dir})
			killed.SetHook(killAfter(n))
			if _, err := prune(t, killed, zeroUnused); err == nil {
				t.Fatalf("prune stopped after %d changes succeeded", n)
			}
			removeLocks(t, dir)
			run := pruneFixture{dir: dir, kept: fx.kept}
			run.verify(t, fmt.Sprintf("killed after %d changes", n), true)
			if _, err := prune(t, dirBackend{dir}, repo.PruneOptions{}); err != nil {
				t.Fatalf("prune after the killed one: %v", err)
			}
			run.verify(t, "finished by the next prune", false)
			st, err := prune(t, dirBackend{dir}, repo.PruneOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if st.Packs.Remove+st.Packs.Unreferenced != 0 {
				t.Errorf("the third prune still removes packs: %+v", st.Packs)
			}
		})
	}
}

var (
	errKilled  = errors.New("killed")
	zeroUnused = repo.PruneOptions{MaxUnused: repo.MustParseMaxUnused("0%")}
)

// killAfter lets n saves and removals through, then fails every one.
func killAfter(n int) fault.Hook {
	var mu sync.Mutex
	done := 0
	return func(_ context.Context, op fault.Op, h backend.Handle) error {
		if (op != fault.OpSave && op != fault.OpRemove) || h.Type == backend.LockFile {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		if done >= n {
			return errKilled
		}
		done++
		return nil
	}
}

// countMutations prunes a copy and counts its saves and removals.
func countMutations(t *testing.T, src string) int {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, src, dir)
	fb := fault.New(dirBackend{dir})
	var mu sync.Mutex
	n := 0
	fb.SetHook(func(_ context.Context, op fault.Op, h backend.Handle) error {
		if (op == fault.OpSave || op == fault.OpRemove) && h.Type != backend.LockFile {
			mu.Lock()
			n++
			mu.Unlock()
		}
		return nil
	})
	st, err := prune(t, fb, zeroUnused)
	if err != nil {
		t.Fatal(err)
	}
	if st.Packs.Repack == 0 || st.Packs.Remove == 0 || st.Packs.Unreferenced == 0 {
		t.Fatalf("the prune to kill does not do every kind of work: %+v", st.Packs)
	}
	return n
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
}

func removeLocks(t *testing.T, dir string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(dir, "locks")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "locks"), 0o700); err != nil {
		t.Fatal(err)
	}
}

// TestPruneSeesLaterWrites opens a repository, lets another writer back up
// before the prune's lock, and checks that the prune keeps what it wrote.
func TestPruneSeesLaterWrites(t *testing.T) {
	fx := newPruneFixture(t, 2)
	r := openDir(t, dirBackend{fx.dir})
	other := openDir(t, dirBackend{fx.dir})
	late := map[string][]byte{"big": randomBytes(77, 5<<20), "text": compressible(1 << 20), "empty": {}}
	saveFiles(t, other, late)
	l, err := r.Lock(t.Context(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Unlock(context.Background()) }()
	if _, err := r.Prune(t.Context(), zeroUnused); err != nil {
		t.Fatal(err)
	}
	check := openDir(t, dirBackend{fx.dir})
	if _, err := check.Check(t.Context(), repo.CheckOptions{ReadData: true}); err != nil {
		t.Fatalf("a backup written after Open was damaged by the prune: %v", err)
	}
}

// TestPruneCorruptBlob damages a used blob in a pack the prune repacks:
// the prune fails naming it and removes nothing.
func TestPruneCorruptBlob(t *testing.T) {
	dir := t.TempDir()
	r, err := repo.Init(t.Context(), dirBackend{dir}, repo.TestPassword, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	var roots []repo.ID
	var blobs []repo.ID
	for i := range 2 { // two small files flushed together: one pack
		id, _, err := r.SaveBlob(ctx, repo.DataBlob, randomBytes(uint64(40+i), 64<<10), nil)
		if err != nil {
			t.Fatal(err)
		}
		blobs = append(blobs, id)
		root, err := r.SaveTree(ctx, &repo.Tree{Nodes: []repo.Node{{Name: "f", Type: repo.NodeTypeFile, Content: []repo.ID{id}}}})
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, root)
	}
	if err := r.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := r.SaveSnapshot(ctx, &repo.Snapshot{Time: time.Now(), Tree: &roots[0], Paths: []string{"/f"}}); err != nil {
		t.Fatal(err)
	}
	loc := r.LookupBlob(repo.DataBlob, blobs[0])[0]
	if other := r.LookupBlob(repo.DataBlob, blobs[1])[0]; other.Pack != loc.Pack {
		t.Fatalf("the two blobs are in different packs")
	}
	_ = r.Close()
	path := filepath.Join(dir, "data", loc.Pack.String()[:2], loc.Pack.String())
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[loc.Offset+40] ^= 0xff
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	before := folderBytes(t, dir)
	_, err = prune(t, dirBackend{dir}, zeroUnused)
	if !errors.Is(err, repo.ErrInvalidData) || !strings.Contains(err.Error(), "nothing was removed") {
		t.Fatalf("prune with a damaged needed blob: %v", err)
	}
	if _, err := os.Stat(path); err != nil || folderBytes(t, dir) < before {
		t.Errorf("the failed prune removed packs: %v, %d -> %d bytes", err, before, folderBytes(t, dir))
	}
}
