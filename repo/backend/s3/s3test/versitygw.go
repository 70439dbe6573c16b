package s3test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/repo/backend/backendtest"
)

// Region is the region the server is started with. It is not us-east-1, so
// that a client that ignores its region fails to sign requests.
const Region = "eu-west-3"

// startTimeout bounds how long the server may take to accept connections.
const startTimeout = 30 * time.Second

// Start runs versitygw on a free 127.0.0.1 port, serving a fresh temporary
// folder with one root account, and stops it when the test ends. It returns
// the endpoint URL (http), the account's keys and the server's region. It
// fails the test, saying how to install it, if versitygw is missing; the
// binary is found as backendtest.Tool finds it ($CAIRN_TOOLS_BIN, else
// .tools/bin beside go.mod).
func Start(t testing.TB) (endpoint, accessKey, secretKey, region string) {
	t.Helper()
	bin := backendtest.Tool(t, "versitygw")
	accessKey = "cairntest" + randomHex(t, 6)
	secretKey = randomHex(t, 20)
	root := t.TempDir()
	var lastErr error
	for range 3 { // another process may take the port between probe and start
		addr, err := freeAddr()
		if err != nil {
			t.Fatalf("finding a free port for versitygw: %v", err)
		}
		srv := &server{
			cmd: exec.Command(bin,
				"--port", addr,
				"--access", accessKey,
				"--secret", secretKey,
				"--region", Region,
				"--quiet",
				"posix", root),
			exited: make(chan struct{}),
		}
		srv.cmd.Env = cleanEnv()
		srv.cmd.Stdout = &srv.out
		srv.cmd.Stderr = &srv.out
		if err := srv.cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", bin, err)
		}
		go func() {
			srv.waitErr = srv.cmd.Wait()
			close(srv.exited)
		}()
		if lastErr = srv.awaitListening(addr); lastErr == nil {
			t.Cleanup(func() { srv.stop(t) })
			return "http://" + addr, accessKey, secretKey, Region
		}
		srv.stop(t)
	}
	t.Fatalf("versitygw did not start: %v", lastErr)
	return "", "", "", ""
}

// server is one running versitygw process.
type server struct {
	cmd     *exec.Cmd
	out     syncBuffer
	exited  chan struct{}
	waitErr error
}

// awaitListening polls addr until it accepts a connection, the process
// exits, or startTimeout passes.
func (s *server) awaitListening(addr string) error {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("it exited (%v) with output:\n%s", s.waitErr, s.out.String())
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = conn.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("nothing listening on %s after %v; output:\n%s", addr, startTimeout, s.out.String())
}

// stop interrupts the process, kills it if it lingers, and logs its output
// if the test failed.
func (s *server) stop(t testing.TB) {
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(5 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	if t.Failed() {
		t.Logf("versitygw output:\n%s", s.out.String())
	}
}

// freeAddr returns a 127.0.0.1 address whose port was free a moment ago.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return addr, l.Close()
}

// cleanEnv is the test's environment without the variables versitygw reads
// its settings from, so that a developer's shell cannot change the server.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "VGW_") || strings.HasPrefix(name, "ROOT_") ||
			name == "LOGFILE" || name == "WEBHOOK" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func randomHex(t testing.TB, n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(buf)
}

// syncBuffer collects a process's output from its copying goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
