// Package images builds, locally and without a registry, the container
// images that the test bed's real nodes (kubelet, containerd, runc) run:
// the pod sandbox (PauseRef), busybox, a stand-in for nginx on busybox
// httpd, and Cairn itself (deploy/image's layer and config, which `make
// image` builds, on the busybox layer). Each is a docker-archive tarball that
// `ctr -n k8s.io images import` loads, answering to the refs the
// manifests and pod specs name.
//
// Build caches: a tarball is named by a hash of everything that goes into
// it, so a second Build with the same inputs only rebuilds the Go binaries
// (a no-op for go build when nothing changed) and hashes them.
package images
