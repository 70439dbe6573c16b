package nodeagents

import (
	"fmt"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// Bed is what Adapt needs to know of the test bed.
type Bed struct {
	// Namespace is Cairn's namespace ("cairn" when empty).
	Namespace string
	// NodesDir holds each node's kubelet root dir, <NodesDir>/<node>.
	NodesDir string
	// APIServerPort is the apiserver's port on every node's 127.0.0.1.
	APIServerPort int
	// TemporalAddress and TemporalNamespace are Temporal's frontend, as
	// every node reaches it, and namespace.
	TemporalAddress, TemporalNamespace string
}

// hostPodsMount is where the DaemonSet mounts the kubelet's pods folder.
const hostPodsMount = "/host_pods"

// Adapt changes the objects of deploy/ for the bed, in place, and nothing
// else: Cairn's namespace, Temporal's address, and for the DaemonSet what a
// bed's nodes differ in from a cluster's. A bed's kubelets share the host,
// so each has its root dir in <NodesDir>/<node> rather than
// /var/lib/kubelet: the agent mounts NodesDir and reads its node's pods
// folder (--pods-dir /host_pods/$(NODE_NAME)/pods). A bed runs no
// kube-proxy and no cluster DNS: the agent uses its node's network, where
// the bed forwards the apiserver, Temporal and S3 ports of 127.0.0.1.
func Adapt(objs []*unstructured.Unstructured, bed Bed) error {
	ns := bed.Namespace
	if ns == "" {
		ns = "cairn"
	}
	for _, u := range objs {
		renamespace(u, ns)
		switch u.GetKind() {
		case "ConfigMap":
			if u.GetName() == "cairn-temporal" {
				u.Object["data"] = map[string]any{"address": bed.TemporalAddress, "namespace": bed.TemporalNamespace}
			}
		case "DaemonSet":
			if err := adaptDaemonSet(u, bed); err != nil {
				return fmt.Errorf("daemonset %s: %w", u.GetName(), err)
			}
		}
	}
	return nil
}

// renamespace moves u, and the subjects it binds, into namespace ns.
func renamespace(u *unstructured.Unstructured, ns string) {
	switch {
	case u.GetKind() == "Namespace":
		u.SetName(ns)
		return
	case u.GetNamespace() != "":
		u.SetNamespace(ns)
	}
	subjects, _, _ := unstructured.NestedSlice(u.Object, "subjects")
	for _, s := range subjects {
		if m, ok := s.(map[string]any); ok && m["namespace"] != nil {
			m["namespace"] = ns
		}
	}
	if subjects != nil {
		_ = unstructured.SetNestedSlice(u.Object, subjects, "subjects")
	}
}

// adaptDaemonSet points the agent at its node's pods folder and at the
// services its node forwards.
func adaptDaemonSet(u *unstructured.Unstructured, bed Bed) error {
	var ds appsv1.DaemonSet
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &ds); err != nil {
		return err
	}
	spec := &ds.Spec.Template.Spec
	spec.HostNetwork, spec.DNSPolicy = true, corev1.DNSClusterFirstWithHostNet
	for i := range spec.Volumes {
		if hp := spec.Volumes[i].HostPath; hp != nil && hp.Path == "/var/lib/kubelet/pods" {
			hp.Path = bed.NodesDir
		}
	}
	if len(spec.Containers) != 1 {
		return fmt.Errorf("%d containers; the node agent's pod has one", len(spec.Containers))
	}
	c := &spec.Containers[0]
	if !setArg(c.Args, "--pods-dir", hostPodsMount+"/$(NODE_NAME)/pods") {
		return fmt.Errorf("container %s has no --pods-dir", c.Name)
	}
	c.Env = append(c.Env,
		corev1.EnvVar{Name: "KUBERNETES_SERVICE_HOST", Value: "127.0.0.1"},
		corev1.EnvVar{Name: "KUBERNETES_SERVICE_PORT", Value: strconv.Itoa(bed.APIServerPort)})
	out, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&ds)
	if err != nil {
		return err
	}
	u.Object = out
	return nil
}

// setArg sets the value that follows flag in args; it reports whether
// args had the flag.
func setArg(args []string, flag, value string) bool {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == flag {
			args[i+1] = value
			return true
		}
	}
	return false
}
