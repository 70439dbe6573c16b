package filter

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// Well-known group-resources the relation rules use.
var (
	PersistentVolumes         = schema.GroupResource{Resource: "persistentvolumes"}
	PersistentVolumeClaims    = schema.GroupResource{Resource: "persistentvolumeclaims"}
	ClusterRoles              = schema.GroupResource{Group: "rbac.authorization.k8s.io", Resource: "clusterroles"}
	ClusterRoleBindings       = schema.GroupResource{Group: "rbac.authorization.k8s.io", Resource: "clusterrolebindings"}
	RoleBindings              = schema.GroupResource{Group: "rbac.authorization.k8s.io", Resource: "rolebindings"}
	CustomResourceDefinitions = schema.GroupResource{Group: "apiextensions.k8s.io", Resource: "customresourcedefinitions"}
)

// Ref names a cluster-scoped object.
type Ref struct {
	Resource schema.GroupResource
	Name     string
}

// Related returns the cluster-scoped objects a namespaced object of gr
// refers to and that Velero's auto rule pulls in with it: a PVC's PV and a
// RoleBinding's ClusterRole. (A custom resource's CRD and the
// ClusterRoleBindings of a namespace's service accounts are found by the
// callers, which know the CRDs and list the bindings.)
func Related(gr schema.GroupResource, obj *unstructured.Unstructured) []Ref {
	switch gr {
	case PersistentVolumeClaims:
		if v, _, _ := unstructured.NestedString(obj.Object, "spec", "volumeName"); v != "" {
			return []Ref{{PersistentVolumes, v}}
		}
	case RoleBindings:
		kind, _, _ := unstructured.NestedString(obj.Object, "roleRef", "kind")
		name, _, _ := unstructured.NestedString(obj.Object, "roleRef", "name")
		if kind == "ClusterRole" && name != "" {
			return []Ref{{ClusterRoles, name}}
		}
	}
	return nil
}

// BindingSubjectNamespaces returns the namespaces of a (Cluster)RoleBinding's
// ServiceAccount subjects.
func BindingSubjectNamespaces(obj *unstructured.Unstructured) []string {
	subjects, _, _ := unstructured.NestedSlice(obj.Object, "subjects")
	var out []string
	for _, s := range subjects {
		m, ok := s.(map[string]any)
		if !ok {
			continue
		}
		if kind, _ := m["kind"].(string); kind != "ServiceAccount" {
			continue
		}
		if ns, _ := m["namespace"].(string); ns != "" {
			out = append(out, ns)
		}
	}
	return out
}

// BindingRole returns the ClusterRole a ClusterRoleBinding grants.
func BindingRole(obj *unstructured.Unstructured) (string, bool) {
	kind, _, _ := unstructured.NestedString(obj.Object, "roleRef", "kind")
	name, _, _ := unstructured.NestedString(obj.Object, "roleRef", "name")
	return name, kind == "ClusterRole" && name != ""
}
