package realnode

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"

	"golang.org/x/sync/errgroup"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/cairn-backup/cairn/tests/images"
)

// Config says where the nodes live and what they join.
type Config struct {
	// Dir is the bed's folder: the nodes' state goes in Dir/realnodes, their
	// logs in Dir/logs.
	Dir string
	// NodesDir holds each node's kubelet root dir, NodesDir/<node>.
	NodesDir string
	// CACert and CAKey are the bed's CA, which signs the nodes' and the
	// apiserver's client certificates.
	CACert, CAKey string
	// Kubelet is the kubelet binary.
	Kubelet string
	// APIServerPort is the apiserver's port on the host's 127.0.0.1 (see
	// SetAPIServerPort).
	APIServerPort int
}

// Cluster is the bed's real nodes and what links them to the bed.
type Cluster struct {
	cfg   Config
	id    string
	net   byte
	ca    *ca
	proxy *connectProxy
	Nodes []*Node
}

// New readies the bed for real nodes before its apiserver starts: the
// CONNECT proxy and the apiserver's kubelet client certificate, whose
// flags APIServerFlags returns.
func New(cfg Config) (*Cluster, error) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(cfg.Dir))
	sum := h.Sum32()
	c := &Cluster{cfg: cfg, id: fmt.Sprintf("%04x", sum&0xffff), net: byte(20 + sum>>16%200)}
	var err error
	if c.ca, err = loadCA(cfg.CACert, cfg.CAKey); err != nil {
		return nil, err
	}
	for _, d := range []string{c.stateDir(), c.runDir()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := c.ca.clientCert("kube-apiserver-kubelet-client", []string{"system:masters"}, c.file("kubelet-client.crt"), c.file("kubelet-client.key")); err != nil {
		return nil, err
	}
	if err := os.WriteFile(c.file("egress.yaml"), fmt.Appendf(nil, egressConfig, c.proxySocket()), 0o644); err != nil {
		return nil, err
	}
	if c.proxy, err = startConnectProxy(c.proxySocket()); err != nil {
		return nil, err
	}
	return c, nil
}

// egressConfig sends the apiserver's traffic to nodes through the proxy.
const egressConfig = `apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds: {udsName: %q}
`

func (c *Cluster) stateDir() string        { return filepath.Join(c.cfg.Dir, "realnodes") }
func (c *Cluster) file(name string) string { return filepath.Join(c.stateDir(), name) }
func (c *Cluster) runDir() string          { return "/run/cairn-" + c.id }
func (c *Cluster) proxySocket() string     { return filepath.Join(c.runDir(), "proxy.sock") }
func (c *Cluster) hubNetns() string        { return "cairn-" + c.id + "-hub" }
func (c *Cluster) nodeNetns(i int) string  { return fmt.Sprintf("cairn-%s-n%d", c.id, i+1) }
func (c *Cluster) nodeIP(i int) string     { return fmt.Sprintf("10.213.%d.%d", c.net, i+10) }
func (c *Cluster) podSubnet(i int) string  { return fmt.Sprintf("10.%d.%d.0/24", 214+i, c.net) }

// NetnsPrefix begins the name of every network namespace of the cluster's
// own (its hub and its nodes), which no other cluster's names begin with.
func (c *Cluster) NetnsPrefix() string { return "cairn-" + c.id + "-" }

// APIServerFlags are the apiserver's flags for the kubelets: how it
// reaches them, and its client certificate.
func (c *Cluster) APIServerFlags() []string {
	return []string{"--egress-selector-config-file=" + c.file("egress.yaml"),
		"--kubelet-preferred-address-types=InternalIP,Hostname",
		"--kubelet-client-certificate=" + c.file("kubelet-client.crt"), "--kubelet-client-key=" + c.file("kubelet-client.key")}
}

// Start starts the nodes names with imgs imported and waits until each is
// Ready. Every node's 127.0.0.1 gets the apiserver's port and ports.
func (c *Cluster) Start(ctx context.Context, kube kubernetes.Interface, names []string, imgs []images.Image, ports []int) error {
	if err := bindNodes(ctx, kube); err != nil {
		return err
	}
	if err := c.startHub(); err != nil {
		return err
	}
	for i, name := range names {
		n, err := c.addNode(i, name, append([]int{c.cfg.APIServerPort}, ports...))
		if n != nil {
			c.Nodes = append(c.Nodes, n) // Stop removes what was made
		}
		if err != nil {
			return err
		}
	}
	var g errgroup.Group
	for _, n := range c.Nodes {
		g.Go(func() error { return c.startNode(ctx, n, kube, imgs) })
	}
	return g.Wait()
}

// startNode runs the node's containerd with the images, then its kubelet,
// until the node is Ready.
func (c *Cluster) startNode(ctx context.Context, n *Node, kube kubernetes.Interface, imgs []images.Image) error {
	if err := n.startContainerd(ctx); err != nil {
		return err
	}
	if err := n.importImages(ctx, imgs); err != nil {
		return err
	}
	if err := n.startKubelet(c); err != nil {
		return err
	}
	return n.kubelet.WaitFor(ctx, "node "+n.Name, func(ctx context.Context) error { return nodeReady(ctx, kube, n.Name) })
}

// nodeReady reports an error until node name is Ready.
func nodeReady(ctx context.Context, kube kubernetes.Interface, name string) error {
	node, err := kube.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	for _, cond := range node.Status.Conditions {
		if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
			return nil
		}
	}
	return errors.New("not Ready")
}

// bindNodes grants the nodes' group the system:node role (the bed's
// apiserver authorizes with RBAC only, without the Node authorizer).
func bindNodes(ctx context.Context, kube kubernetes.Interface) error {
	b := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "cairn-testbed-nodes"},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "system:node"},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.GroupKind, Name: "system:nodes"}},
	}
	_, err := kube.RbacV1().ClusterRoleBindings().Create(ctx, b, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

// Alive reports an error if a node's containerd or kubelet has exited.
func (c *Cluster) Alive() error {
	for _, n := range c.Nodes {
		if err := n.alive(); err != nil {
			return err
		}
	}
	return nil
}

// Stop tears every node down, then the hub and the proxy.
func (c *Cluster) Stop() {
	var g errgroup.Group
	for _, n := range c.Nodes {
		g.Go(func() error { n.stop(); return nil })
	}
	_ = g.Wait()
	delNetns(c.hubNetns())
	if c.proxy != nil {
		c.proxy.close()
	}
	_ = os.RemoveAll(c.runDir())
}

// SetAPIServerPort sets the apiserver's port once it is known.
func (c *Cluster) SetAPIServerPort(port int) { c.cfg.APIServerPort = port }

// APIServerPort is the apiserver's port, on every node's 127.0.0.1 too.
func (c *Cluster) APIServerPort() int { return c.cfg.APIServerPort }

// StopNode stops node name as a machine that goes down would: its pods,
// kubelet and containerd end and its address goes away; its Node object
// stays, and turns NotReady.
func (c *Cluster) StopNode(name string) error {
	for _, n := range c.Nodes {
		if n.Name == name {
			n.stop()
			return nil
		}
	}
	return fmt.Errorf("no node %s", name)
}
