package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/deploy/release"
)

// optionalKinds are the objects only optional values turn on.
var optionalKinds = []string{"ServiceMonitor/cairn", "PrometheusRule/cairn", "PodDisruptionBudget/cairn",
	"Service/cairn-metrics", "Secret/cairn-credentials"}

// TestHelmChartVersion checks that the chart's appVersion is the release
// version (deploy/release) and its version the same without the "v".
func TestHelmChartVersion(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(chartDir(t), "Chart.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var chart struct{ AppVersion, Version string }
	if err := yaml.Unmarshal(raw, &chart); err != nil {
		t.Fatal(err)
	}
	if chart.AppVersion != release.Version || "v"+chart.Version != chart.AppVersion {
		t.Fatalf("Chart.yaml version %q appVersion %q, release %s", chart.Version, chart.AppVersion, release.Version)
	}
}

// TestHelmDefaults renders the default values: the workloads run the
// appVersion's image, and no optional object is there.
func TestHelmDefaults(t *testing.T) {
	_, objs := helmObjects(t)
	have := kindNames(objs)
	for _, k := range optionalKinds {
		if have[k] {
			t.Errorf("the default rendering has %s", k)
		}
	}
	d := typed[appsv1.Deployment](t, objs, "Deployment", "cairn")
	ds := typed[appsv1.DaemonSet](t, objs, "DaemonSet", "cairn-node-agent")
	for _, img := range []string{d.Spec.Template.Spec.Containers[0].Image, ds.Spec.Template.Spec.Containers[0].Image} {
		if img != "ghcr.io/cairn-backup/cairn:v0.2.0-dev" {
			t.Errorf("image %q, want the appVersion's tag", img)
		}
	}
	if envVar(d.Spec.Template.Spec.Containers[0].Env, "CAIRN_TEMPORAL_TLS_CERT") != nil {
		t.Error("TLS env without a TLS Secret")
	}
}

// TestHelmAllFeatures renders every optional object, TLS and an API key.
func TestHelmAllFeatures(t *testing.T) {
	_, objs := helmObjects(t, allFeatures...)
	have := kindNames(objs)
	for _, k := range append(optionalKinds, "Service/cairn-node-agent-metrics") {
		if !have[k] {
			t.Errorf("every feature on, but no %s", k)
		}
	}
	d := typed[appsv1.Deployment](t, objs, "Deployment", "cairn")
	ds := typed[appsv1.DaemonSet](t, objs, "DaemonSet", "cairn-node-agent")
	for _, spec := range []struct {
		name string
		pod  *appsv1.DeploymentSpec
	}{{"cairn", &d.Spec}, {"cairn-node-agent", &appsv1.DeploymentSpec{Template: ds.Spec.Template}}} {
		checkTLS(t, spec.name, spec.pod.Template.Spec.Containers[0].Env)
		checkClusterName(t, spec.name, spec.pod.Template.Spec.Containers[0].Env)
		if spec.pod.Template.Spec.PriorityClassName == "" {
			t.Errorf("%s: no priorityClassName", spec.name)
		}
	}
	if cm := typed[corev1.ConfigMap](t, objs, "ConfigMap", "cairn-temporal"); cm.Data["clusterName"] != "east" {
		t.Errorf("ConfigMap cairn-temporal: clusterName %q, want east", cm.Data["clusterName"])
	}
	rule := findObject(objs, "PrometheusRule", "cairn")
	if !strings.Contains(toYAML(t, rule.Object), "alert: CairnBackupFailing") {
		t.Errorf("the PrometheusRule lacks CairnBackupFailing:\n%s", toYAML(t, rule.Object))
	}
}

// TestHelmNodeAgentOff renders without node agents: no DaemonSet, no RBAC of theirs.
func TestHelmNodeAgentOff(t *testing.T) {
	_, objs := helmObjects(t, append(allFeatures, "--set", "nodeAgent.enabled=false")...)
	have := kindNames(objs)
	for k := range have {
		if strings.HasSuffix(k, "/cairn-node-agent") || strings.HasSuffix(k, "/cairn-node-agent-metrics") {
			t.Errorf("node agent off, but the chart renders %s", k)
		}
	}
	if !have["Deployment/cairn"] {
		t.Error("node agent off took the controller with it")
	}
}

// TestHelmBadValues checks that the schema names a misspelt or wrong-typed value.
func TestHelmBadValues(t *testing.T) {
	for set, want := range map[string]string{
		"nodeAgent.enabeld=false":     "'enabeld' not allowed",
		"nodeAgent.enabled=maybe":     "/nodeAgent/enabled': got string, want boolean",
		"image.pullPolicy=Sometimes":  "/image/pullPolicy",
		"nodeAgent.concurrency=two":   "/nodeAgent/concurrency': got string, want integer",
		"temporal.clusterName=Prod/1": "/temporal/clusterName",
	} {
		out, err := helmRender(t, "--set", set)
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("--set %s: err %v, want a failure naming %q; output:\n%.600s", set, err, want, out)
		}
	}
}
