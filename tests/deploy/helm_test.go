package deploy

import (
	"bufio"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/tests/testbed"
)

// helmNamespace is the release namespace of the chart's dry runs, apart from
// the namespace TestApply fills for real.
const helmNamespace = "cairn-helm"

// allFeatures turns every optional object on, with Temporal TLS and an API key.
var allFeatures = []string{
	"--set", "metrics.serviceMonitor.enabled=true",
	"--set", "metrics.prometheusRule.enabled=true",
	"--set", "server.podDisruptionBudget.enabled=true",
	"--set", "server.priorityClassName=system-cluster-critical",
	"--set", "nodeAgent.priorityClassName=system-node-critical",
	"--set", "temporal.tls.existingSecret=temporal-tls",
	"--set", "temporal.apiKey.existingSecret=temporal-api-key",
	"--set", "credentials.create=true",
	"--set", "credentials.data.AWS_ACCESS_KEY_ID=id",
	"--set", "temporal.clusterName=east",
}

// chartDir is the folder of the Helm chart.
func chartDir(t *testing.T) string {
	return filepath.Join(deployDir(t), "helm", "cairn")
}

// helmRender runs helmrender on the chart with args before the chart folder.
func helmRender(t *testing.T, args ...string) (string, error) {
	t.Helper()
	bin, err := testbed.Tool("helmrender")
	if err != nil {
		t.Fatal(err)
	}
	args = append(append([]string{"--namespace", helmNamespace}, args...), chartDir(t))
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}

// helmObjects renders the chart and decodes its objects.
func helmObjects(t *testing.T, args ...string) (string, []*unstructured.Unstructured) {
	t.Helper()
	out, err := helmRender(t, args...)
	if err != nil {
		t.Fatalf("helmrender %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var objs []*unstructured.Unstructured
	dec := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(out)))
	for {
		doc, err := dec.Read()
		if err == io.EOF {
			return out, objs
		}
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(doc, &m); err != nil {
			t.Fatalf("rendered YAML: %v\n%s", err, doc)
		}
		if m != nil {
			objs = append(objs, &unstructured.Unstructured{Object: m})
		}
	}
}

// kindNames lists the objects as "Kind/name".
func kindNames(objs []*unstructured.Unstructured) map[string]bool {
	set := map[string]bool{}
	for _, o := range objs {
		set[o.GetKind()+"/"+o.GetName()] = true
	}
	return set
}

// typed converts the rendered object named kind/name into T.
func typed[T any](t *testing.T, objs []*unstructured.Unstructured, kind, name string) *T {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			v := new(T)
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, v); err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("the chart renders no %s/%s", kind, name)
	return nil
}
