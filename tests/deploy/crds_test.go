package deploy

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/starter/velerov1"
	"github.com/cairn-backup/cairn/tests/testbed"
)

// veleroVerbs are the verbs the controller holds on every velero.io kind.
var veleroVerbs = []string{"get", "list", "watch", "create", "update", "patch", "delete"}

// crdName is the CRD of a velero.io kind, e.g. backups.velero.io.
func crdName(k velerov1.Kind) string { return k.Resource + "." + velerov1.GroupName }

// TestKustomizationInstallsCRDsFirst: deploy/ installs the velero.io CRDs,
// one for each kind of starter/velerov1, before everything else.
func TestKustomizationInstallsCRDsFirst(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(deployDir(t), "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct{ Resources []string }
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	if len(k.Resources) == 0 || strings.TrimSuffix(k.Resources[0], "/") != "crds" {
		t.Errorf("deploy/kustomization.yaml's resources are %q, want crds/ first", k.Resources)
	}
	objs := render(t)
	for _, kind := range velerov1.Kinds() {
		crd := find[*apiextensionsv1.CustomResourceDefinition](t, objs, crdName(kind))
		checkCRD(t, kind, crd)
	}
}

// checkCRD: the CRD serves the kind under velero.io/v1, namespaced.
func checkCRD(t *testing.T, kind velerov1.Kind, crd *apiextensionsv1.CustomResourceDefinition) {
	t.Helper()
	n := crd.Spec.Names
	if crd.Spec.Group != velerov1.GroupName || n.Kind != kind.Name || n.Plural != kind.Resource || n.ListKind != kind.Name+"List" ||
		crd.Spec.Scope != apiextensionsv1.NamespaceScoped {
		t.Errorf("CRD %s: group %q names %+v scope %s, want kind %s (%s) of velero.io, namespaced", crd.Name, crd.Spec.Group, n, crd.Spec.Scope, kind.Name, kind.Resource)
	}
	if len(crd.Spec.Versions) != 1 || crd.Spec.Versions[0].Name != "v1" || !crd.Spec.Versions[0].Served || !crd.Spec.Versions[0].Storage {
		t.Errorf("CRD %s: versions %+v, want v1 alone, served and stored", crd.Name, crd.Spec.Versions)
	}
}

// checkVeleroRole: the rules grant every verb on every velero.io kind and
// its status subresource.
func checkVeleroRole(t *testing.T, what string, rules []rbacv1.PolicyRule) {
	t.Helper()
	has := func(list []string, v string) bool { return slices.Contains(list, v) || slices.Contains(list, "*") }
	for _, kind := range velerov1.Kinds() {
		for _, res := range []string{kind.Resource, kind.Resource + "/status"} {
			for _, verb := range veleroVerbs {
				if !slices.ContainsFunc(rules, func(r rbacv1.PolicyRule) bool {
					return has(r.APIGroups, velerov1.GroupName) && has(r.Resources, res) && has(r.Verbs, verb)
				}) {
					t.Errorf("%s does not grant %s on %s.velero.io", what, verb, res)
				}
			}
		}
	}
}

// TestControllerVeleroRBAC: ClusterRole cairn-velero grants the velero.io
// kinds and ClusterRoleBinding cairn-velero binds it to the controller's
// service account, in deploy/ and in the chart alike.
func TestControllerVeleroRBAC(t *testing.T) {
	objs := render(t)
	dep := find[*appsv1.Deployment](t, objs, "cairn")
	checkVeleroRole(t, "deploy/'s ClusterRole cairn-velero", find[*rbacv1.ClusterRole](t, objs, "cairn-velero").Rules)
	crb := find[*rbacv1.ClusterRoleBinding](t, objs, "cairn-velero")
	if crb.RoleRef.Kind != "ClusterRole" || crb.RoleRef.Name != "cairn-velero" || !bound(crb.Subjects, dep.Namespace, "cairn") {
		t.Errorf("ClusterRoleBinding cairn-velero binds %v to %s %s, want the controller's service account to ClusterRole cairn-velero", crb.Subjects, crb.RoleRef.Kind, crb.RoleRef.Name)
	}

	_, hobjs := helmObjects(t)
	hcr := typed[rbacv1.ClusterRole](t, hobjs, "ClusterRole", "cairn-velero")
	checkVeleroRole(t, "the chart's ClusterRole cairn-velero", hcr.Rules)
	hcrb := typed[rbacv1.ClusterRoleBinding](t, hobjs, "ClusterRoleBinding", "cairn-velero")
	if hcrb.RoleRef.Name != "cairn-velero" || !bound(hcrb.Subjects, helmNamespace, "cairn") {
		t.Errorf("the chart's ClusterRoleBinding cairn-velero binds %v to %s", hcrb.Subjects, hcrb.RoleRef.Name)
	}
}

// TestHelmCRDs: the chart ships the CRDs in crds/, where Helm installs them
// before the templates: rendered with --include-crds they are there, the
// same objects as deploy/'s; the templates themselves render none.
func TestHelmCRDs(t *testing.T) {
	_, objs := helmObjects(t, "--include-crds")
	kustomized := render(t)
	for _, kind := range velerov1.Kinds() {
		want := find[*apiextensionsv1.CustomResourceDefinition](t, kustomized, crdName(kind))
		got := typed[apiextensionsv1.CustomResourceDefinition](t, objs, "CustomResourceDefinition", crdName(kind))
		checkCRD(t, kind, got)
		if !reflect.DeepEqual(got.Spec, want.Spec) || !reflect.DeepEqual(got.Annotations, want.Annotations) {
			t.Errorf("the chart's CRD %s differs from deploy/crds'", crdName(kind))
		}
	}
	_, templates := helmObjects(t)
	for _, o := range templates {
		if o.GetKind() == "CustomResourceDefinition" {
			t.Errorf("the chart's templates render CRD %s: CRDs belong in crds/", o.GetName())
		}
	}
}

// veleroFixtures are objects of starter/velerov1/testdata, as the stock velero
// CLI creates them, that TestApply creates once the CRDs are in.
var veleroFixtures = []struct{ file, resource string }{
	{"backup-cli.json", "backup"},
	{"backup-hooks.json", "backups.velero.io"},
	{"schedule-cli.json", "schedule"},
	{"bsl-cli.json", "bsl"},
}

// fixture reads one object of starter/velerov1/testdata.
func fixture(t *testing.T, file string) (path string, obj map[string]any) {
	t.Helper()
	root, err := testbed.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(root, "starter", "velerov1", "testdata", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return path, obj
}

// checkVeleroAPI runs after `kubectl apply -k deploy/`: every velero.io CRD
// becomes Established, and Backups (one with hooks), a Schedule and a
// BackupStorageLocation as the velero CLI makes them can be created with
// kubectl and read back (by short name, bsl, too) with every field they were
// created with: the CRDs' schemas prune none of them.
func checkVeleroAPI(t *testing.T, bed *testbed.Bed) {
	args := []string{"wait", "--for=condition=Established", "--timeout=60s"}
	for _, kind := range velerov1.Kinds() {
		args = append(args, "crd/"+crdName(kind))
	}
	mustKubectl(t, bed.Kubeconfig, args...)

	for _, f := range veleroFixtures {
		path, want := fixture(t, f.file)
		meta := want["metadata"].(map[string]any)
		name, ns := meta["name"].(string), meta["namespace"].(string)
		if _, err := bed.Kube.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{}); err != nil {
			mustKubectl(t, bed.Kubeconfig, "create", "namespace", ns)
			t.Cleanup(func() { mustKubectl(t, bed.Kubeconfig, "delete", "namespace", ns, "--wait=false") })
		}
		mustKubectl(t, bed.Kubeconfig, "create", "-f", path)
		var got map[string]any
		out := mustKubectl(t, bed.Kubeconfig, "-n", ns, "get", f.resource+"/"+name, "-o", "json")
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("kubectl get %s/%s: %v\n%s", f.resource, name, err, out)
		}
		for _, field := range []string{"apiVersion", "kind", "spec", "status"} {
			if !reflect.DeepEqual(got[field], want[field]) {
				t.Errorf("%s read back: %s is\n%s\nwant\n%s", f.file, field, toYAML(t, got[field]), toYAML(t, want[field]))
			}
		}
		gm := got["metadata"].(map[string]any)
		for _, field := range []string{"labels", "annotations"} {
			if !reflect.DeepEqual(gm[field], meta[field]) {
				t.Errorf("%s read back: metadata.%s is %v, want %v", f.file, field, gm[field], meta[field])
			}
		}
		// The printer columns name what the CLI's `get` shows; the table must render.
		if out := mustKubectl(t, bed.Kubeconfig, "-n", ns, "get", f.resource); !strings.Contains(out, name) {
			t.Errorf("kubectl get %s lists no %s:\n%s", f.resource, name, out)
		}
	}
}

