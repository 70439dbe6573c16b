package testbed

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Samples are one scrape's values by series, `name{label="value",...}`
// with the labels sorted (histograms as their _count and _sum).
type Samples map[string]float64

// Scrape reads http://addr/metrics.
func Scrape(t testing.TB, addr string) Samples {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("scraping %s: %v", addr, err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing the metrics of %s: %v", addr, err)
	}
	s := Samples{}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			s.add(name, m)
		}
	}
	return s
}

func (s Samples) add(name string, m *dto.Metric) {
	labels := series(m.GetLabel())
	switch {
	case m.Counter != nil:
		s[name+labels] = m.GetCounter().GetValue()
	case m.Gauge != nil:
		s[name+labels] = m.GetGauge().GetValue()
	case m.Histogram != nil:
		s[name+"_count"+labels] = float64(m.GetHistogram().GetSampleCount())
		s[name+"_sum"+labels] = m.GetHistogram().GetSampleSum()
	case m.Untyped != nil:
		s[name+labels] = m.GetUntyped().GetValue()
	}
}

// series is `{a="1",b="2"}`, or "" without labels.
func series(labels []*dto.LabelPair) string {
	if len(labels) == 0 {
		return ""
	}
	parts := make([]string, 0, len(labels))
	for _, l := range labels {
		parts = append(parts, l.GetName()+`="`+l.GetValue()+`"`)
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

// Names are the metric families present, with a prefix.
func (s Samples) Names(prefix string) []string {
	seen := map[string]bool{}
	for k := range s {
		name, _, _ := strings.Cut(k, "{")
		if strings.HasPrefix(name, prefix) {
			seen[name] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
