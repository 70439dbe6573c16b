package restore_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/activities/resources/restore"
)

// object names one object of the fixture to compare.
type object struct {
	gvr        schema.GroupVersionResource
	namespaced bool
	name       string
	// drop are extra fields (dot paths) the server sets anew on restore.
	drop []string
}

func (f *fixture) objects() []object {
	core := func(res string) schema.GroupVersionResource {
		return schema.GroupVersionResource{Version: "v1", Resource: res}
	}
	return []object{
		{core("configmaps"), true, "settings", nil},
		{core("secrets"), true, "creds", nil},
		{core("serviceaccounts"), true, "robot", nil},
		{core("services"), true, "web", []string{"spec.clusterIP", "spec.clusterIPs"}},
		{core("services"), true, "web-np", []string{"spec.clusterIP", "spec.clusterIPs", "spec.ports"}},
		{core("services"), true, "web-headless", nil},
		{core("persistentvolumeclaims"), true, "data", []string{"spec.volumeName", "metadata.annotations"}},
		{schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, true, "web", []string{"metadata.annotations"}},
		{f.widgets, true, "sprocket", nil},
		{schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"}, true, "robot-reads", nil},
		{schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}, false, f.clusterRole, nil},
	}
}

// normalise strips what legitimately differs between an object and its
// restored copy: server-set metadata, status, the restore labels and the
// object's own drop list.
func normalise(obj *unstructured.Unstructured, drop []string) map[string]any {
	c := obj.DeepCopy()
	for _, k := range []string{"uid", "resourceVersion", "creationTimestamp", "managedFields", "generation", "selfLink", "namespace"} {
		unstructured.RemoveNestedField(c.Object, "metadata", k)
	}
	delete(c.Object, "status")
	unstructured.RemoveNestedField(c.Object, "metadata", "labels", restore.BackupNameLabel)
	unstructured.RemoveNestedField(c.Object, "metadata", "labels", restore.RestoreNameLabel)
	if l, ok, _ := unstructured.NestedMap(c.Object, "metadata", "labels"); ok && len(l) == 0 {
		unstructured.RemoveNestedField(c.Object, "metadata", "labels")
	}
	for _, d := range drop {
		unstructured.RemoveNestedField(c.Object, strings.Split(d, ".")...)
	}
	return c.Object
}

func (e *env) get(t testing.TB, o object, ns string) *unstructured.Unstructured {
	t.Helper()
	ri := e.dyn.Resource(o.gvr)
	var obj *unstructured.Unstructured
	var err error
	if o.namespaced {
		obj, err = ri.Namespace(ns).Get(context.Background(), o.name, metav1.GetOptions{})
	} else {
		obj, err = ri.Get(context.Background(), o.name, metav1.GetOptions{})
	}
	if err != nil {
		t.Fatalf("getting %s %s/%s: %v", o.gvr.Resource, ns, o.name, err)
	}
	return obj
}

func (f *fixture) snapshot(t testing.TB, e *env) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, o := range f.objects() {
		out[o.gvr.Resource+"/"+o.name] = normalise(e.get(t, o, f.ns), o.drop)
	}
	return out
}

// compare checks the restored objects in namespace ns field by field.
func (f *fixture) compare(t testing.TB, e *env, before map[string]map[string]any, ns string, mapped bool) {
	t.Helper()
	for _, o := range f.objects() {
		got := normalise(e.get(t, o, ns), o.drop)
		want := before[o.gvr.Resource+"/"+o.name]
		if mapped && o.gvr.Resource == "rolebindings" {
			subjects, _, _ := unstructured.NestedSlice(want, "subjects")
			subjects[0].(map[string]any)["namespace"] = ns
			_ = unstructured.SetNestedSlice(want, subjects, "subjects")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("restored %s %s differs:\n got %v\nwant %v", o.gvr.Resource, o.name, got, want)
		}
	}
}

func waitReady(t testing.TB, e *env, ns string) {
	t.Helper()
	poll(t, "the restored Deployment to be Available and the PVC Bound in "+ns, 2*time.Minute, func(ctx context.Context) (bool, error) {
		d, err := e.kube.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil || d.Status.AvailableReplicas != 2 {
			return false, nil
		}
		pvc, err := e.kube.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "data", metav1.GetOptions{})
		return err == nil && pvc.Status.Phase == corev1.ClaimBound, nil
	})
}

