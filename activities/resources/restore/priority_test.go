package restore

import (
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func TestOrder(t *testing.T) {
	in := []string{"widgets.example.com", "services", "deployments.apps", "clusters.cluster.x-k8s.io", "pods",
		"customresourcedefinitions.apiextensions.k8s.io", "namespaces", "replicasets.apps", "configmaps", "secrets",
		"persistentvolumes", "persistentvolumeclaims", "serviceaccounts", "rolebindings.rbac.authorization.k8s.io",
		"clusterroles.rbac.authorization.k8s.io", "apps.kappctrl.k14s.io", "endpointslices.discovery.k8s.io"}
	want := []string{"customresourcedefinitions.apiextensions.k8s.io", "namespaces", "persistentvolumes", "persistentvolumeclaims",
		"clusterroles.rbac.authorization.k8s.io", "serviceaccounts", "rolebindings.rbac.authorization.k8s.io", "secrets",
		"configmaps", "pods", "replicasets.apps", "services",
		"deployments.apps", "endpointslices.discovery.k8s.io", "widgets.example.com",
		"clusters.cluster.x-k8s.io", "apps.kappctrl.k14s.io"}
	if got := Order(DefaultPriorities, in); !slices.Equal(got, want) {
		t.Errorf("Order:\n got %v\nwant %v", got, want)
	}
	for _, r := range []string{"nodes", "events", "events.events.k8s.io", "volumeattachments.storage.k8s.io"} {
		if !neverRestored(r) {
			t.Errorf("%s is restored", r)
		}
	}
}

func TestTransformService(t *testing.T) {
	svc := func(ip string, managed bool) *unstructured.Unstructured {
		obj := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{
			"clusterIP": ip, "clusterIPs": []any{ip}, "type": "NodePort",
			"ports": []any{map[string]any{"port": int64(80), "protocol": "TCP", "nodePort": int64(30080)},
				map[string]any{"port": int64(81), "protocol": "TCP", "nodePort": int64(30081)}},
		}}}
		if managed {
			obj.Object["metadata"] = map[string]any{"managedFields": []any{map[string]any{"manager": "kubectl", "operation": "Update",
				"fieldsType": "FieldsV1", "fieldsV1": map[string]any{"f:spec": map[string]any{"f:ports": map[string]any{
					`k:{"port":81,"protocol":"TCP"}`: map[string]any{"f:nodePort": map[string]any{}}}}}}}}
		}
		return obj
	}
	s := svc("10.0.0.5", true)
	transformService(s, false)
	ports, _, _ := unstructured.NestedSlice(s.Object, "spec", "ports")
	if _, ok, _ := unstructured.NestedString(s.Object, "spec", "clusterIP"); ok {
		t.Error("clusterIP kept")
	}
	if _, ok := ports[0].(map[string]any)["nodePort"]; ok {
		t.Error("auto-assigned nodePort kept")
	}
	if ports[1].(map[string]any)["nodePort"] != int64(30081) {
		t.Error("explicit nodePort dropped")
	}
	h := svc("None", false)
	transformService(h, true)
	ports, _, _ = unstructured.NestedSlice(h.Object, "spec", "ports")
	if ip, _, _ := unstructured.NestedString(h.Object, "spec", "clusterIP"); ip != "None" || ports[0].(map[string]any)["nodePort"] != int64(30080) {
		t.Errorf("headless/preserved service changed: %v", h.Object)
	}
}

func TestTransformPod(t *testing.T) {
	pod := &unstructured.Unstructured{Object: map[string]any{"spec": map[string]any{
		"nodeName": "n1", "priority": int64(5), "serviceAccountName": "robot",
		"volumes": []any{map[string]any{"name": "kube-api-access-x"}, map[string]any{"name": "data"}},
		"containers": []any{map[string]any{"name": "c", "volumeMounts": []any{
			map[string]any{"name": "kube-api-access-x"}, map[string]any{"name": "data"}}}},
	}}}
	transformPod(pod)
	vols, _, _ := unstructured.NestedSlice(pod.Object, "spec", "volumes")
	cs, _, _ := unstructured.NestedSlice(pod.Object, "spec", "containers")
	mounts := cs[0].(map[string]any)["volumeMounts"].([]any)
	if _, ok := pod.Object["spec"].(map[string]any)["nodeName"]; ok || len(vols) != 1 || len(mounts) != 1 {
		t.Errorf("pod after transform: %v", pod.Object)
	}
}
