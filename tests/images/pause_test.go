package images

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestPauseExitsZeroOnTermAndInt(t *testing.T) {
	pause := extract(t, PauseRef, "pause")
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(pause)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			t.Fatalf("pause exited before any signal: %v", err)
		case <-time.After(300 * time.Millisecond): // it waits, with its handlers set up
		}
		_ = cmd.Process.Signal(sig)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("on %v: %v", sig, err)
			}
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("pause still runs 5s after %v", sig)
		}
	}
}

func TestPauseReapsItsChildren(t *testing.T) {
	pause := extract(t, PauseRef, "pause")
	// The shell starts a child, then becomes pause: the child is pause's
	// when it exits, and stays a zombie unless pause waits for it.
	cmd := exec.Command("/bin/sh", "-c", `sleep 0.5 & echo $!; exec "$0"`, pause)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	child, _ := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || child == 0 {
		t.Fatalf("the shell printed %q: %v", line, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for state := procState(child); state != ""; state = procState(child) {
		if time.Now().After(deadline) {
			t.Fatalf("pause's child %d is still there, in state %s, 4.5s after it exited", child, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// procState is the state letter of process pid (Z for a zombie), "" when
// there is no such process.
func procState(pid int) string {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if errors.Is(err, os.ErrNotExist) {
		return ""
	}
	// pid (comm) state ...: comm may hold spaces, so start after its ')'.
	if i := strings.LastIndexByte(string(stat), ')'); i > 0 && len(stat) > i+2 {
		return string(stat[i+2])
	}
	return "?"
}
