package restore

import (
	"encoding/json"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Labels Velero puts on restored objects.
const (
	BackupNameLabel  = "velero.io/backup-name"
	RestoreNameLabel = "velero.io/restore-name"
)

var (
	services        = schema.GroupResource{Resource: "services"}
	pods            = schema.GroupResource{Resource: "pods"}
	serviceAccounts = schema.GroupResource{Resource: "serviceaccounts"}
	jobs            = schema.GroupResource{Group: "batch", Resource: "jobs"}
)

// Annotations the PV controller uses to track bindings.
const (
	annBindCompleted     = "pv.kubernetes.io/bind-completed"
	annBoundByController = "pv.kubernetes.io/bound-by-controller"
	lastApplied          = "kubectl.kubernetes.io/last-applied-configuration"
)

// stripMetadata removes what the server sets (Velero's resetMetadata, plus
// managedFields) and returns the status that was removed.
func stripMetadata(obj *unstructured.Unstructured) (status any) {
	if md, ok := obj.Object["metadata"].(map[string]any); ok {
		for _, k := range []string{"uid", "resourceVersion", "creationTimestamp", "managedFields", "generation",
			"selfLink", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "generateName"} {
			delete(md, k)
		}
	}
	status = obj.Object["status"]
	delete(obj.Object, "status")
	return status
}

// addRestoreLabels marks the object as Velero does.
func addRestoreLabels(obj *unstructured.Unstructured, backup, restore string) {
	l := obj.GetLabels()
	if l == nil {
		l = map[string]string{}
	}
	l[BackupNameLabel], l[RestoreNameLabel] = label(backup), label(restore)
	obj.SetLabels(l)
}

// label shortens a name to a label value as Velero's GetValidName does.
func label(s string) string {
	if len(s) <= 63 {
		return s
	}
	return s[:57] + hash6(s)
}

func hash6(s string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 6)
	for i := range out {
		out[i] = hex[h>>(4*i)&0xf]
	}
	return string(out)
}

// transformService resets the cluster IPs unless the Service is headless,
// and drops node ports that were assigned rather than asked for, unless
// preserve is set.
func transformService(obj *unstructured.Unstructured, preserve bool) {
	ip, _, _ := unstructured.NestedString(obj.Object, "spec", "clusterIP")
	if ip != "None" {
		unstructured.RemoveNestedField(obj.Object, "spec", "clusterIP")
		unstructured.RemoveNestedField(obj.Object, "spec", "clusterIPs")
	}
	if preserve {
		return
	}
	explicit := explicitNodePorts(obj)
	if _, ok := explicit[-1]; !ok {
		unstructured.RemoveNestedField(obj.Object, "spec", "healthCheckNodePort")
	}
	ports, _, _ := unstructured.NestedSlice(obj.Object, "spec", "ports")
	for _, p := range ports {
		m, ok := p.(map[string]any)
		if !ok {
			continue
		}
		if np, ok := m["nodePort"]; ok && !explicit[toInt(np)] {
			delete(m, "nodePort")
		}
	}
	if ports != nil {
		_ = unstructured.SetNestedSlice(obj.Object, ports, "spec", "ports")
	}
}

// explicitNodePorts returns the node ports the user set, found in the
// last-applied-configuration annotation or in managedFields entries of
// managers other than the API server; -1 stands for healthCheckNodePort.
func explicitNodePorts(obj *unstructured.Unstructured) map[int64]bool {
	out := map[int64]bool{}
	if la := obj.GetAnnotations()[lastApplied]; la != "" {
		var applied struct {
			Spec struct {
				HealthCheckNodePort int64 `json:"healthCheckNodePort"`
				Ports               []struct {
					NodePort int64 `json:"nodePort"`
				} `json:"ports"`
			} `json:"spec"`
		}
		if json.Unmarshal([]byte(la), &applied) == nil {
			for _, p := range applied.Spec.Ports {
				if p.NodePort != 0 {
					out[p.NodePort] = true
				}
			}
			if applied.Spec.HealthCheckNodePort != 0 {
				out[-1] = true
			}
		}
	}
	for _, mf := range obj.GetManagedFields() {
		if mf.FieldsV1 == nil {
			continue
		}
		raw := string(mf.FieldsV1.Raw)
		if strings.Contains(raw, `"f:healthCheckNodePort"`) {
			out[-1] = true
		}
		if !strings.Contains(raw, `"f:nodePort"`) {
			continue
		}
		ports, _, _ := unstructured.NestedSlice(obj.Object, "spec", "ports")
		for _, p := range ports {
			if m, ok := p.(map[string]any); ok {
				key := portKey(m)
				if strings.Contains(raw, key) {
					out[toInt(m["nodePort"])] = true
				}
			}
		}
	}
	return out
}

