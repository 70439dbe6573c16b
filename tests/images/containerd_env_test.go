package images

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// containerd is a throwaway containerd of one test, with its root, state,
// and sockets in the test's temporary folder and the CRI plugin off. (Some
// paths are the host's whatever the config says: runc's state and the
// shims' sockets under /run/containerd.)
type containerd struct {
	dir, sock string
	cmd       *exec.Cmd
	ids       []string // the containers the test made
}

// startContainerd starts one and stops it, and undoes what it made, when
// the test ends.
func startContainerd(t *testing.T) *containerd {
	dir := t.TempDir()
	c := &containerd{dir: dir, sock: filepath.Join(dir, "containerd.sock")}
	config := filepath.Join(dir, "config.toml")
	writeFile(t, config, []byte(c.config()))
	log, err := os.Create(filepath.Join(dir, "containerd.log"))
	if err != nil {
		t.Fatal(err)
	}
	c.cmd = exec.Command("containerd", "--config", config)
	c.cmd.Stdout, c.cmd.Stderr = log, log
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.stop(t); log.Close() })
	c.waitReady(t)
	return c
}

// config is containerd's configuration: everything in c.dir.
func (c *containerd) config() string {
	return fmt.Sprintf(`version = 2
root = %[1]q
state = %[2]q
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = %[3]q
[ttrpc]
  address = %[4]q
[plugins."io.containerd.internal.v1.opt"]
  path = %[5]q
`, filepath.Join(c.dir, "root"), filepath.Join(c.dir, "state"), c.sock, c.sock+".ttrpc", filepath.Join(c.dir, "opt"))
}

// waitReady waits for containerd to answer ctr.
func (c *containerd) waitReady(t *testing.T) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := c.ctr("version")
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(c.dir, "containerd.log"))
			t.Fatalf("containerd does not answer after 30s: %v\n%s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ctr runs ctr on c's socket in the k8s.io namespace.
func (c *containerd) ctr(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := c.ctrCmd(ctx, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("ctr %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// ctrCmd is the command ctr args on c's socket in the k8s.io namespace.
func (c *containerd) ctrCmd(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ctr", append([]string{"--address", c.sock, "-n", "k8s.io"}, args...)...)
}

// containerID names a container of the test, unique on the host: runc's
// state of the k8s.io namespace is shared with every other containerd.
func (c *containerd) containerID(what string) string {
	id := fmt.Sprintf("cairn-images-test-%d-%s", os.Getpid(), what)
	c.ids = append(c.ids, id)
	return id
}

// stop removes the test's containers, stops containerd and unmounts what
// is left mounted in its folder.
func (c *containerd) stop(t *testing.T) {
	for _, id := range c.ids {
		_, _ = c.ctr("tasks", "kill", "-s", "SIGKILL", id)
		_, _ = c.ctr("tasks", "delete", "-f", id)
		_, _ = c.ctr("containers", "delete", id)
	}
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGTERM)
	exited := make(chan struct{})
	go func() { _ = c.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
	for _, m := range mountsUnder(t, c.dir) {
		if err := syscall.Unmount(m, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmounting %s: %v", m, err)
		}
	}
}

// mountsUnder lists the mount points under dir, the deepest first.
func mountsUnder(t *testing.T, dir string) []string {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		t.Errorf("listing mounts: %v", err)
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		if p := unescapeMount(fields[4]); strings.HasPrefix(p, dir+"/") {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+3 < len(p) {
			if n, err := strconv.ParseUint(p[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
