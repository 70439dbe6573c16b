package realnode

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/cairn-backup/cairn/tests/proc"
)

// kubeletConfig is the node's KubeletConfiguration: containerd as its
// runtime on cgroupfs without QoS cgroups (several kubelets share the
// host's cgroups), x509 and webhook authentication and webhook
// authorization as in a cluster, image GC off (no registry to pull from
// again) and evictions only on a nearly full disk.
const kubeletConfig = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: %s
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
containerRuntimeEndpoint: unix://%s
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
podLogsDir: %s
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 1Mi
  nodefs.available: 1%%
  imagefs.available: 1%%
  nodefs.inodesFree: 1%%
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: %s}
authorization:
  mode: Webhook
serializeImagePulls: false
syncFrequency: 10s
fileCheckFrequency: 10s
`

// kubeconfig is the node's credentials for the apiserver, which it reaches
// through the forwarded port on its own loopback.
const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: bed
  cluster: {server: "https://127.0.0.1:%d", certificate-authority: %q}
users:
- name: node
  user: {client-certificate: %q, client-key: %q}
contexts:
- name: bed
  context: {cluster: bed, user: node}
current-context: bed
`

// startKubelet writes the node's credentials and configuration and runs
// its kubelet in the node's namespace, with its root dir at RootDir.
func (n *Node) startKubelet(c *Cluster) error {
	cert, key := filepath.Join(n.stateDir, "node.crt"), filepath.Join(n.stateDir, "node.key")
	if err := c.ca.clientCert("system:node:"+n.Name, []string{"system:nodes"}, cert, key); err != nil {
		return err
	}
	kc := filepath.Join(n.stateDir, "kubeconfig")
	if err := os.WriteFile(kc, fmt.Appendf(nil, kubeconfig, c.cfg.APIServerPort, c.cfg.CACert, cert, key), 0o600); err != nil {
		return err
	}
	cfg := filepath.Join(n.stateDir, "kubelet.yaml")
	body := fmt.Sprintf(kubeletConfig, n.IP, n.Socket(), filepath.Join(n.stateDir, "pod-logs"), c.cfg.CACert)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		return err
	}
	if err := os.MkdirAll(n.RootDir, 0o755); err != nil {
		return err
	}
	args := []string{"--net=" + nsPath(n.netns), c.cfg.Kubelet, "--config=" + cfg, "--kubeconfig=" + kc,
		"--root-dir=" + n.RootDir, "--cert-dir=" + filepath.Join(n.stateDir, "pki"),
		"--hostname-override=" + n.Name, "--node-ip=" + n.IP, "--v=" + strconv.Itoa(1)}
	return withKubeletStartLock(func() error {
		p, err := proc.Start(n.Name+"-kubelet", "nsenter", args, n.logDir, nil)
		n.kubelet = p
		return err
	})
}
