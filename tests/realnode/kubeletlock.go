package realnode

import (
	"os"
	"syscall"
	"time"
)

// Every kubelet on the host listens on the same device plugin socket,
// whatever its root dir: two kubelets that start at the same moment (test
// beds of packages run in parallel) race on it and one fails with "bind:
// address already in use". kubeletStartLock serializes the starts across
// processes until the new kubelet has bound the socket.
const (
	kubeletStartLock    = "/tmp/cairn-kubelet-start.lock"
	devicePluginSocket  = "/var/lib/kubelet/device-plugins/kubelet.sock"
	devicePluginTimeout = 20 * time.Second
)

// withKubeletStartLock runs start, which starts a kubelet, holding the
// host-wide lock until the kubelet's device plugin socket is newer than
// the start or devicePluginTimeout passes.
func withKubeletStartLock(start func() error) error {
	f, err := os.OpenFile(kubeletStartLock, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return err
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	begun := time.Now().Add(-time.Second) // file times are coarse
	if err := start(); err != nil {
		return err
	}
	for deadline := time.Now().Add(devicePluginTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if fi, err := os.Stat(devicePluginSocket); err == nil && fi.ModTime().After(begun) {
			return nil
		}
	}
	return nil // the kubelet's own log says why it did not bind
}
