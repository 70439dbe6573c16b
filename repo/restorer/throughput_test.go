package restorer_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo/restorer"
)

// The throughput comparison runs only with CAIRN_RESTORE_BENCH=1:
//
//	CAIRN_RESTORE_BENCH=1 go test -run TestRestoreThroughput -v -timeout 30m ./repo/restorer/
//
// It generates 2 GiB (1 GiB random, 1 GiB compressible text, in 16 files)
// under $CAIRN_RESTORE_BENCH_DIR (default /tmp/cairn-restore-bench, kept
// for reuse), backs it up with restic, then alternates `restic restore
// latest --target` and a Cairn restore in a child process (repository
// open included, as for restic), and reports the best wall time, MB/s,
// CPU time and peak RSS of each.
const benchFileSize = 128 << 20

func TestRestoreThroughput(t *testing.T) {
	if os.Getenv("CAIRN_RESTORE_BENCH") != "1" {
		t.Skip("set CAIRN_RESTORE_BENCH=1 to compare restore throughput with restic")
	}
	bin := resticBinary(t)
	dir := os.Getenv("CAIRN_RESTORE_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "cairn-restore-bench")
	}
	repoDir := filepath.Join(dir, "repo")
	if _, err := os.Stat(filepath.Join(dir, "ready")); err != nil {
		_ = os.RemoveAll(dir)
		data := filepath.Join(dir, "data")
		genBenchData(t, data)
		restic(t, bin, repoDir, "init")
		start := time.Now()
		restic(t, bin, repoDir, "backup", "--host", "bench", data)
		t.Logf("restic backup: %v", time.Since(start))
		if err := os.WriteFile(filepath.Join(dir, "ready"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const total = 16 * benchFileSize
	runs := 3
	var best [2]runStats
	for i := range 2 * runs {
		target := filepath.Join(dir, "target")
		_ = os.RemoveAll(target)
		var cmd *exec.Cmd
		which := i % 2
		if which == 0 {
			cmd = exec.CommandContext(t.Context(), bin, "--no-cache", "-r", repoDir, "restore", "latest", "--target", target)
			cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+password)
		} else {
			cmd = exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestRestoreThroughputChild$")
			cmd.Env = append(os.Environ(), "CAIRN_BENCH_CHILD_REPO="+repoDir, "CAIRN_BENCH_CHILD_TARGET="+target)
		}
		st := runTimed(t, cmd)
		t.Logf("%s: %v, %.0f MB/s, cpu %v, max RSS %d MiB", []string{"restic", "cairn"}[which],
			st.wall.Round(time.Millisecond), float64(total)/1e6/st.wall.Seconds(), st.cpu.Round(time.Millisecond), st.rss>>20)
		if best[which].wall == 0 || st.wall < best[which].wall {
			best[which].wall, best[which].cpu = st.wall, st.cpu
		}
		best[which].rss = max(best[which].rss, st.rss)
	}
	_ = os.RemoveAll(filepath.Join(dir, "target"))
	r, c := best[0], best[1]
	t.Logf("best of %d on %d MiB: restic %.0f MB/s (cpu %v, max RSS %d MiB), cairn %.0f MB/s (cpu %v, max RSS %d MiB), speed-up %.2fx",
		runs, total>>20, float64(total)/1e6/r.wall.Seconds(), r.cpu.Round(time.Millisecond), r.rss>>20,
		float64(total)/1e6/c.wall.Seconds(), c.cpu.Round(time.Millisecond), c.rss>>20, r.wall.Seconds()/c.wall.Seconds())
}

type runStats struct {
	wall, cpu time.Duration
	rss       int64
}

func runTimed(t *testing.T, cmd *exec.Cmd) runStats {
	t.Helper()
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return runStats{wall: wall, cpu: cpu, rss: ru.Maxrss << 10}
}

// TestRestoreThroughputChild is the Cairn side of TestRestoreThroughput,
// run in a child process so its time and memory are measured alone.
func TestRestoreThroughputChild(t *testing.T) {
	repoDir := os.Getenv("CAIRN_BENCH_CHILD_REPO")
	if repoDir == "" {
		t.Skip("run by TestRestoreThroughput")
	}
	r := openRepo(t, repoDir)
	sn, err := r.FindSnapshot(t.Context(), "latest")
	if err != nil {
		t.Fatal(err)
	}
	opts := restorer.Options{Target: os.Getenv("CAIRN_BENCH_CHILD_TARGET")}
	if _, err := restorer.Restore(t.Context(), r, sn, opts); err != nil {
		t.Fatal(err)
	}
}

// genBenchData writes 8 random and 8 text files of benchFileSize.
func genBenchData(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 16 {
		name := filepath.Join(dir, fmt.Sprintf("random-%02d", i))
		if i >= 8 {
			name = filepath.Join(dir, fmt.Sprintf("text-%02d", i))
		}
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if i < 8 {
			rnd := rand.NewChaCha8([32]byte{byte(i), 'b'})
			buf := make([]byte, 1<<20)
			for range benchFileSize >> 20 {
				_, _ = rnd.Read(buf)
				_, _ = w.Write(buf)
			}
		} else {
			writeText(w, uint64(i), benchFileSize)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

var benchWords = []string{"backup", "restore", "snapshot", "kubernetes", "volume", "cluster", "namespace",
	"the", "a", "of", "and", "to", "in", "is", "was", "pack", "index", "tree", "blob", "zstd", "chunk",
	"temporal", "workflow", "activity", "worker", "node", "pod", "claim", "storage", "class", "driver"}

// writeText writes n bytes of word salad with numbers, compressible about
// 3-4x by zstd but without repeats long enough to deduplicate.
func writeText(w *bufio.Writer, seed uint64, n int) {
	rnd := rand.New(rand.NewPCG(seed, 99))
	written := 0
	for written < n {
		x := rnd.Uint64()
		s := benchWords[x%uint64(len(benchWords))]
		k := 0
		k, _ = w.WriteString(s)
		written += k
		switch (x >> 8) % 8 {
		case 0:
			k, _ = fmt.Fprintf(w, " %d\n", (x>>16)%100000)
		default:
			k, _ = w.WriteString(" ")
		}
		written += k
	}
}
