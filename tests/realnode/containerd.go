package realnode

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cairn-backup/cairn/tests/images"
	"github.com/cairn-backup/cairn/tests/proc"
)

// containerdConfig is the node's containerd: its own root, state and
// sockets; the CRI plugin with the local pause image, runc on cgroupfs,
// and CNI from Debian's plugins with the node's own configuration. Root
// here cannot lower oom_score_adj, hence restrict_oom_score_adj.
const containerdConfig = `version = 2
root = %q
state = %q
[grpc]
  address = %q
[ttrpc]
  address = %q
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = %q
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = %q
`

// cniConfig gives the node's pods addresses of subnet on a bridge inside
// the node's namespace.
const cniConfig = `{"cniVersion": "0.4.0", "name": "cairn", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": %q}]], "dataDir": %q}},
  {"type": "loopback"}]}
`

// startContainerd writes the node's containerd and CNI configuration and
// runs containerd in the node's namespace until its socket answers.
func (n *Node) startContainerd(ctx context.Context) error {
	cni := filepath.Join(n.stateDir, "cni")
	if err := os.MkdirAll(cni, 0o755); err != nil {
		return err
	}
	conf := fmt.Sprintf(cniConfig, n.PodSubnet, filepath.Join(n.stateDir, "cni-ipam"))
	if err := os.WriteFile(filepath.Join(cni, "10-cairn.conflist"), []byte(conf), 0o644); err != nil {
		return err
	}
	cfg := fmt.Sprintf(containerdConfig, filepath.Join(n.stateDir, "containerd"), filepath.Join(n.runDir, "state"),
		n.Socket(), n.Socket()+".ttrpc", images.PauseRef, cni)
	cfgPath := filepath.Join(n.stateDir, "containerd.toml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return err
	}
	p, err := proc.Start(n.Name+"-containerd", "nsenter", []string{"--net=" + nsPath(n.netns), "containerd", "--config", cfgPath}, n.logDir, nil)
	if err != nil {
		return err
	}
	n.containerd = p
	return p.WaitFor(ctx, "containerd of "+n.Name, func(context.Context) error {
		c, err := net.DialTimeout("unix", n.Socket(), time.Second)
		if err == nil {
			c.Close()
		}
		return err
	})
}

// ctr runs containerd's client on the node's containerd, in the k8s.io
// namespace that the CRI plugin uses.
func (n *Node) ctr(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "ctr", append([]string{"--address", n.Socket(), "-n", "k8s.io"}, args...)...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("ctr %s on %s: %v: %s", strings.Join(args, " "), n.Name, err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// importImages loads the image tarballs into the node's containerd.
func (n *Node) importImages(ctx context.Context, imgs []images.Image) error {
	for _, img := range imgs {
		if _, err := n.ctr(ctx, "images", "import", img.Tarball); err != nil {
			return err
		}
	}
	return nil
}
