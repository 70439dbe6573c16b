// Package benchrun runs the commands the repository benchmarks compare and
// measures them: the wall time, CPU and peak RSS of a child process, runs of
// several tools alternated with the fastest counting, and folder sizes.
package benchrun

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Password is the benchmarks' repository password.
const Password = "cairn-bench-password"

// Tool is a program and the shape of its repository commands.
type Tool struct {
	Name string
	Bin  string
	// Args builds the arguments of command sub on repository repo.
	Args func(sub, repo string, rest ...string) []string
}

// Cairn runs `bin repo SUB -r REPO ...`.
func Cairn(bin string) Tool {
	return Tool{Name: "cairn", Bin: bin, Args: func(sub, repo string, rest ...string) []string {
		return append([]string{"repo", sub, "-r", repo}, rest...)
	}}
}

// Restic runs `bin -r REPO SUB --quiet ...`.
func Restic(bin string) Tool {
	return Tool{Name: "restic", Bin: bin, Args: func(sub, repo string, rest ...string) []string {
		return append([]string{"-r", repo, sub, "--quiet"}, rest...)
	}}
}

// Measurement is one timed command.
type Measurement struct {
	Seconds float64
	PeakRSS int64 // bytes
	// User and Sys are the CPU the command used, which the noisy machine
	// sways less than the wall time; printed per run, not compared.
	User, Sys time.Duration
	Output    []byte // what the command printed, stdout and stderr

	// Set by the caller:
	Bytes    int64  // bytes of source data processed
	RepoSize int64  // bytes, after the command
	Note     string // printed after the run's line
}

// Run runs the tool's command sub on repo, with the password in the
// environment and restic's cache in cacheDir, and measures it. The error
// holds the command's output.
func (t Tool) Run(cacheDir, sub, repo string, rest ...string) (Measurement, error) {
	args := t.Args(sub, repo, rest...)
	cmd := exec.Command(t.Bin, args...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+Password, "CAIRN_REPO_PASSWORD="+Password,
		"RESTIC_CACHE_DIR="+cacheDir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Measurement{}, err
	}
	done := make(chan struct{})
	peak := make(chan int64)
	go func() { peak <- peakRSS(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	m := Measurement{Seconds: time.Since(start).Seconds()}
	if ps := cmd.ProcessState; ps != nil {
		m.User, m.Sys = ps.UserTime(), ps.SystemTime()
	}
	close(done)
	m.PeakRSS = <-peak
	m.Output = out.Bytes()
	if err != nil {
		return m, fmt.Errorf("%s %v: %v\n%s", t.Name, args, err, out.String())
	}
	return m, nil
}

// peakRSS samples process pid's resident high-water mark (VmHWM, which exec
// resets, unlike getrusage's ru_maxrss, which keeps the forking process's
// size) every 10 ms until done is closed, and returns it in bytes.
func peakRSS(pid int, done <-chan struct{}) int64 {
	var peak int64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				var kb int64
				if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil && kb*1024 > peak {
					peak = kb * 1024
				}
			}
		}
		select {
		case <-done:
			return peak
		case <-tick.C:
		}
	}
}

// Fastest runs each of the named tools `runs` times and returns the fastest
// measurement of each, in the order of names, or the first error. Run i of
// round r runs tool i; prepare, if not nil, sets it up first, untimed.
//
// The tools take turns in the order A B B A A B ..., each run after a sync:
// neither tool always meets the page cache the other left, and a run slowed
// by the machine does not decide the ratio (this VM's memory and disk vary
// by tens of percent from one run to the next, and memory the guest has not
// touched for a while is slow to write: the first restore of a case often
// takes 1.5x its later runs, for either tool). Each run is printed to stderr.
func Fastest(names []string, runs int, prepare func(i int) error, run func(i int) (Measurement, error)) ([]Measurement, error) {
	var order []int
	for r := range runs {
		for k := range names {
			if r%2 == 0 {
				order = append(order, k)
			} else {
				order = append(order, len(names)-1-k)
			}
		}
	}
	best := make([]Measurement, len(names))
	for _, i := range order {
		if prepare != nil {
			if err := prepare(i); err != nil {
				return best, err
			}
		}
		syscall.Sync()
		m, err := run(i)
		if err != nil {
			return best, err
		}
		line := fmt.Sprintf("    %-6s %6.2f s  %4d MiB peak RSS  (CPU: user %.2f s, sys %.2f s)", names[i], m.Seconds, m.PeakRSS>>20, m.User.Seconds(), m.Sys.Seconds())
		if m.Note != "" {
			line += "  " + m.Note
		}
		fmt.Fprintln(os.Stderr, line)
		if best[i].Seconds == 0 || m.Seconds < best[i].Seconds {
			best[i] = m
		}
	}
	return best, nil
}

// TreeSize is the sum of the sizes of the regular files under dir, but for
// the .complete markers of the benchmarks' caches.
func TreeSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && d.Name() != ".complete" {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
