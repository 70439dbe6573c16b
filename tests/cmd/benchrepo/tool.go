package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

const benchPassword = "cairn-bench-password"

// tool runs one program's backup and restore commands.
type tool struct {
	name  string
	bin   string
	work  string
	args  func(sub string, repo string, rest ...string) []string
	repos map[string]string
}

func newCairn(bin, work string) *tool {
	return &tool{name: "cairn", bin: bin, work: work, repos: map[string]string{},
		args: func(sub, repo string, rest ...string) []string {
			return append([]string{"repo", sub, "-r", repo}, rest...)
		}}
}

func newRestic(bin, work string) *tool {
	return &tool{name: "restic", bin: bin, work: work, repos: map[string]string{},
		args: func(sub, repo string, rest ...string) []string {
			return append([]string{"-r", repo, sub, "--quiet"}, rest...)
		}}
}

// measurement is one timed command.
type measurement struct {
	seconds  float64
	bytes    int64 // bytes of source data processed
	peakRSS  int64 // bytes
	repoSize int64 // bytes, after the command
	// user and sys are the CPU the command used, which the noisy machine
	// sways less than the wall time; printed per run, not compared.
	user, sys time.Duration
}

func (t *tool) exec(args []string) (measurement, error) {
	cmd := exec.Command(t.bin, args...)
	cmd.Env = append(os.Environ(), "RESTIC_PASSWORD="+benchPassword, "CAIRN_REPO_PASSWORD="+benchPassword,
		"RESTIC_CACHE_DIR="+filepath.Join(t.work, "restic-cache"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return measurement{}, err
	}
	done := make(chan struct{})
	peak := make(chan int64)
	go func() { peak <- peakRSS(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	m := measurement{seconds: time.Since(start).Seconds()}
	if ps := cmd.ProcessState; ps != nil {
		m.user, m.sys = ps.UserTime(), ps.SystemTime()
	}
	close(done)
	m.peakRSS = <-peak
	if err != nil {
		return m, fmt.Errorf("%s %v: %v\n%s", t.name, args, err, out.String())
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

// backup backs src up into the tool's repository named key, creating a new
// repository when fresh.
func (t *tool) backup(key, src string, fresh bool) (measurement, error) {
	repoDir, ok := t.repos[key]
	if fresh || !ok {
		repoDir = filepath.Join(t.work, t.name+"-"+key)
		_ = os.RemoveAll(repoDir)
		if _, err := t.exec(t.args("init", repoDir)); err != nil {
			return measurement{}, err
		}
		t.repos[key] = repoDir
	}
	m, err := t.exec(t.args("backup", repoDir, src))
	if err != nil {
		return m, err
	}
	m.bytes = treeSize(src)
	m.repoSize = treeSize(repoDir)
	return m, nil
}

// restore restores the latest snapshot of repository key and checks the size.
func (t *tool) restore(key, src string) (measurement, error) {
	repoDir, ok := t.repos[key]
	if !ok {
		if _, err := t.backup(key, src, true); err != nil {
			return measurement{}, err
		}
		repoDir = t.repos[key]
	}
	target := filepath.Join(t.work, t.name+"-restore-"+key)
	_ = os.RemoveAll(target)
	defer os.RemoveAll(target)
	m, err := t.exec(t.args("restore", repoDir, "latest", "--target", target))
	if err != nil {
		return m, err
	}
	m.bytes = treeSize(src)
	if got := treeSize(filepath.Join(target, src)); got != m.bytes {
		return m, fmt.Errorf("%s restored %d bytes of %s, want %d", t.name, got, src, m.bytes)
	}
	m.repoSize = treeSize(repoDir)
	return m, nil
}

func treeSize(dir string) int64 {
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
