package images

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/distribution/reference"
)

// TestContainerdImportsAndRunsTheImages loads every tarball into a
// throwaway containerd as the test bed's nodes will, with ctr, and runs
// each image with runc.
func TestContainerdImportsAndRunsTheImages(t *testing.T) {
	for _, tool := range []string{"containerd", "ctr", "runc", "containerd-shim-runc-v2"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s: %v", tool, err)
		}
	}
	if os.Geteuid() != 0 {
		t.Skip("containerd needs root")
	}
	imgs := built(t)
	c := startContainerd(t)
	for _, img := range imgs {
		if _, err := c.ctr("images", "import", img.Tarball); err != nil {
			t.Fatal(err)
		}
	}
	listed, err := c.ctr("images", "ls", "-q")
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range imgs {
		for _, ref := range img.Refs {
			if name := normalized(t, ref); !strings.Contains("\n"+listed, "\n"+name+"\n") {
				t.Errorf("ctr images ls does not list %s (%s):\n%s", name, ref, listed)
			}
		}
	}
	if t.Failed() {
		return
	}
	t.Run("busybox", func(t *testing.T) { runBusybox(t, c) })
	t.Run("cairn", func(t *testing.T) { runCairn(t, c) })
	t.Run("nginx", func(t *testing.T) { runNginx(t, c) })
	t.Run("pause", func(t *testing.T) { runPause(t, c) })
	t.Run("make image", func(t *testing.T) { runMakeImage(t, c) })
}

// normalized is ref as containerd's CRI names it: busybox:1.35 is
// docker.io/library/busybox:1.35.
func normalized(t *testing.T, ref string) string {
	named, err := reference.ParseDockerRef(ref)
	if err != nil {
		t.Fatalf("%s: %v", ref, err)
	}
	return named.String()
}

// run runs args in a new container of image, removed after, and returns
// what it printed. A runc refused to start for want of a privilege skips.
func (c *containerd) run(t *testing.T, image, what string, args ...string) string {
	t.Helper()
	out, err := c.ctr(append([]string{"run", "--rm", image, c.containerID(what)}, args...)...)
	if err != nil && strings.Contains(out, "oom_score_adj") {
		t.Skipf("runc cannot set oom_score_adj here (no CAP_SYS_RESOURCE?): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runBusybox runs a shell: ctr, unlike the CRI, does not normalize
// busybox:1.35, so it names the image by its full ref.
func runBusybox(t *testing.T, c *containerd) {
	if out := c.run(t, BusyboxRef, "echo", "sh", "-c", "echo hello from $0", "busybox"); out != "hello from busybox\n" {
		t.Errorf("busybox printed %q", out)
	}
}

func runCairn(t *testing.T, c *containerd) {
	if out := c.run(t, CairnRef, "user", "id", "-u"); strings.TrimSpace(out) != "65532" {
		t.Errorf("cairn runs as %q, want 65532 (nonroot)", out)
	}
	// restore-wait runs "cairn" looked up on PATH.
	if out := c.run(t, CairnRef, "version", "cairn", "version", "--client-only"); !strings.Contains(out, "Client:\n\tVersion: ") {
		t.Errorf("cairn version printed %q", out)
	}
}

// runNginx serves on the host's network, with a folder of the host as
// /var/log/nginx as the seed's example mounts a PVC there, and stops on
// nginx's stop signal.
func runNginx(t *testing.T, c *containerd) {
	logs, addr := t.TempDir(), freeAddr(t)
	id := c.containerID("nginx")
	cmd := c.ctrCmd(context.Background(), "run", "--rm", "--net-host", "--env", "NGINX_PORT="+addr,
		"--mount", "type=bind,src="+logs+",dst=/var/log/nginx,options=rbind:rw", NginxRef, id)
	exited := startCmd(t, cmd)
	if body := get(t, "http://"+addr+"/", 200); !strings.Contains(body, "Welcome to nginx!") {
		t.Errorf("the page is %q", body)
	}
	waitFor(t, filepath.Join(logs, "access.log"), "response:200")
	stopTask(t, c, id, "SIGQUIT", exited)
	waitFor(t, filepath.Join(logs, "error.log"), "[notice] stopped")
}

// runPause checks that pause waits, as PID 1 of its container, until
// SIGTERM, and then exits 0.
func runPause(t *testing.T, c *containerd) {
	id := c.containerID("pause")
	exited := startCmd(t, c.ctrCmd(context.Background(), "run", "--rm", PauseRef, id))
	deadline := time.Now().Add(20 * time.Second)
	for out, _ := c.ctr("tasks", "ls"); !strings.Contains(out, "RUNNING"); out, _ = c.ctr("tasks", "ls") {
		if time.Now().After(deadline) {
			t.Fatalf("pause does not run after 20s:\n%s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case err := <-exited:
		t.Fatalf("pause exited before any signal: %v", err)
	case <-time.After(time.Second): // its handlers are set up: PID 1 ignores signals it does not handle
	}
	stopTask(t, c, id, "SIGTERM", exited)
}

// startCmd starts cmd and returns what its Wait returns.
func startCmd(t *testing.T, cmd *exec.Cmd) <-chan error {
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		if err != nil {
			t.Logf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out.String())
		}
		exited <- err
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return exited
}

// stopTask sends sig to the task id and checks that its `ctr run` ends
// with status 0.
func stopTask(t *testing.T, c *containerd, id, sig string, exited <-chan error) {
	if _, err := c.ctr("tasks", "kill", "-s", sig, id); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("%s exited with %v on %s", id, err, sig)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("%s still runs 15s after %s", id, sig)
	}
}
