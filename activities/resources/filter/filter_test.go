package filter_test

import (
	"errors"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"

	"github.com/cairn-backup/cairn/activities/resources/filter"
)

func res(group, version, plural, kind string, namespaced bool, short ...string) filter.Resource {
	return filter.Resource{GroupVersionResource: schema.GroupVersionResource{Group: group, Version: version, Resource: plural},
		Kind: kind, Singular: kind, ShortNames: short, Namespaced: namespaced, Verbs: []string{"list", "create"}}
}

var catalog = filter.NewCatalog([]filter.Resource{
	res("", "v1", "pods", "Pod", true, "po"),
	res("", "v1", "events", "Event", true, "ev"),
	res("", "v1", "namespaces", "Namespace", false, "ns"),
	res("", "v1", "persistentvolumes", "PersistentVolume", false, "pv"),
	res("apps", "v1", "deployments", "Deployment", true, "deploy"),
	res("events.k8s.io", "v1", "events", "Event", true, "ev"),
	res("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, "sc"),
})

func TestResolve(t *testing.T) {
	for name, want := range map[string]string{
		"pods": "pods", "po": "pods", "Pod": "pods", "pod": "pods", "deploy": "deployments.apps",
		"deployments.apps": "deployments.apps", "Deployment.apps": "deployments.apps", "deployments.v1.apps": "deployments.apps",
		"events": "events", "events.events.k8s.io": "events.events.k8s.io", "sc": "storageclasses.storage.k8s.io",
	} {
		r, err := catalog.Resolve(name)
		if err != nil || r.Name() != want {
			t.Errorf("Resolve(%q) = %s, %v; want %s", name, r.Name(), err, want)
		}
	}
	for _, bad := range []string{"", "widgets", "pods.apps", "deployments.batch"} {
		if _, err := catalog.Resolve(bad); !errors.Is(err, filter.ErrUnknownResource) {
			t.Errorf("Resolve(%q): %v, want ErrUnknownResource", bad, err)
		}
	}
}

func TestNames(t *testing.T) {
	n, err := filter.NewNames([]string{"app-*", "db"}, []string{"app-tmp?"})
	if err != nil {
		t.Fatal(err)
	}
	for ns, want := range map[string]bool{"app-1": true, "db": true, "app-tmp1": false, "web": false, "app-tmp12": true} {
		if n.Match(ns) != want {
			t.Errorf("Match(%q) = %v", ns, !want)
		}
	}
	if n.All() {
		t.Error("All() with excludes")
	}
	all, _ := filter.NewNames([]string{"*"}, nil)
	none, _ := filter.NewNames(nil, nil)
	if !all.All() || !none.All() || !none.Match("x") {
		t.Error("* and empty must match everything")
	}
	exact, _ := filter.NewNames([]string{"a", "b"}, []string{"b"})
	if names, ok := exact.Exact(); !ok || len(names) != 1 || names[0] != "a" {
		t.Errorf("Exact() = %v %v", names, ok)
	}
	if _, err := filter.NewNames([]string{"[a-"}, nil); err == nil {
		t.Error("bad glob accepted")
	}
}

func TestClusterRule(t *testing.T) {
	pods, _ := catalog.Resolve("pods")
	pvs, _ := catalog.Resolve("pv")
	cases := []struct {
		spec             filter.Spec
		pods, pvs, relPV bool
	}{
		{filter.Spec{}, true, true, true},
		{filter.Spec{IncludedNamespaces: []string{"a"}}, true, false, true},
		{filter.Spec{IncludedNamespaces: []string{"a"}, IncludeClusterResources: ptr.To(true)}, true, true, true},
		{filter.Spec{IncludeClusterResources: ptr.To(false)}, true, false, false},
		{filter.Spec{ExcludedResources: []string{"pv"}}, true, false, false},
		{filter.Spec{IncludedNamespaceScopedResources: []string{"pods"}}, true, false, true},
		{filter.Spec{IncludedClusterScopedResources: []string{"pv"}, IncludedNamespaces: []string{"a"}}, true, true, true},
		{filter.Spec{ExcludedClusterScopedResources: []string{"*"}}, true, false, false},
	}
	for _, c := range cases {
		f, err := filter.Compile(catalog, c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if f.IncludesResource(pods) != c.pods || f.IncludesResource(pvs) != c.pvs || f.AllowsRelated(pvs) != c.relPV {
			t.Errorf("%+v: pods %v pvs %v related %v; want %v %v %v", c.spec, f.IncludesResource(pods), f.IncludesResource(pvs),
				f.AllowsRelated(pvs), c.pods, c.pvs, c.relPV)
		}
	}
}

func TestLabels(t *testing.T) {
	f, err := filter.Compile(catalog, filter.Spec{OrLabelSelectors: []string{"app=web", "tier in (db)"}})
	if err != nil {
		t.Fatal(err)
	}
	for labels, want := range map[*map[string]string]bool{
		{"app": "web"}: true, {"tier": "db"}: true, {"app": "db"}: false,
		{"app": "web", "velero.io/exclude-from-backup": "true"}: false,
		{"tier": "db", "cairn.io/exclude-from-backup": "true"}:  false,
	} {
		if got := f.MatchesLabels(*labels); got != want {
			t.Errorf("MatchesLabels(%v) = %v", *labels, got)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, spec := range []filter.Spec{
		{IncludedResources: []string{"widgets"}},
		{LabelSelector: "a=b", OrLabelSelectors: []string{"c=d"}},
		{LabelSelector: "a in (b"},
		{IncludedResources: []string{"pods"}, ExcludedNamespaceScopedResources: []string{"pods"}},
		{IncludedClusterScopedResources: []string{"pods"}},
		{OrderedResources: map[string]string{"pv": "ns/x"}},
		{OrderedResources: map[string]string{"pods": "x"}},
	} {
		if _, err := filter.Compile(catalog, spec); err == nil {
			t.Errorf("%+v compiled", spec)
		}
	}
	if m, err := filter.ParseOrderedResources("pods=ns1/a,ns1/b;persistentvolumes=pv1"); err != nil || m["pods"] != "ns1/a,ns1/b" || m["persistentvolumes"] != "pv1" {
		t.Errorf("ParseOrderedResources: %v %v", m, err)
	}
	if _, err := filter.ParseOrderedResources("pods"); err == nil {
		t.Error("ordered resources without = accepted")
	}
}
