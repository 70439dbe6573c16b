package archiver_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo"
	"github.com/cairn-backup/cairn/repo/archiver"
	"github.com/cairn-backup/cairn/repo/dump"
	"github.com/cairn-backup/cairn/repo/internal/chunker"
)

// stream returns n deterministic pseudo-random bytes, generated as they
// are read.
func stream(seed uint64, n int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), 2}), n)
}

// streamSum is the SHA-256 of stream(seed, n).
func streamSum(seed uint64, n int64) [32]byte {
	return sum(stream(seed, n))
}

func sum(r io.Reader) [32]byte {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		panic(err)
	}
	return [32]byte(h.Sum(nil))
}

// rootFile returns the single node of sn's root tree.
func rootFile(t testing.TB, r *repo.Repository, sn *repo.Snapshot) repo.Node {
	t.Helper()
	tr, err := r.LoadTree(t.Context(), *sn.Tree)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Nodes) != 1 {
		t.Fatalf("root tree has %d nodes, want 1: %+v", len(tr.Nodes), tr.Nodes)
	}
	return tr.Nodes[0]
}

// dumpSum is the SHA-256 of what repo/dump writes for path p of sn.
func dumpSum(t testing.TB, r *repo.Repository, sn *repo.Snapshot, p string) [32]byte {
	t.Helper()
	h := sha256.New()
	if err := dump.Dump(t.Context(), r, sn, p, h); err != nil {
		t.Fatal(err)
	}
	return [32]byte(h.Sum(nil))
}

// TestBackupStreamRoundTrip backs up 64 MiB from a stream twice: the
// snapshot holds one file in restic's --stdin layout with the stream's
// bytes, and the second run adds no data blob.
func TestBackupStreamRoundTrip(t *testing.T) {
	const size = 64<<20 + 12345
	r := repo.TestRepository(t, 2)
	when := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)
	var progress []archiver.StreamProgress
	start := time.Now()
	res, err := archiver.BackupStream(t.Context(), r, stream(1, size), archiver.StreamOptions{
		Filename: "db.sql", Hostname: "host", Tags: []string{"pg"}, Time: when,
		OnProgress:       func(p archiver.StreamProgress) { progress = append(progress, p) },
		ProgressInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first run: %v", time.Since(start))
	sn := res.Snapshot
	if !slices.Equal(sn.Paths, []string{"/db.sql"}) || sn.Hostname != "host" || !slices.Equal(sn.Tags, []string{"pg"}) ||
		!sn.Time.Equal(when) || !strings.HasPrefix(sn.ProgramVersion, "cairn ") || res.SnapshotID != sn.ID() {
		t.Fatalf("snapshot: %+v", sn)
	}
	n := rootFile(t, r, sn)
	if n.Name != "db.sql" || n.Type != repo.NodeTypeFile || n.Mode != 0o644 || n.Size != size ||
		!n.ModTime.Equal(when) || !n.ChangeTime.Equal(when) || !n.AccessTime.Equal(when) ||
		n.UID != uint32(os.Getuid()) || n.GID != uint32(os.Getgid()) {
		t.Fatalf("node: %+v", n)
	}
	if len(n.Content) < size/chunker.MaxSize || len(n.Content) > size/chunker.MinSize+1 {
		t.Fatalf("%d blobs for %d bytes", len(n.Content), size)
	}
	s := sn.Summary
	if s.FilesNew != 1 || s.TotalFilesProcessed != 1 || s.TotalBytesProcessed != size ||
		s.DataBlobs != len(n.Content) || s.TreeBlobs != 1 || s.DataAdded <= size || s.DataAddedPacked == 0 ||
		s.DirsNew != 0 || !s.BackupStart.Before(s.BackupEnd) {
		t.Fatalf("summary: %+v", s)
	}
	if got, want := dumpSum(t, r, sn, "/db.sql"), streamSum(1, size); got != want {
		t.Fatal("dumped bytes differ from the stream")
	}
	if len(progress) < 2 {
		t.Fatalf("%d progress reports", len(progress))
	}
	if last := progress[len(progress)-1]; last.Bytes != size || last.Blobs != uint64(len(n.Content)) {
		t.Fatalf("final progress %+v", last)
	}

	before := r.SaveStats()
	res2, err := archiver.BackupStream(t.Context(), r, stream(1, size), archiver.StreamOptions{Filename: "db.sql"})
	if err != nil {
		t.Fatal(err)
	}
	after := r.SaveStats()
	n2 := rootFile(t, r, res2.Snapshot)
	if s := res2.Snapshot.Summary; s.DataBlobs != 0 || after.DataBlobs != before.DataBlobs || s.TreeBlobs != 1 ||
		s.TotalBytesProcessed != size {
		t.Fatalf("second run added data: summary %+v", s)
	}
	if !slices.Equal(n2.Content, n.Content) || res2.SnapshotID == res.SnapshotID {
		t.Fatal("second run: different content or the same snapshot")
	}
	if !n2.ModTime.Equal(res2.Snapshot.Time) || !res2.Snapshot.Time.Equal(res2.Snapshot.Summary.BackupStart) {
		t.Fatalf("default time: node %v, snapshot %v, start %v", n2.ModTime, res2.Snapshot.Time, res2.Snapshot.Summary.BackupStart)
	}
}

// streamRestic returns restic from PATH, skipping without it or under
// -short.
func streamRestic(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the restic binary")
	}
	bin, err := exec.LookPath("restic")
	if err != nil {
		t.Skip("restic is not on PATH")
	}
	return bin
}

