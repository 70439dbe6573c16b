package realnode

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
)

// startHub creates the hub namespace and its bridge, removing what a
// crashed bed of the same folder left.
func (c *Cluster) startHub() error {
	delNetns(c.hubNetns())
	if err := addNetns(c.hubNetns()); err != nil {
		return err
	}
	if err := ip("-n", c.hubNetns(), "link", "add", "hub0", "type", "bridge"); err != nil {
		return err
	}
	return ip("-n", c.hubNetns(), "link", "set", "hub0", "up")
}

// addNode creates node i's namespace, links it to the hub with the node's
// address on its end, and forwards ports of the host's 127.0.0.1 into it.
func (c *Cluster) addNode(i int, name string, ports []int) (*Node, error) {
	n := &Node{
		Name: name, IP: c.nodeIP(i), PodSubnet: c.podSubnet(i), RootDir: filepath.Join(c.cfg.NodesDir, name),
		netns: c.nodeNetns(i), hubLink: fmt.Sprintf("n%d", i+1),
		stateDir: filepath.Join(c.stateDir(), name), runDir: filepath.Join(c.runDir(), fmt.Sprintf("n%d", i+1)),
		logDir: filepath.Join(c.cfg.Dir, "logs"),
	}
	for _, d := range []string{n.stateDir, n.runDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	delNetns(n.netns)
	if err := addNetns(n.netns); err != nil {
		return nil, err
	}
	hub := c.hubNetns()
	steps := [][]string{
		{"-n", hub, "link", "add", n.hubLink, "type", "veth", "peer", "name", "eth0", "netns", n.netns},
		{"-n", hub, "link", "set", n.hubLink, "master", "hub0", "up"},
		{"-n", n.netns, "addr", "add", n.IP + "/24", "dev", "eth0"},
		{"-n", n.netns, "link", "set", "eth0", "up"},
	}
	for _, s := range steps {
		if err := ip(s...); err != nil {
			return n, err
		}
	}
	c.proxy.add(n.IP, n.NetnsPath())
	return n, n.Forward(ports...)
}

// Forward makes each port of the host's 127.0.0.1 reachable on the node's
// 127.0.0.1 too.
func (n *Node) Forward(ports ...int) error {
	for _, p := range ports {
		l, err := forward(n.NetnsPath(), p)
		if err != nil {
			return fmt.Errorf("forwarding port %d into %s: %w", p, n.Name, err)
		}
		n.forwards = append(n.forwards, l)
	}
	return nil
}

// Expose makes port of the node's address reachable from the host, on a
// free port of the host's 127.0.0.1 whose address it returns (the host
// has no address on the nodes' network). It lasts until the node stops.
func (n *Node) Expose(port int) (hostAddr string, err error) {
	l, err := expose(n.NetnsPath(), net.JoinHostPort(n.IP, strconv.Itoa(port)))
	if err != nil {
		return "", fmt.Errorf("exposing port %d of %s: %w", port, n.Name, err)
	}
	n.forwards = append(n.forwards, l)
	return l.Addr().String(), nil
}
