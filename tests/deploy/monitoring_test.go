package deploy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cairn-backup/cairn/tests/testbed"
	"github.com/cairn-backup/cairn/worker/metrics"
)

// promExpr is one expression promqlcheck parsed.
type promExpr struct {
	File, Where, Expr string
	Metrics           []string
}

// TestMonitoring parses every PromQL expression of deploy/monitoring's
// alert rules and dashboard with Prometheus's own parser (promqlcheck) and
// checks that each metric they use is one that Cairn's server or node
// agent registers, that the rules cover what an operator alerts on, and
// that the chart's PrometheusRule carries the same rules.
func TestMonitoring(t *testing.T) {
	dir := filepath.Join(deployDir(t), "monitoring")
	exprs := promqlcheck(t, filepath.Join(dir, "cairn-rules.yaml"), filepath.Join(dir, "cairn-dashboard.json"))
	exposed := exposedMetrics(t)
	used := map[string]bool{}
	for _, e := range exprs {
		if len(e.Metrics) == 0 {
			t.Errorf("%s: %s selects no metric: %s", e.File, e.Where, e.Expr)
		}
		for _, m := range e.Metrics {
			used[m] = true
			if !exposed[m] {
				t.Errorf("%s: %s uses %s, which Cairn does not expose", filepath.Base(e.File), e.Where, m)
			}
		}
	}
	for _, alert := range []string{"CairnBackupFailing", "CairnScheduleNoRecentSuccess", "CairnBackupLocationUnavailable",
		"CairnRepositoryMaintenanceFailing", "CairnNodeWithoutAgent", "CairnVolumeBackupSlow"} {
		if !slices.ContainsFunc(exprs, func(e promExpr) bool { return strings.HasSuffix(e.Where, " rule "+alert) }) {
			t.Errorf("the rules lack %s", alert)
		}
	}
	if len(used) < 20 {
		t.Errorf("the rules and dashboard use only %d metrics", len(used))
	}
	rules, _ := os.ReadFile(filepath.Join(dir, "cairn-rules.yaml"))
	chartRules, _ := os.ReadFile(filepath.Join(deployDir(t), "helm/cairn/files/cairn-rules.yaml"))
	if len(rules) == 0 || !bytes.Equal(rules, chartRules) {
		t.Error("deploy/helm/cairn/files/cairn-rules.yaml differs from deploy/monitoring/cairn-rules.yaml: copy it over")
	}
}

// A broken expression fails promqlcheck with the place it is in: the
// check above cannot pass by parsing nothing.
func TestPromqlcheckRefusesBadPromQL(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("groups:\n  - name: g\n    rules:\n      - alert: Broken\n        expr: rate(velero_backup_total[5m]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool(t, "promqlcheck"), bad).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "rule Broken") || !strings.Contains(string(out), "parse error") {
		t.Fatalf("promqlcheck of a broken rule: %v\n%s", err, out)
	}
}

func tool(t *testing.T, name string) string {
	t.Helper()
	bin, err := testbed.Tool(name)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func promqlcheck(t *testing.T, files ...string) []promExpr {
	t.Helper()
	out, err := exec.Command(tool(t, "promqlcheck"), files...).Output()
	if err != nil {
		t.Fatalf("promqlcheck: %v\n%s", err, stderr(err))
	}
	var exprs []promExpr
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e promExpr
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		exprs = append(exprs, e)
	}
	return exprs
}

func stderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// exposedMetrics are the metric names the server's and a node agent's
// collectors describe, with the series names of histograms.
func exposedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	rec := &recordingRegisterer{names: map[string]bool{}}
	metrics.NewServer(rec)
	metrics.NewNodeAgent(rec, "node")
	metrics.NewTotals(rec, nil, "")
	metrics.NewSchedules(rec, nil, "")
	metrics.NewAgents(rec, nil, nil, "", "")
	metrics.NewBacklog(rec, nil, "", "", "node")
	return rec.names
}

// recordingRegisterer notes the names of the descriptions of what is
// registered on it.
type recordingRegisterer struct{ names map[string]bool }

var fqName = regexp.MustCompile(`fqName: "([^"]+)"`)

func (r *recordingRegisterer) Register(c prometheus.Collector) error {
	ch := make(chan *prometheus.Desc, 64)
	go func() { c.Describe(ch); close(ch) }()
	for d := range ch {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			for _, suffix := range []string{"", "_bucket", "_count", "_sum"} {
				r.names[m[1]+suffix] = true
			}
		}
	}
	return nil
}

func (r *recordingRegisterer) MustRegister(cs ...prometheus.Collector) {
	for _, c := range cs {
		_ = r.Register(c)
	}
}

func (r *recordingRegisterer) Unregister(prometheus.Collector) bool { return false }