// resticCmd is restic on the repository at dir.
func resticCmd(t testing.TB, bin, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"--no-cache", "-r", dir}, args...)...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+repo.TestPassword)
	return cmd
}

// resticDumpSum is the SHA-256 of `restic dump latest p` and its length.
func resticDumpSum(t testing.TB, bin, dir, p string) ([32]byte, int64) {
	t.Helper()
	cmd := resticCmd(t, bin, dir, "dump", "latest", p)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	n, copyErr := io.Copy(h, out)
	if err := cmd.Wait(); err != nil || copyErr != nil {
		t.Fatalf("restic dump: %v %v\n%s", err, copyErr, stderr.String())
	}
	return [32]byte(h.Sum(nil)), n
}

// TestBackupStreamRestic has restic dump and check a streamed snapshot,
// and back up the same bytes with `backup --stdin`: restic finds every
// chunk already stored and writes the same file node.
func TestBackupStreamRestic(t *testing.T) {
	const size = 40<<20 + 777
	bin := streamRestic(t)
	dir, r := localRepo(t)
	res, err := archiver.BackupStream(t.Context(), r, stream(2, size), archiver.StreamOptions{Filename: "dump.sql"})
	if err != nil {
		t.Fatal(err)
	}
	if got, n := resticDumpSum(t, bin, dir, "/dump.sql"); got != streamSum(2, size) || n != size {
		t.Fatalf("restic dump: %d bytes, not the stream's", n)
	}
	if out := runRestic(t, bin, dir, "check", "--read-data"); !strings.Contains(out, "no errors were found") {
		t.Fatalf("restic check:\n%s", out)
	}

	cmd := resticCmd(t, bin, dir, "backup", "--json", "--stdin", "--stdin-filename", "dump.sql")
	cmd.Stdin = stream(2, size)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("restic backup --stdin: %v\n%s", err, out)
	}
	var summary struct {
		MessageType string `json:"message_type"`
		DataBlobs   int    `json:"data_blobs"`
		SnapshotID  string `json:"snapshot_id"`
	}
	for sc := bufio.NewScanner(strings.NewReader(string(out))); sc.Scan(); {
		if strings.Contains(sc.Text(), `"summary"`) {
			must(t, json.Unmarshal(sc.Bytes(), &summary))
		}
	}
	if summary.MessageType != "summary" || summary.DataBlobs != 0 {
		t.Fatalf("restic backup --stdin of the same bytes added data blobs:\n%s", out)
	}
	must(t, r.LoadIndex(t.Context()))
	theirs, err := r.FindSnapshot(t.Context(), summary.SnapshotID)
	must(t, err)
	if !slices.Equal(theirs.Paths, res.Snapshot.Paths) {
		t.Fatalf("paths: restic %v, ours %v", theirs.Paths, res.Snapshot.Paths)
	}
	ours, them := rootFile(t, r, res.Snapshot), rootFile(t, r, theirs)
	if ours.Name != them.Name || ours.Type != them.Type || ours.Mode != them.Mode || ours.Size != them.Size ||
		ours.UID != them.UID || ours.GID != them.GID || !slices.Equal(ours.Content, them.Content) {
		t.Fatalf("file node:\n ours   %+v\n restic %+v", ours, them)
	}
}

