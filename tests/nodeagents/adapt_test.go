package nodeagents

import (
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestAdapt adapts deploy/'s manifests for a bed and checks that only what
// a bed needs changed: the namespace everywhere, Temporal's address, and
// the DaemonSet's pods folder, network and apiserver address.
func TestAdapt(t *testing.T) {
	objs, err := Load("../../deploy")
	if err != nil {
		t.Fatal(err)
	}
	bed := Bed{Namespace: "cairn-x", NodesDir: "/bed/nodes", APIServerPort: 6443, TemporalAddress: "127.0.0.1:7233", TemporalNamespace: "default"}
	if err := Adapt(objs, bed); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]*unstructured.Unstructured{}
	for _, u := range objs {
		kinds[u.GetKind()] = u
		if u.GetNamespace() != "" && u.GetNamespace() != "cairn-x" {
			t.Errorf("%s %s in namespace %s", u.GetKind(), u.GetName(), u.GetNamespace())
		}
	}
	for _, k := range []string{"Namespace", "ConfigMap", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "DaemonSet"} {
		if kinds[k] == nil {
			t.Fatalf("no %s in %v", k, Files)
		}
	}
	if kinds["Namespace"].GetName() != "cairn-x" {
		t.Errorf("namespace %s", kinds["Namespace"].GetName())
	}
	if addr, _, _ := unstructured.NestedString(kinds["ConfigMap"].Object, "data", "address"); addr != "127.0.0.1:7233" {
		t.Errorf("temporal address %q", addr)
	}
	subjects, _, _ := unstructured.NestedSlice(kinds["ClusterRoleBinding"].Object, "subjects")
	if len(subjects) != 1 || subjects[0].(map[string]any)["namespace"] != "cairn-x" {
		t.Errorf("subjects %v", subjects)
	}
	checkDaemonSet(t, kinds["DaemonSet"])
	if port, err := MetricsPort(objs); err != nil || port != 8086 {
		t.Errorf("metrics port %d, %v; deploy/node-agent.yaml serves on :8086", port, err)
	}
}

// checkDaemonSet checks the adapted DaemonSet.
func checkDaemonSet(t *testing.T, u *unstructured.Unstructured) {
	t.Helper()
	var ds appsv1.DaemonSet
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &ds); err != nil {
		t.Fatal(err)
	}
	spec := ds.Spec.Template.Spec
	if !spec.HostNetwork {
		t.Error("not on the node's network")
	}
	c := spec.Containers[0]
	if i := slices.Index(c.Args, "--pods-dir"); i < 0 || c.Args[i+1] != "/host_pods/$(NODE_NAME)/pods" {
		t.Errorf("args %v", c.Args)
	}
	var env []string
	for _, e := range c.Env {
		env = append(env, e.Name+"="+e.Value)
	}
	if s := strings.Join(env, " "); !strings.Contains(s, "KUBERNETES_SERVICE_HOST=127.0.0.1") || !strings.Contains(s, "KUBERNETES_SERVICE_PORT=6443") ||
		!strings.Contains(s, "NODE_NAME=") {
		t.Errorf("env %s", s)
	}
	found := false
	for _, v := range spec.Volumes {
		found = found || v.HostPath != nil && v.HostPath.Path == "/bed/nodes"
	}
	if !found {
		t.Errorf("volumes %+v", spec.Volumes)
	}
}
