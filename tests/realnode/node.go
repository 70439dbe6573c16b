package realnode

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cairn-backup/cairn/tests/proc"
)

// Node is one real node: its namespace, containerd and kubelet.
type Node struct {
	Name string
	// IP is the node's address, inside its namespace.
	IP string
	// PodSubnet holds the node's pods' addresses.
	PodSubnet string
	// RootDir is the kubelet's root dir; its pods folder is RootDir/pods.
	RootDir string

	netns, hubLink      string
	stateDir, runDir    string
	logDir              string
	containerd, kubelet *proc.Process
	forwards            []net.Listener
	stopped             bool
}

// Socket is the node's containerd socket.
func (n *Node) Socket() string { return filepath.Join(n.runDir, "containerd.sock") }

// NetnsPath is the node's network namespace.
func (n *Node) NetnsPath() string { return nsPath(n.netns) }

// alive reports an error if the node's containerd or kubelet has exited.
func (n *Node) alive() error {
	if n.stopped {
		return nil
	}
	for _, p := range []*proc.Process{n.containerd, n.kubelet} {
		if p == nil {
			continue
		}
		if err := p.Alive(); err != nil {
			return err
		}
	}
	return nil
}

// stop tears the node down: its pods' sandboxes (so their networks and
// mounts go), the kubelet, containerd and its shims, every mount under its
// folders, and its namespace.
func (n *Node) stop() {
	n.stopped = true
	if n.kubelet != nil {
		n.kubelet.Stop(10 * time.Second)
	}
	if n.containerd != nil && n.containerd.Alive() == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = n.removeSandboxes(ctx)
		cancel()
		n.containerd.Stop(10 * time.Second)
	}
	killShims(n.Socket())
	for _, l := range n.forwards {
		_ = l.Close()
	}
	for _, d := range []string{n.RootDir, n.stateDir, n.runDir} {
		unmountAll(d)
	}
	_ = os.RemoveAll(n.runDir)
	delNetns(n.netns)
}

// killShims kills the containerd shims that serve the containerd at sock
// (they outlive containerd), and the containers under them.
func killShims(sock string) {
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		cmdline, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(cmdline), "containerd-shim") {
			continue
		}
		if !strings.Contains(string(cmdline), "\x00"+sock+"\x00") {
			continue
		}
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}
