// Package realnode runs real Kubernetes nodes for the test bed: per node a
// network namespace, a containerd and a kubelet registered with the bed's
// apiserver, running pods under runc.
//
// Network: each node's namespace has the node's address on a veth whose
// other end sits on a bridge in a hub namespace of the bed's, so nodes
// reach one another and nothing else; the host keeps only its loopback.
// Host servers (apiserver, Temporal, S3) listen on the host's 127.0.0.1:
// Forward opens the same port on a node's 127.0.0.1 and relays to them. The
// apiserver reaches kubelets (exec, logs, port-forward) through an HTTP
// CONNECT proxy on a Unix socket (its egress selector), which dials only
// the nodes' addresses, from inside their namespaces.
package realnode
