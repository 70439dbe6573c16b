package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cairn-backup/cairn/activities/podvolume"
)

// helperEnv, when set to "<dir>:<restore>", makes the test binary run
// `cairn restore-helper --dir <dir> <restore>` instead of the tests.
const helperEnv = "CAIRN_TEST_RESTORE_HELPER"

// nonRoot is the user of the distroless image the init container runs.
const nonRoot = 65532

func runHelperChild(v string) int {
	dir, restore, _ := strings.Cut(v, ":")
	cmd := newRestoreHelperCommand()
	cmd.SetArgs([]string{"--dir", dir, restore})
	if err := cmd.Execute(); err != nil {
		return 1
	}
	return 0
}

// TestRestoreHelper runs the restore-wait helper as the init container
// does: in its own process, as the image's non-root user when the test
// runs as root, over volumes whose done-markers the node agent (root)
// writes while the helper waits. It must wait, then succeed even though
// it cannot remove markers another user wrote.
func TestRestoreHelper(t *testing.T) {
	base, err := os.MkdirTemp("", "cairn-helper-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	root := filepath.Join(base, "restores")
	vols := []string{filepath.Join(root, "data"), filepath.Join(root, "logs")}
	for _, d := range vols {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(vols[0], 0o777); err != nil { // as an emptyDir
		t.Fatal(err)
	}
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	// A copy of the test binary the other user can run.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "cairn.test")
	copyFile(t, exe, bin)

	asRoot := os.Getuid() == 0
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), helperEnv+"="+root+":r1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if asRoot {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nonRoot, Gid: nonRoot}}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Fatalf("the helper ended before any marker was written: %v\n%s", err, out.String())
	case <-time.After(1500 * time.Millisecond):
	}
	for _, d := range vols {
		if err := podvolume.WriteMarker(d, "r1"); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("helper: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the helper did not see the markers:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "restore r1: every volume is restored") {
		t.Errorf("output:\n%s", out.String())
	}
	if asRoot && !strings.Contains(out.String(), "warning: the done-markers stay in the volumes") {
		t.Errorf("a user who cannot remove the markers got no warning:\n%s", out.String())
	}
	if !asRoot {
		for _, d := range vols {
			if _, err := os.Stat(filepath.Join(d, podvolume.MarkerDir)); !os.IsNotExist(err) {
				t.Errorf("marker folder left in %s", d)
			}
		}
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	o, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(o, in); err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
}
