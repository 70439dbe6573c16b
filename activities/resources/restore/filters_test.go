package restore_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cairn-backup/cairn/activities/resources/backup"
	"github.com/cairn-backup/cairn/activities/resources/collect"
	"github.com/cairn-backup/cairn/activities/resources/filter"
	"github.com/cairn-backup/cairn/activities/resources/metadata"
	"github.com/cairn-backup/cairn/activities/resources/restore"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

// collected runs Collect with spec and returns "resource ns/name" keys in
// the order the sink saw them.
func collected(t *testing.T, e *env, spec filter.Spec) []string {
	t.Helper()
	ctx := context.Background()
	cat, _, err := filter.Discover(ctx, e.kube.Discovery())
	if err != nil {
		t.Fatal(err)
	}
	f, err := filter.Compile(cat, spec)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var out []string
	st, err := collect.Collect(ctx, collect.Options{Client: e.dyn, Catalog: cat, Filter: f, PageSize: 2}, func(ctx context.Context, it collect.Item) error {
		mu.Lock()
		defer mu.Unlock()
		out = append(out, it.Resource.Name()+" "+strings.TrimPrefix(it.Object.GetNamespace()+"/"+it.Object.GetName(), "/"))
		return nil
	})
	if err != nil || slices.ContainsFunc(st.Problems, func(p collect.Problem) bool { return !p.Warning }) {
		t.Fatalf("collect: %v %v", err, st.Problems)
	}
	return out
}

// TestFilters backs up the fixture with each kind of filter.
func TestFilters(t *testing.T) {
	e := newEnv(t)
	f := newFixture(t, e)
	pvc, err := e.kube.CoreV1().PersistentVolumeClaims(f.ns).Get(context.Background(), "data", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pv := "persistentvolumes " + pvc.Spec.VolumeName
	cr := "clusterroles.rbac.authorization.k8s.io " + f.clusterRole
	crd := "customresourcedefinitions.apiextensions.k8s.io " + f.crd
	nsObj := "namespaces " + f.ns
	in := func(s string) string { return f.ns + "/" + s }
	cm, secret, widget := "configmaps "+in("settings"), "secrets "+in("creds"), "widgets."+f.group+" "+in("sprocket")
	anyNode := func(items []string) bool {
		return slices.ContainsFunc(items, func(s string) bool { return strings.HasPrefix(s, "nodes ") })
	}
	cases := []struct {
		name       string
		spec       filter.Spec
		want, not  []string
		nodes      bool
		onlyPrefix []string // when set, every item is of these resources
	}{
		{name: "namespace auto", spec: filter.Spec{IncludedNamespaces: []string{f.ns}},
			want: []string{pv, cr, crd, nsObj, cm, secret, widget, "rolebindings.rbac.authorization.k8s.io " + in("robot-reads")}},
		{name: "no cluster resources", spec: filter.Spec{IncludedNamespaces: []string{f.ns}, IncludeClusterResources: ptr.To(false)},
			want: []string{nsObj, cm}, not: []string{pv, cr, crd}},
		{name: "all cluster resources", spec: filter.Spec{IncludedNamespaces: []string{f.ns}, IncludeClusterResources: ptr.To(true)},
			want: []string{pv, cr, crd, cm}, nodes: true},
		{name: "include resources by short name and kind", spec: filter.Spec{IncludedNamespaces: []string{f.ns}, IncludedResources: []string{"cm", "Secret"}},
			want: []string{cm, secret, nsObj}, not: []string{pv, widget}, onlyPrefix: []string{"configmaps ", "secrets ", "namespaces "}},
		{name: "glob and exclude resources", spec: filter.Spec{IncludedNamespaces: []string{"app-" + f.ns[4:6] + "*"}, ExcludedResources: []string{"secrets"}},
			want: []string{cm, pv, widget}, not: []string{secret}},
		{name: "exclude namespace", spec: filter.Spec{ExcludedNamespaces: []string{f.ns}},
			not: []string{cm, nsObj, pv}, want: []string{"namespaces kube-system"}},
		{name: "label selector", spec: filter.Spec{IncludedNamespaces: []string{f.ns}, LabelSelector: "app=web"},
			want: []string{cm, widget, "deployments.apps " + in("web")}, not: []string{secret, pv, "persistentvolumeclaims " + in("data")}},
		{name: "label selector in all namespaces keeps a selected PVC's PV", spec: filter.Spec{LabelSelector: "store=" + f.ns},
			want: []string{"persistentvolumeclaims " + in("data"), pv, nsObj}, not: []string{cm, cr}},
		{name: "or selectors", spec: filter.Spec{IncludedNamespaces: []string{f.ns}, OrLabelSelectors: []string{"app=web", "tier=db"}},
			want: []string{cm, secret}, not: []string{"serviceaccounts " + in("robot")}},
		{name: "scoped", spec: filter.Spec{IncludedNamespaces: []string{f.ns}, IncludedNamespaceScopedResources: []string{"configmaps", "pvc"},
			IncludedClusterScopedResources: []string{"persistentvolumes"}},
			want: []string{cm, pv, "persistentvolumeclaims " + in("data")}, not: []string{secret, cr}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			items := collected(t, e, c.spec)
			for _, w := range c.want {
				if !slices.Contains(items, w) {
					t.Errorf("%s is missing", w)
				}
			}
			for _, n := range c.not {
				if slices.Contains(items, n) {
					t.Errorf("%s was collected", n)
				}
			}
			if anyNode(items) != c.nodes {
				t.Errorf("nodes collected: %v, want %v", anyNode(items), c.nodes)
			}
			for _, it := range items {
				if strings.Contains(it, "skipped-") {
					t.Errorf("%s carries an exclude label", it)
				}
				if c.onlyPrefix != nil && !slices.ContainsFunc(c.onlyPrefix, func(p string) bool { return strings.HasPrefix(it, p) }) {
					t.Errorf("%s is not of the included resources", it)
				}
			}
		})
	}
	t.Run("ordered resources", func(t *testing.T) {
		items := collected(t, e, filter.Spec{IncludedNamespaces: []string{f.ns}, IncludedResources: []string{"services"},
			OrderedResources: map[string]string{"services": in("web-np") + "," + in("web-headless")}})
		var svcs []string
		for _, it := range items {
			if strings.HasPrefix(it, "services ") {
				svcs = append(svcs, it)
			}
		}
		want := []string{"services " + in("web-np"), "services " + in("web-headless"), "services " + in("web")}
		if !slices.Equal(svcs, want) {
			t.Errorf("services in order %v, want %v", svcs, want)
		}
	})
}