// TestBackupDeleteRestore backs up the application's namespace, deletes
// it (and the CRD and ClusterRole), restores, and compares every object.
func TestBackupDeleteRestore(t *testing.T) {
	h := newHarness(t)
	f := newFixture(t, h.env)
	ctx := context.Background()
	before := f.snapshot(t, h.env)
	pvc, err := h.kube.CoreV1().PersistentVolumeClaims(f.ns).Get(ctx, "data", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	name := "full-" + f.ns
	res := h.backup(t, name, filter.Spec{IncludedNamespaces: []string{f.ns}})
	list, err := h.store.GetBackupResourceList(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"v1/PersistentVolume":                              pvc.Spec.VolumeName,
		"rbac.authorization.k8s.io/v1/ClusterRole":         f.clusterRole,
		"apiextensions.k8s.io/v1/CustomResourceDefinition": f.crd,
		"v1/Namespace":         f.ns,
		"v1/Secret":            f.ns + "/creds",
		f.group + "/v1/Widget": f.ns + "/sprocket",
	} {
		if !slices.Contains(list[key], want) {
			t.Errorf("resource list %s = %v, want %s in it", key, list[key], want)
		}
	}
	for _, key := range []string{"v1/Pod", "apps/v1/ReplicaSet", "apps/v1/Deployment"} {
		if len(list[key]) == 0 {
			t.Errorf("resource list has no %s", key)
		}
	}
	for _, cm := range list["v1/ConfigMap"] {
		if strings.Contains(cm, "skipped-") {
			t.Errorf("configmap %s carries an exclude label but was backed up", cm)
		}
	}
	if len(list["v1/Node"]) > 0 {
		t.Errorf("nodes were backed up with a namespace filter: %v", list["v1/Node"])
	}
	t.Logf("backup: %d items, snapshot %s\n%s", res.Items, res.SnapshotID[:8], list.Describe())

	deleteNamespace(t, h.env, f.ns)
	deleteCRD(t, h.env, f.crd)
	if err := h.kube.RbacV1().ClusterRoles().Delete(ctx, f.clusterRole, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	rr, results := h.restore(t, h.restoreOpts("r-"+name, name))
	if rr.Phase != metadata.PhaseCompleted || rr.Errors != 0 {
		t.Fatalf("restore: %+v\nresults: %+v", rr, results)
	}
	t.Logf("restore: %+v warnings %+v", rr, results.Warnings)
	f.compare(t, h.env, before, f.ns, false)
	waitReady(t, h.env, f.ns)
	got, _ := h.kube.CoreV1().PersistentVolumeClaims(f.ns).Get(ctx, "data", metav1.GetOptions{})
	if got.Spec.VolumeName == pvc.Spec.VolumeName {
		t.Errorf("the PVC is bound to its old PV %s; a PV with the Delete policy and no snapshot must be provisioned anew", got.Spec.VolumeName)
	}
	hl, _ := h.kube.CoreV1().Services(f.ns).Get(ctx, "web-headless", metav1.GetOptions{})
	if hl.Spec.ClusterIP != "None" {
		t.Errorf("headless service has clusterIP %q", hl.Spec.ClusterIP)
	}
}

// TestRestoreMapped restores into a mapped namespace next to the original.
func TestRestoreMapped(t *testing.T) {
	h := newHarness(t)
	f := newFixture(t, h.env)
	before := f.snapshot(t, h.env)
	name := "mapped-" + f.ns
	h.backup(t, name, filter.Spec{IncludedNamespaces: []string{f.ns}})
	target := f.ns + "-copy"
	t.Cleanup(func() { _ = h.kube.CoreV1().Namespaces().Delete(context.Background(), target, metav1.DeleteOptions{}) })
	opts := h.restoreOpts("r-"+name, name)
	opts.NamespaceMapping = map[string]string{f.ns: target}
	rr, results := h.restore(t, opts)
	if rr.Phase != metadata.PhaseCompleted {
		t.Fatalf("restore: %+v\nresults: %+v", rr, results)
	}
	f.compare(t, h.env, before, target, true)
	waitReady(t, h.env, target)
	ns, err := h.kube.CoreV1().Namespaces().Get(context.Background(), target, metav1.GetOptions{})
	if err != nil || ns.Labels["team"] != "a" {
		t.Fatalf("mapped namespace %v, labels %v: want the backed-up namespace's labels", err, ns.Labels)
	}
}

// TestExistingResourcePolicy restores over existing, changed objects with
// both policies.
func TestExistingResourcePolicy(t *testing.T) {
	h := newHarness(t)
	f := newFixture(t, h.env)
	ctx := context.Background()
	name := "existing-" + f.ns
	h.backup(t, name, filter.Spec{IncludedNamespaces: []string{f.ns}})
	cms := h.kube.CoreV1().ConfigMaps(f.ns)
	cm, err := cms.Get(ctx, "settings", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cm.Data["mode"] = "slow"
	if _, err := cms.Update(ctx, cm, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}

	rr, results := h.restore(t, h.restoreOpts("none-"+name, name))
	if rr.Created != 0 || rr.Updated != 0 {
		list, _ := h.store.GetRestoreResourceList(ctx, "none-"+name)
		t.Errorf("policy none created %d and updated %d objects over existing ones:\n%s", rr.Created, rr.Updated, list.Describe())
	}
	warned := slices.ContainsFunc(results.Warnings.Namespaces[f.ns], func(w string) bool {
		return strings.Contains(w, "configmaps "+f.ns+"/settings already exists") && strings.Contains(w, "different")
	})
	if !warned {
		t.Errorf("no warning about the changed ConfigMap: %v", results.Warnings)
	}
	if got, _ := cms.Get(ctx, "settings", metav1.GetOptions{}); got.Data["mode"] != "slow" {
		t.Errorf("policy none changed the ConfigMap to %v", got.Data)
	}

	opts := h.restoreOpts("update-"+name, name)
	opts.ExistingResourcePolicy = restore.PolicyUpdate
	rr, results = h.restore(t, opts)
	if rr.Updated == 0 || rr.Errors != 0 {
		t.Errorf("policy update: %+v %+v", rr, results)
	}
	got, _ := cms.Get(ctx, "settings", metav1.GetOptions{})
	if got.Data["mode"] != "fast" || got.Labels[restore.RestoreNameLabel] != "update-"+name {
		t.Errorf("policy update left the ConfigMap at %v, labels %v", got.Data, got.Labels)
	}
}

// TestCRDNotEstablished restores custom resources whose CRD, restored in
// the same run, never becomes Established (its kind is taken): the
// resources fail with an error naming the CRD and the restore is
// PartiallyFailed.
func TestCRDNotEstablished(t *testing.T) {
	h := newHarness(t)
	f := newFixture(t, h.env)
	name := "crd-" + f.ns
	h.backup(t, name, filter.Spec{IncludedNamespaces: []string{f.ns}})
	deleteNamespace(t, h.env, f.ns)
	deleteCRD(t, h.env, f.crd)
	gadgets := "gadgets." + f.group
	f.createCRD(t, h.env, "Widget", "gadgets", gadgets)
	t.Cleanup(func() {
		_ = h.ext.ApiextensionsV1().CustomResourceDefinitions().Delete(context.Background(), gadgets, metav1.DeleteOptions{})
	})
	opts := h.restoreOpts("r-"+name, name)
	opts.CRDTimeout = 3 * time.Second
	rr, results := h.restore(t, opts)
	if rr.Phase != metadata.PhasePartiallyFailed {
		t.Fatalf("restore phase %s, want PartiallyFailed: %+v", rr.Phase, results)
	}
	found := slices.ContainsFunc(results.Errors.Namespaces[f.ns], func(e string) bool {
		return strings.Contains(e, "widgets."+f.group+" "+f.ns+"/sprocket") && strings.Contains(e, "not Established")
	})
	if !found {
		t.Errorf("no error about the widget waiting for its CRD: %+v", results.Errors)
	}
	if _, err := h.kube.CoreV1().ConfigMaps(f.ns).Get(context.Background(), "settings", metav1.GetOptions{}); err != nil {
		t.Errorf("the other objects were not restored: %v", err)
	}
}