// checkVeleroPermissions asks the apiserver what ClusterRole cairn-velero
// grants on its own, through a binding to a user that nothing else binds,
// and what the controller's service account may do with the velero.io kinds.
func checkVeleroPermissions(t *testing.T, bed *testbed.Bed) {
	ctx := context.Background()
	const probe = "cairn-velero-probe"
	crb := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: probe},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "cairn-velero"},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: probe}},
	}
	if _, err := bed.Kube.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bed.Kube.RbacV1().ClusterRoleBindings().Delete(ctx, probe, metav1.DeleteOptions{}) })
	allowed := func(user string, groups []string, attrs authorizationv1.ResourceAttributes) bool {
		sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{User: user, Groups: groups, ResourceAttributes: &attrs}}
		got, err := bed.Kube.AuthorizationV1().SubjectAccessReviews().Create(ctx, sar, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return got.Status.Allowed
	}
	sa := "system:serviceaccount:cairn:cairn"
	saGroups := []string{"system:serviceaccounts", "system:serviceaccounts:cairn", "system:authenticated"}
	// The authorizer learns of the new binding from its informer a moment
	// later: wait for the first grant before asking about every one.
	first := authorizationv1.ResourceAttributes{Namespace: "velero", Verb: "get", Group: velerov1.GroupName, Resource: velerov1.BackupsResource}
	for deadline := time.Now().Add(15 * time.Second); !allowed(probe, []string{"system:authenticated"}, first) && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	for _, kind := range velerov1.Kinds() {
		for _, sub := range []string{"", "status"} {
			for _, verb := range veleroVerbs {
				attrs := authorizationv1.ResourceAttributes{Namespace: "velero", Verb: verb, Group: velerov1.GroupName, Resource: kind.Resource, Subresource: sub}
				if !allowed(probe, []string{"system:authenticated"}, attrs) {
					t.Errorf("ClusterRole cairn-velero does not let %s %s/%s", verb, kind.Resource, sub)
				}
				if !allowed(sa, saGroups, attrs) {
					t.Errorf("the controller may not %s %s/%s", verb, kind.Resource, sub)
				}
			}
		}
	}
	if allowed(probe, []string{"system:authenticated"}, authorizationv1.ResourceAttributes{Namespace: "velero", Verb: "get", Resource: "secrets"}) {
		t.Error("ClusterRole cairn-velero grants more than the velero.io kinds: secrets")
	}
}
