package nodeagents

import (
	"fmt"
	"net"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// MetricsPort is the port the node agent of the DaemonSet among objs
// serves /metrics on (its --metrics-address), in its pod's network: the
// node's, once Adapt has run.
func MetricsPort(objs []*unstructured.Unstructured) (int, error) {
	for _, u := range objs {
		if u.GetKind() != "DaemonSet" {
			continue
		}
		var ds appsv1.DaemonSet
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &ds); err != nil {
			return 0, err
		}
		for _, c := range ds.Spec.Template.Spec.Containers {
			for i := 0; i+1 < len(c.Args); i++ {
				if c.Args[i] == "--metrics-address" {
					return addrPort(c.Args[i+1])
				}
			}
		}
		return 0, fmt.Errorf("daemonset %s: no --metrics-address", u.GetName())
	}
	return 0, fmt.Errorf("no DaemonSet among %v", Files)
}

// addrPort is the port of the listen address addr, "host:port" or ":port".
func addrPort(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, fmt.Errorf("--metrics-address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port <= 0 {
		return 0, fmt.Errorf("--metrics-address %q: no port", addr)
	}
	return port, nil
}
