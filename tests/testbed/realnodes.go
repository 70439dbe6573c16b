package testbed

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/cairn-backup/cairn/tests/images"
	"github.com/cairn-backup/cairn/tests/realnode"
)

// RealNodesEnv set to 1 makes the test beds of ForTest run real nodes.
const RealNodesEnv = "CAIRN_TESTBED_REAL_NODES"

// buildImages builds the real nodes' images, cached in the tools folder.
func buildImages(ctx context.Context) ([]images.Image, error) {
	tools, err := ToolsDir()
	if err != nil {
		return nil, err
	}
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	return images.Build(ctx, images.Options{Dir: filepath.Join(filepath.Dir(tools), "images"), Root: root})
}

// prepareRealNodes readies the real nodes' proxy and certificates before
// the apiserver starts, and returns its flags for them.
func (b *Bed) prepareRealNodes(certs *pki) ([]string, error) {
	kubelet, err := Tool("kubelet")
	if err != nil {
		return nil, err
	}
	b.Real, err = realnode.New(realnode.Config{Dir: b.Dir, NodesDir: b.NodesDir, CACert: certs.CACert, CAKey: certs.CAKey, Kubelet: kubelet})
	if err != nil {
		return nil, err
	}
	return b.Real.APIServerFlags(), nil
}

// startRealNodes shares NodesDir's mounts with the containers that mount
// it (the node agents), then starts the nodes with the apiserver's,
// Temporal's and S3's ports on their loopback.
func (b *Bed) startRealNodes(ctx context.Context, imgs []images.Image) error {
	if err := shareMounts(b.NodesDir); err != nil {
		return err
	}
	var ports []int
	for _, addr := range []string{b.RESTConfig.Host, "tcp://" + b.Temporal.HostPort(), b.S3.URL} {
		p, err := portOf(addr)
		if err != nil {
			return err
		}
		ports = append(ports, p)
	}
	b.Real.SetAPIServerPort(ports[0])
	return b.Real.Start(ctx, b.Kube, b.Nodes, imgs, ports[1:])
}

// portOf is the port of the URL u.
func portOf(u string) (int, error) {
	parsed, err := url.Parse(u)
	if err != nil {
		return 0, err
	}
	_, port, err := net.SplitHostPort(parsed.Host)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", u, err)
	}
	return strconv.Atoi(port)
}

// shareMounts makes dir a mount point of its own with shared propagation,
// so that the volumes the kubelets mount below it reach the containers
// that mount dir with HostToContainer propagation.
func shareMounts(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(dir, dir, "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind-mounting %s: %w", dir, err)
	}
	if err := unix.Mount("", dir, "", unix.MS_SHARED|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("sharing the mounts of %s: %w", dir, err)
	}
	return nil
}

// stopRealNodes tears the real nodes down and unmounts NodesDir.
func (b *Bed) stopRealNodes() {
	if b.Real == nil {
		return
	}
	b.Real.Stop()
	_ = unix.Unmount(b.NodesDir, unix.MNT_DETACH)
}
