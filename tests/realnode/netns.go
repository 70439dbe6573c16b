package realnode

import (
	"fmt"
	"os/exec"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// nsPath is where `ip netns` keeps namespace name.
func nsPath(name string) string { return "/run/netns/" + name }

// ip runs ip(8) with args.
func ip(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// addNetns creates the network namespace name with its loopback up.
func addNetns(name string) error {
	if err := ip("netns", "add", name); err != nil {
		return err
	}
	return ip("-n", name, "link", "set", "lo", "up")
}

// delNetns removes the network namespace name, if it exists.
func delNetns(name string) {
	_ = exec.Command("ip", "netns", "del", name).Run()
}

// inNetns runs fn on an OS thread switched into the network namespace at
// path; sockets fn opens stay in that namespace. The thread is discarded
// if it cannot switch back.
func inNetns(path string, fn func() error) error {
	runtime.LockOSThread()
	self, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer unix.Close(self)
	target, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer unix.Close(target)
	if err := unix.Setns(target, unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("entering %s: %w", path, err)
	}
	ferr := fn()
	if err := unix.Setns(self, unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("leaving %s: %w", path, err) // the thread stays locked and dies with its goroutine
	}
	runtime.UnlockOSThread()
	return ferr
}
