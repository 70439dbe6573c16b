package hooks

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/tests/proc"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// dumpBytes is the size of the test's database dump.
const dumpBytes = 500 << 20

// TestDumpAndLoad backs up a database-like dump (a process in a busybox
// container printing 500 MiB) streamed into the namespace repository with
// `cairn server` running as a process of its own, whose own (anonymous)
// memory stays flat; the real `restic dump` gives back identical bytes, and at
// restore the load command receives them identically on its stdin.
func TestDumpAndLoad(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := newStack(t, ctx, "cairn-dumps", false)
	server := startServer(t)
	const ns = "hooks-dump"
	s.createNamespace(t, ctx, ns)
	db := pod(ns, "db", map[string]string{
		"backup.cairn.dev/dump-command":  `["cat", "/tmp/db.bin"]`,
		"backup.cairn.dev/dump-filename": "db.bin",
		"restore.cairn.dev/load-command": `["sh", "-c", "sha256sum > /tmp/loaded.sum; echo loaded"]`,
	})
	delete(db.Annotations, "backup.velero.io/backup-volumes")
	s.createPod(t, ctx, db)
	want := strings.Fields(s.execIn(t, ctx, ns, "db", fmt.Sprintf("head -c %d /dev/urandom > /tmp/db.bin && sha256sum /tmp/db.bin", dumpBytes)))[0]
	idle := peakRSS(t, server.Pid())
	idleAnon, _ := rssOf(server.Pid())
	sampling := sampleRSS(server.Pid())

	start := time.Now()
	cairn(t, ctx, 0, "backup", "create", "dumped", "--include-namespaces", ns, "--wait")
	took := time.Since(start)
	b, err := s.client(t).DescribeBackup(ctx, "dumped")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Dumps) != 1 || b.Dumps[0].Phase != metadata.VolumeCompleted || b.Dumps[0].Bytes != dumpBytes {
		t.Fatalf("dumps %+v", b.Dumps)
	}
	afterBackup := peakRSS(t, server.Pid())
	if got := s.resticDumpSum(t, ctx, ns, b.Dumps[0].SnapshotID, "/db.bin"); got != want {
		t.Errorf("restic dump gives sha256 %s, the container printed %s", got, want)
	}

	if err := s.bed.DeleteNamespace(ctx, ns); err != nil {
		t.Fatal(err)
	}
	cairn(t, ctx, 0, "restore", "create", "dumped-restore", "--from-backup", "dumped", "--wait")
	r, err := s.client(t).DescribeRestore(ctx, "dumped-restore")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Loads) != 1 || r.Loads[0].Phase != metadata.VolumeCompleted || r.Loads[0].Bytes != dumpBytes {
		t.Fatalf("loads %+v", r.Loads)
	}
	if got := strings.Fields(s.execIn(t, ctx, ns, "db", "cat /tmp/loaded.sum"))[0]; got != want {
		t.Errorf("the load command received sha256 %s, want %s", got, want)
	}
	afterRestore := peakRSS(t, server.Pid())
	anon, file := sampling()
	t.Logf("500 MiB dump: backup %v (%.0f MiB/s), load %v; cairn server peak RSS %d MiB idle, %d MiB after the backup, "+
		"%d MiB after the restore (peak anonymous %d MiB, mapped files %d MiB)",
		took.Round(time.Millisecond), float64(dumpBytes)/(1<<20)/took.Seconds(), r.Loads[0].Duration.Round(time.Millisecond),
		idle>>20, afterBackup>>20, afterRestore>>20, anon>>20, file>>20)
	// Flat: the server's own (anonymous) memory stays a fraction of the
	// dump (80 to 90 MiB measured: a pack and two chunk buffers in use,
	// twice that for the Go heap's growth); the mapped pages of its
	// binary's code come on top. A dump held in memory would pass 500 MiB.
	if anon >= 128<<20 {
		t.Errorf("the server's anonymous memory peaked at %d MiB (%d MiB idle) for a %d MiB dump, want under 128 MiB",
			anon>>20, idleAnon>>20, dumpBytes>>20)
	}
}

// startServer runs `cairn server` as a process of its own on the stack's
// Temporal, cluster and namespace (from the environment InstallCairn set)
// until the test ends.
func startServer(t *testing.T) *proc.Process {
	t.Helper()
	p, err := proc.Start("cairn-server", cairnBinary(t), []string{"server", "--metrics-address", ""}, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Stop(40 * time.Second)
		if t.Failed() {
			t.Logf("cairn server log:\n%s", proc.Tail(p.LogPath, 400))
		}
	})
	return p
}

// cairnBinary builds `cairn` as its image ships it (stripped, without
// `cairn dev`) and returns its path; the build cache makes a second build
// cost a moment.
func cairnBinary(t *testing.T) string {
	t.Helper()
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "cairn")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-tags", "nodev", "-o", bin, "./starter/cmd/cairn")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// peakRSS is the peak resident set size of process pid (VmHWM), in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// resticDumpSum is the SHA-256 of what the real `restic dump` gives for
// file p of snapshot id, read as a stream.
func (s *stack) resticDumpSum(t *testing.T, ctx context.Context, ns, id, p string) string {
	t.Helper()
	cmd := s.resticCmd(t, ctx, ns, "dump", id, p)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut strings.Builder
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	n, err := io.Copy(h, out)
	if werr := cmd.Wait(); err != nil || werr != nil {
		t.Fatalf("restic dump: %v, %v\n%s", err, werr, errOut.String())
	}
	if n != dumpBytes {
		t.Errorf("restic dump gave %d bytes, want %d", n, dumpBytes)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sampleRSS samples process pid's anonymous and file-backed resident
// memory until the returned function is called, which returns the
// largest of each, in bytes.
func sampleRSS(pid int) (stop func() (anon, file int64)) {
	done, finished := make(chan struct{}), make(chan struct{})
	var maxAnon, maxFile int64
	go func() {
		defer close(finished)
		for {
			a, f := rssOf(pid)
			maxAnon, maxFile = max(maxAnon, a), max(maxFile, f)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() (int64, int64) {
		close(done)
		<-finished
		return maxAnon, maxFile
	}
}

// rssOf reads RssAnon and RssFile of pid, in bytes.
func rssOf(pid int) (anon, file int64) {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "RssAnon:":
			anon = v << 10
		case "RssFile:":
			file = v << 10
		}
	}
	return anon, file
}
