// Package testbed starts the real components Cairn runs against — an embedded
// Temporal server, versitygw as the S3 server, etcd with kube-apiserver,
// kube-controller-manager and kube-scheduler, and simulated nodes (package
// kubesim) — on free ports of 127.0.0.1 with their state in one folder. The
// integration tests use it through ForTest; `make dev-up` runs the same code
// as a long-lived process (tests/cmd/testbed).
//
// The binaries come from .tools/bin (installed by `make tools`); CAIRN_TOOLS_BIN
// points elsewhere.
package testbed
