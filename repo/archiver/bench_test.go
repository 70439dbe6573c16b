package archiver_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo/archiver"
)

// Benchmark data sets, generated once (deterministically) into
// $CAIRN_BENCH_DATA or the temp directory:
//
//   - large: 8 × 128 MiB random files and 8 × 128 MiB text files (2 GiB);
//   - small: 15,000 files of 1–16 KiB (half text, half random) in 150
//     directories (~125 MiB).
//
// With CAIRN_BENCH_RESTIC=1 each benchmark also times `restic backup` of
// the same data into a fresh local repository and reports the ratio.
var benchSets = []struct {
	name string
	gen  func(tb testing.TB, dir string)
}{
	{"large", genLarge},
	{"small", genSmall},
}

func benchDir(tb testing.TB, name string, gen func(testing.TB, string)) (string, int64) {
	base := os.Getenv("CAIRN_BENCH_DATA")
	if base == "" {
		base = filepath.Join(os.TempDir(), "cairn-archiver-bench")
	}
	dir := filepath.Join(base, name)
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err != nil {
		must(tb, os.RemoveAll(dir))
		gen(tb, dir)
		must(tb, os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644))
	}
	var size int64
	must(tb, filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			size += fi.Size()
		}
		return err
	}))
	return dir, size
}

func genLarge(tb testing.TB, dir string) {
	for i := range 8 {
		writeStream(tb, filepath.Join(dir, "random", fmt.Sprintf("r%d", i)), 128<<20, func(j int) []byte { return randomBytes(uint64(i<<16|j), 1<<20) })
		writeStream(tb, filepath.Join(dir, "text", fmt.Sprintf("t%d.txt", i)), 128<<20, func(j int) []byte { return text(uint64(i<<16|j), 1<<20) })
	}
}

func genSmall(tb testing.TB, dir string) {
	for i := range 15000 {
		size := 1024 + (i*7919)%(15<<10)
		data := text(uint64(i), size)
		if i%2 == 1 {
			data = randomBytes(uint64(i), size)
		}
		write(tb, filepath.Join(dir, fmt.Sprintf("d%03d", i%150), fmt.Sprintf("f%05d", i)), data, 0o644)
	}
}

func writeStream(tb testing.TB, path string, size int, piece func(int) []byte) {
	must(tb, os.MkdirAll(filepath.Dir(path), 0o755))
	f, err := os.Create(path)
	must(tb, err)
	w := bufio.NewWriter(f)
	for j := 0; j*(1<<20) < size; j++ {
		_, err := w.Write(piece(j))
		must(tb, err)
	}
	must(tb, w.Flush())
	must(tb, f.Close())
}

func BenchmarkBackup(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.name, func(b *testing.B) {
			src, size := benchDir(b, set.name, set.gen)
			b.SetBytes(size)
			var total time.Duration
			for b.Loop() {
				b.StopTimer()
				_, r := localRepo(b)
				b.StartTimer()
				start := time.Now()
				if _, err := archiver.Backup(b.Context(), r, []string{src}, archiver.Options{}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
			}
			cairn := float64(size) / 1e6 / (total.Seconds() / float64(b.N))
			var ru syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MiB")
			if os.Getenv("CAIRN_BENCH_RESTIC") == "" {
				return
			}
			secs, rss := timeRestic(b, src)
			restic := float64(size) / 1e6 / secs
			b.ReportMetric(restic, "restic-MB/s")
			b.ReportMetric(float64(rss)/1024, "restic-maxrss-MiB")
			b.ReportMetric(cairn/restic, "ratio")
		})
	}
}

// timeRestic runs `restic backup src` into a new local repository and
// returns its duration and peak RSS (KiB).
func timeRestic(b *testing.B, src string) (float64, int64) {
	bin := resticBin(b)
	dir := filepath.Join(b.TempDir(), "restic")
	env := append(os.Environ(), "RESTIC_PASSWORD=pw", "RESTIC_CACHE_DIR="+b.TempDir())
	run := func(args ...string) *os.ProcessState {
		cmd := exec.Command(bin, append([]string{"-r", dir, "-q"}, args...)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("restic %v: %v\n%s", args, err, out)
		}
		return cmd.ProcessState
	}
	run("init")
	start := time.Now()
	ps := run("backup", src)
	secs := time.Since(start).Seconds()
	rss := ps.SysUsage().(*syscall.Rusage).Maxrss
	b.Logf("restic backup of %s: %.2f s, maxrss %s KiB", src, secs, strconv.FormatInt(rss, 10))
	return secs, rss
}
