package deploy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// monitoringCRDs are minimal CRDs of the Prometheus operator's two kinds the
// chart renders, enough for the apiserver to dry-run them.
const monitoringCRDs = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: servicemonitors.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: {kind: ServiceMonitor, plural: servicemonitors, singular: servicemonitor, listKind: ServiceMonitorList}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: prometheusrules.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: {kind: PrometheusRule, plural: prometheusrules, singular: prometheusrule, listKind: PrometheusRuleList}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`

// TestHelmDryRun applies each rendering, with the chart's CRDs, to the test
// bed's apiserver with a server-side dry run, after installing the monitoring CRDs and the release
// namespace, which it removes at the end.
func TestHelmDryRun(t *testing.T) {
	bed := testbed.ForTest(t)
	crds := filepath.Join(t.TempDir(), "crds.yaml")
	if err := os.WriteFile(crds, []byte(monitoringCRDs), 0o600); err != nil {
		t.Fatal(err)
	}
	mustKubectl(t, bed.Kubeconfig, "apply", "-f", crds)
	t.Cleanup(func() { mustKubectl(t, bed.Kubeconfig, "delete", "--wait=false", "-f", crds) })
	mustKubectl(t, bed.Kubeconfig, "wait", "--for=condition=Established", "--timeout=60s", "-f", crds)
	mustKubectl(t, bed.Kubeconfig, "create", "namespace", helmNamespace)
	t.Cleanup(func() { mustKubectl(t, bed.Kubeconfig, "delete", "namespace", helmNamespace, "--wait=false") })
	for name, args := range map[string][]string{
		"defaults":     nil,
		"allFeatures":  allFeatures,
		"nodeAgentOff": append(append([]string{}, allFeatures...), "--set", "nodeAgent.enabled=false"),
	} {
		out, _ := helmObjects(t, append([]string{"--include-crds"}, args...)...)
		file := filepath.Join(t.TempDir(), name+".yaml")
		if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s:\n%s", name, mustKubectl(t, bed.Kubeconfig, "apply", "--dry-run=server", "-f", file))
	}
}

// TestHelmMatchesKustomize checks that the chart's defaults, with its CRDs,
// install the CRDs, workloads and RBAC of deploy/ under the same kinds and
// names, with the same container args, ports and service accounts.
func TestHelmMatchesKustomize(t *testing.T) {
	_, objs := helmObjects(t, "--include-crds", "--namespace", "cairn")
	have := kindNames(objs)
	for _, o := range render(t) {
		u := o.(interface {
			GetName() string
		})
		kind := o.GetObjectKind().GroupVersionKind().Kind
		if kind == "" {
			kind = reflect.TypeOf(o).Elem().Name()
		}
		if !have[kind+"/"+u.GetName()] {
			t.Errorf("deploy/ has %s/%s, the chart does not", kind, u.GetName())
		}
	}
	kd := find[*appsv1.Deployment](t, render(t), "cairn")
	kds := find[*appsv1.DaemonSet](t, render(t), "cairn-node-agent")
	hd := typed[appsv1.Deployment](t, objs, "Deployment", "cairn")
	hds := typed[appsv1.DaemonSet](t, objs, "DaemonSet", "cairn-node-agent")
	samePod(t, "Deployment/cairn", kd.Spec.Template.Spec, hd.Spec.Template.Spec)
	samePod(t, "DaemonSet/cairn-node-agent", kds.Spec.Template.Spec, hds.Spec.Template.Spec)
	for _, name := range []string{"cairn-node-agent", "cairn-velero"} {
		cr := typed[rbacv1.ClusterRole](t, objs, "ClusterRole", name)
		if !reflect.DeepEqual(cr.Rules, find[*rbacv1.ClusterRole](t, render(t), name).Rules) {
			t.Errorf("ClusterRole %s rules differ: chart %v", name, cr.Rules)
		}
	}
}

// samePod compares what the two renderings' pods run.
func samePod(t *testing.T, what string, want, got corev1.PodSpec) {
	t.Helper()
	if want.ServiceAccountName != got.ServiceAccountName {
		t.Errorf("%s: service account %q, deploy/ %q", what, got.ServiceAccountName, want.ServiceAccountName)
	}
	for i, c := range want.Containers {
		g := got.Containers[i]
		if c.Name != g.Name || !reflect.DeepEqual(c.Args, g.Args) || !reflect.DeepEqual(c.Ports, g.Ports) {
			t.Errorf("%s: container %s args %q ports %v, deploy/ %s args %q ports %v", what, g.Name, g.Args, g.Ports, c.Name, c.Args, c.Ports)
		}
		if !reflect.DeepEqual(c.SecurityContext, g.SecurityContext) || !reflect.DeepEqual(c.Resources, g.Resources) {
			t.Errorf("%s: container %s security context or resources differ from deploy/", what, g.Name)
		}
	}
}

// checkTLS checks the Temporal TLS and API key environment of a container.
func checkTLS(t *testing.T, what string, env []corev1.EnvVar) {
	t.Helper()
	for _, name := range []string{"CAIRN_TEMPORAL_TLS_CERT", "CAIRN_TEMPORAL_TLS_KEY", "CAIRN_TEMPORAL_TLS_CA"} {
		if v := envVar(env, name); v == nil || !strings.HasPrefix(v.Value, "/etc/cairn/temporal-tls/") {
			t.Errorf("%s: %s is %v, want a file of the mounted TLS Secret", what, name, v)
		}
	}
	v := envVar(env, "CAIRN_TEMPORAL_API_KEY")
	if v == nil || v.ValueFrom == nil || v.ValueFrom.SecretKeyRef == nil || v.ValueFrom.SecretKeyRef.Name != "temporal-api-key" {
		t.Errorf("%s: CAIRN_TEMPORAL_API_KEY is %v, want Secret temporal-api-key's key", what, v)
	}
}

// checkClusterName wants the container to take CAIRN_CLUSTER_NAME from the
// clusterName key of ConfigMap cairn-temporal.
func checkClusterName(t *testing.T, what string, env []corev1.EnvVar) {
	t.Helper()
	v := envVar(env, "CAIRN_CLUSTER_NAME")
	if v == nil || v.ValueFrom == nil || v.ValueFrom.ConfigMapKeyRef == nil ||
		v.ValueFrom.ConfigMapKeyRef.Name != "cairn-temporal" || v.ValueFrom.ConfigMapKeyRef.Key != "clusterName" {
		t.Errorf("%s: CAIRN_CLUSTER_NAME is %v, want ConfigMap cairn-temporal's key clusterName", what, v)
	}
}

// findObject returns the rendered object kind/name, or an empty one.
func findObject(objs []*unstructured.Unstructured, kind, name string) *unstructured.Unstructured {
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return o
		}
	}
	return &unstructured.Unstructured{Object: map[string]any{}}
}

// toYAML marshals v for messages and searches.
func toYAML(t *testing.T, v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mustKubectl runs kubectl and fails the test on an error.
func mustKubectl(t *testing.T, kubeconfig string, args ...string) string {
	t.Helper()
	out, err := kubectl(t, kubeconfig, args...)
	if err != nil {
		t.Fatalf("kubectl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}
