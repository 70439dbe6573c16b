package images

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNginxStandInLogsRequests runs the nginx image's entrypoint outside a
// container, on busybox alone, and checks that it serves the page and
// writes the request log where nginx writes its own.
func TestNginxStandInLogsRequests(t *testing.T) {
	busybox := "/bin/busybox"
	if _, err := os.Stat(busybox); err != nil {
		t.Skipf("no busybox: %v", err)
	}
	tmp := t.TempDir()
	bin, html, logs := filepath.Join(tmp, "bin"), filepath.Join(tmp, "html"), filepath.Join(tmp, "logs")
	linkApplets(t, busybox, bin)
	writeFile(t, filepath.Join(html, "index.html"), indexHTML)
	script := filepath.Join(tmp, "docker-entrypoint.sh")
	writeFile(t, script, entrypoint)
	addr := freeAddr(t)
	cmd := exec.Command(filepath.Join(bin, "sh"), script)
	cmd.Env = []string{"PATH=" + bin, "TMPDIR=" + tmp, "NGINX_PORT=" + addr, "NGINX_ROOT=" + html, "NGINX_LOG_DIR=" + logs}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }()
	if body := get(t, "http://"+addr+"/", 200); !strings.Contains(body, "Welcome to nginx!") {
		t.Errorf("the page is %q", body)
	}
	get(t, "http://"+addr+"/missing", 404)
	access := waitFor(t, filepath.Join(logs, "access.log"), "response:404")
	for _, want := range []string{"url:/\n", "response:200\n", "url:/missing\n", "response:404\n"} {
		if !strings.Contains(access, want) {
			t.Errorf("access.log has no %q:\n%s", want, access)
		}
	}
	t.Logf("access.log:\n%s", access)
	stopNginx(t, cmd, logs)
}

// stopNginx stops the stand-in with SIGQUIT, nginx's stop signal, and
// checks that it exits 0, saying so in error.log, without leaving httpd.
func stopNginx(t *testing.T, cmd *exec.Cmd, logs string) {
	_ = cmd.Process.Signal(syscall.SIGQUIT)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the entrypoint exited with %v on SIGQUIT", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the entrypoint still runs 10s after SIGQUIT")
	}
	errorLog, _ := os.ReadFile(filepath.Join(logs, "error.log"))
	if !strings.Contains(string(errorLog), "[notice] busybox httpd") || !strings.Contains(string(errorLog), "[notice] stopped") {
		t.Errorf("error.log does not tell the start and the stop:\n%s", errorLog)
	}
	if err := syscall.Kill(-cmd.Process.Pid, 0); err == nil {
		t.Errorf("something of the entrypoint's process group still runs")
	}
}

// linkApplets makes dir a /bin of busybox applets.
func linkApplets(t *testing.T, busybox, dir string) {
	out, err := exec.Command(busybox, "--list").Output()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, a := range strings.Fields(string(out)) {
		if err := os.Symlink(busybox, filepath.Join(dir, a)); err != nil {
			t.Fatal(err)
		}
	}
}

// writeFile writes data to p, executable, creating its folder.
func writeFile(t *testing.T, p string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

// freeAddr is a free 127.0.0.1 address.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// get fetches url, retrying while nothing listens, and checks the status.
func get(t *testing.T, url string, status int) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != status {
				t.Errorf("GET %s: %s (%v), want %d", url, resp.Status, err, status)
			}
			return string(body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor waits for the file p to hold sub and returns its content.
func waitFor(t *testing.T, p, sub string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(p)
		if strings.Contains(string(data), sub) {
			return string(data)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not hold %q after 10s:\n%s", p, sub, data)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