// TestBackupStreamEmpty backs up an empty stream: an empty file.
func TestBackupStreamEmpty(t *testing.T) {
	dir, r := localRepo(t)
	res, err := archiver.BackupStream(t.Context(), r, strings.NewReader(""), archiver.StreamOptions{Filename: "empty"})
	if err != nil {
		t.Fatal(err)
	}
	n := rootFile(t, r, res.Snapshot)
	if n.Name != "empty" || n.Type != repo.NodeTypeFile || n.Size != 0 || n.Content == nil || len(n.Content) != 0 {
		t.Fatalf("node: %+v", n)
	}
	if s := res.Snapshot.Summary; s.DataBlobs != 0 || s.TreeBlobs != 1 || s.FilesNew != 1 || s.TotalBytesProcessed != 0 {
		t.Fatalf("summary: %+v", s)
	}
	if got := dumpSum(t, r, res.Snapshot, "/empty"); got != sha256.Sum256(nil) {
		t.Fatal("dump of the empty file is not empty")
	}
	bin := streamRestic(t)
	if _, n := resticDumpSum(t, bin, dir, "/empty"); n != 0 {
		t.Fatalf("restic dump wrote %d bytes", n)
	}
}

var errBroken = errors.New("broken pipe (test)")

// failingReader returns its stream's bytes, then errBroken.
type failingReader struct{ r io.Reader }

func (f failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		err = errBroken
	}
	return n, err
}

// TestBackupStreamReadError: a stream that fails saves no snapshot, and
// the repository takes the next backup.
func TestBackupStreamReadError(t *testing.T) {
	r := repo.TestRepository(t, 2)
	for _, n := range []int64{0, 100, 20<<20 + 3} {
		res, err := archiver.BackupStream(t.Context(), r, failingReader{stream(3, n)}, archiver.StreamOptions{Filename: "x"})
		if !errors.Is(err, errBroken) || res != nil {
			t.Fatalf("after %d bytes: %v, %v", n, res, err)
		}
	}
	if sns, err := r.ListSnapshots(t.Context()); err != nil || len(sns) != 0 {
		t.Fatalf("snapshots after failures: %v %v", sns, err)
	}
	res, err := archiver.BackupStream(t.Context(), r, stream(3, 20<<20+3), archiver.StreamOptions{Filename: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := dumpSum(t, r, res.Snapshot, "/x"); got != streamSum(3, 20<<20+3) {
		t.Fatal("dumped bytes differ from the stream")
	}
}

// cancelAfter cancels a context once n bytes have been read.
type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	m, err := c.r.Read(p)
	if c.n -= int64(m); c.n <= 0 {
		c.cancel()
	}
	return m, err
}

// TestBackupStreamCancel: cancelling the context mid-stream saves no
// snapshot.
func TestBackupStreamCancel(t *testing.T) {
	r := repo.TestRepository(t, 2)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	src := &cancelAfter{r: stream(4, 64<<20), n: 10 << 20, cancel: cancel}
	res, err := archiver.BackupStream(ctx, r, src, archiver.StreamOptions{Filename: "x"})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("%v, %v", res, err)
	}
	if sns, err := r.ListSnapshots(t.Context()); err != nil || len(sns) != 0 {
		t.Fatalf("snapshots after cancelling: %v %v", sns, err)
	}
}

func TestBackupStreamBadFilename(t *testing.T) {
	r := repo.TestRepository(t, 2)
	for _, name := range []string{"", ".", "..", "a/b", "/x"} {
		if _, err := archiver.BackupStream(t.Context(), r, strings.NewReader("x"), archiver.StreamOptions{Filename: name}); err == nil {
			t.Errorf("filename %q accepted", name)
		}
	}
}

// TestBackupStreamMemory streams 512 MiB into a local repository while
// sampling the heap: it must stay small, whatever the stream's size and
// the number of CPUs. The limit allows the write session's one data pack
// buffer and the chunk buffers, one per saver and one for the reader, and
// their compressed copies.
func TestBackupStreamMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 512 MiB")
	}
	const size = 512 << 20
	limit := uint64(24<<20 + 2*(archiver.StreamSavers+1)*chunker.MaxSize)
	_, r := localRepo(t)
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var sampling sync.WaitGroup
	sampling.Go(func() {
		var ms runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	start := time.Now()
	res, err := archiver.BackupStream(t.Context(), r, stream(5, size), archiver.StreamOptions{Filename: "big"})
	close(stop)
	sampling.Wait()
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	t.Logf("%d MiB in %v (%.0f MiB/s), peak HeapInuse %.1f MiB", size>>20, el, float64(size>>20)/el.Seconds(), float64(peak.Load())/(1<<20))
	if res.Snapshot.Summary.TotalBytesProcessed != size {
		t.Fatalf("summary: %+v", res.Snapshot.Summary)
	}
	if p := peak.Load(); p > limit {
		t.Fatalf("peak HeapInuse %d MiB, limit %d MiB", p>>20, limit>>20)
	}
}