// portKey is how managedFields names a port: k:{"port":80,"protocol":"TCP"}.
func portKey(m map[string]any) string {
	b, _ := json.Marshal(map[string]any{"port": m["port"], "protocol": m["protocol"]})
	s, _ := json.Marshal("k:" + string(b))
	return strings.Trim(string(s), `"`)
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	case int:
		return int64(n)
	}
	return 0
}

// transformPod frees a pod of its node, its priority (the priority class
// sets it again) and its service account token volumes, as Velero's pod
// action does.
func transformPod(obj *unstructured.Unstructured) {
	unstructured.RemoveNestedField(obj.Object, "spec", "nodeName")
	unstructured.RemoveNestedField(obj.Object, "spec", "priority")
	sa, _, _ := unstructured.NestedString(obj.Object, "spec", "serviceAccountName")
	isToken := func(name string) bool {
		return (sa != "" && strings.HasPrefix(name, sa+"-token-")) || strings.HasPrefix(name, "kube-api-access-")
	}
	vols, _, _ := unstructured.NestedSlice(obj.Object, "spec", "volumes")
	var keep []any
	dropped := map[string]bool{}
	for _, v := range vols {
		name, _ := v.(map[string]any)["name"].(string)
		if isToken(name) {
			dropped[name] = true
			continue
		}
		keep = append(keep, v)
	}
	if len(dropped) == 0 {
		return
	}
	if keep == nil {
		unstructured.RemoveNestedField(obj.Object, "spec", "volumes")
	} else {
		_ = unstructured.SetNestedSlice(obj.Object, keep, "spec", "volumes")
	}
	for _, field := range []string{"containers", "initContainers", "ephemeralContainers"} {
		cs, _, _ := unstructured.NestedSlice(obj.Object, "spec", field)
		for _, c := range cs {
			cm, ok := c.(map[string]any)
			if !ok {
				continue
			}
			mounts, _ := cm["volumeMounts"].([]any)
			var km []any
			for _, m := range mounts {
				if n, _ := m.(map[string]any)["name"].(string); !dropped[n] {
					km = append(km, m)
				}
			}
			if km == nil {
				delete(cm, "volumeMounts")
			} else {
				cm["volumeMounts"] = km
			}
		}
		if cs != nil {
			_ = unstructured.SetNestedSlice(obj.Object, cs, "spec", field)
		}
	}
}

// resetVolumeBinding clears a PV's claimRef uid and resourceVersion and the
// PV controller's binding annotations (Velero's resetVolumeBindingInfo).
func resetVolumeBinding(obj *unstructured.Unstructured) {
	unstructured.RemoveNestedField(obj.Object, "spec", "claimRef", "uid")
	unstructured.RemoveNestedField(obj.Object, "spec", "claimRef", "resourceVersion")
	if a := obj.GetAnnotations(); a != nil {
		delete(a, annBindCompleted)
		delete(a, annBoundByController)
		obj.SetAnnotations(a)
	}
}

// mapSubjects rewrites the namespaces of a binding's ServiceAccount
// subjects.
func mapSubjects(obj *unstructured.Unstructured, mapping map[string]string) {
	subjects, _, _ := unstructured.NestedSlice(obj.Object, "subjects")
	for _, s := range subjects {
		m, ok := s.(map[string]any)
		if !ok {
			continue
		}
		if ns, _ := m["namespace"].(string); ns != "" && mapping[ns] != "" {
			m["namespace"] = mapping[ns]
		}
	}
	if subjects != nil {
		_ = unstructured.SetNestedSlice(obj.Object, subjects, "subjects")
	}
}

// transformServiceAccount drops the token secrets Kubernetes creates.
func transformServiceAccount(obj *unstructured.Unstructured) {
	secrets, _, _ := unstructured.NestedSlice(obj.Object, "secrets")
	var keep []any
	for _, s := range secrets {
		if n, _ := s.(map[string]any)["name"].(string); !strings.HasPrefix(n, obj.GetName()+"-token-") {
			keep = append(keep, s)
		}
	}
	if keep == nil {
		unstructured.RemoveNestedField(obj.Object, "secrets")
	} else {
		_ = unstructured.SetNestedSlice(obj.Object, keep, "secrets")
	}
}

// transformJob drops the controller-uid selector and labels the Job
// controller generated.
func transformJob(obj *unstructured.Unstructured) {
	for _, k := range []string{"controller-uid", "batch.kubernetes.io/controller-uid"} {
		unstructured.RemoveNestedField(obj.Object, "spec", "selector", "matchLabels", k)
		unstructured.RemoveNestedField(obj.Object, "spec", "template", "metadata", "labels", k)
	}
}