// TestBadInput checks that bad input fails before any work, with an error
// naming the problem.
func TestBadInput(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, c := range []struct {
		spec filter.Spec
		want string
	}{
		{filter.Spec{IncludedResources: []string{"nosuchthings"}}, `resource "nosuchthings": unknown resource`},
		{filter.Spec{LabelSelector: "app in (web"}, "label selector"},
		{filter.Spec{LabelSelector: "a=b", OrLabelSelectors: []string{"c=d"}}, "not both"},
		{filter.Spec{IncludedResources: []string{"pods"}, IncludedClusterScopedResources: []string{"nodes"}}, "cannot be used together"},
		{filter.Spec{IncludedNamespaceScopedResources: []string{"nodes"}}, "nodes is cluster-scoped"},
		{filter.Spec{IncludedNamespaces: []string{"[a-"}}, "namespace pattern"},
		{filter.Spec{OrderedResources: map[string]string{"pods": "no-namespace"}}, "namespace/name"},
	} {
		_, err := backup.Run(ctx, h.backupOpts("bad", c.spec))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("spec %+v: error %v, want one with %q", c.spec, err, c.want)
		}
	}
	if names, err := h.store.ListBackups(ctx); err != nil || len(names) != 0 {
		t.Errorf("bad backups left records: %v %v", names, err)
	}
	for _, s := range []string{"a", "a:b:c,", "Bad_Name:x", "a:x,b:x", "a:x,a:y"} {
		if _, err := restore.ParseNamespaceMappings(s); err == nil {
			t.Errorf("mapping %q accepted", s)
		}
	}
	_, err := restore.Run(ctx, h.restoreOpts("r", "no-such-backup"))
	if !errors.Is(err, metadata.ErrBackupNotFound) {
		t.Errorf("restoring a missing backup: %v, want ErrBackupNotFound", err)
	}
	opts := h.restoreOpts("r", "b")
	opts.ExistingResourcePolicy = "overwrite"
	if _, err := restore.Run(ctx, opts); err == nil || !strings.Contains(err.Error(), "overwrite") {
		t.Errorf("bad policy: %v", err)
	}
	h.backup(t, "empty", filter.Spec{IncludedNamespaces: []string{"no-such-namespace"}})
	opts = h.restoreOpts("r2", "empty")
	opts.Spec.IncludedResources = []string{"gizmos"}
	if _, err := restore.Run(ctx, opts); err == nil || !strings.Contains(err.Error(), "gizmos") {
		t.Errorf("unknown restore resource: %v", err)
	}
	if _, err := h.store.GetRestoreResults(ctx, "r2"); err == nil {
		t.Errorf("a rejected restore left results")
	}
}
