package main

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	"helm.sh/helm/v4/pkg/getter"
)

// renderChart loads the chart, checks the values against its schema and
// returns its manifests as one multi-document YAML stream, in file order.
func renderChart(o options) (string, error) {
	ch, err := loader.LoadDir(o.chartDir)
	if err != nil {
		return "", fmt.Errorf("load chart %s: %w", o.chartDir, err)
	}
	vals, err := o.values.MergeValues(getter.Providers{})
	if err != nil {
		return "", fmt.Errorf("read values: %w", err)
	}
	rel := common.ReleaseOptions{Name: o.release, Namespace: o.namespace, Revision: 1, IsInstall: true}
	top, err := util.ToRenderValues(ch, vals, rel, common.DefaultCapabilities)
	if err != nil {
		return "", err
	}
	files, err := engine.Engine{Strict: true}.Render(ch, top)
	if err != nil {
		return "", fmt.Errorf("render chart %s: %w", o.chartDir, err)
	}
	out := joinManifests(files)
	if o.includeCRDs {
		out = joinCRDs(ch) + out
	}
	return out, nil
}

// joinCRDs concatenates the files of the chart's crds/ folder, in the order
// Helm reads them, each under a "# Source:" comment (a file's own leading
// "---" dropped); Helm installs them as they are, never templated.
func joinCRDs(ch *chart.Chart) string {
	var b strings.Builder
	for _, crd := range ch.CRDObjects() {
		body := strings.TrimPrefix(strings.TrimSpace(string(crd.File.Data)), "---\n")
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", crd.Filename, body)
	}
	return b.String()
}

// joinManifests concatenates the rendered files that hold YAML, sorted by
// name, each under a "# Source:" comment, skipping empty files and NOTES.txt.
func joinManifests(files map[string]string) string {
	names := make([]string, 0, len(files))
	for name, body := range files {
		if path.Ext(name) == ".yaml" && strings.TrimSpace(body) != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", name, strings.TrimSpace(files[name]))
	}
	return b.String()
}
