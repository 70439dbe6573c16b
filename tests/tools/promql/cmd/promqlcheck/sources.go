package main

import (
	"encoding/json"
	"fmt"
	"regexp"

	"sigs.k8s.io/yaml"
)

// ruleExprs are the expressions of a Prometheus rules file.
func ruleExprs(raw []byte) ([]found, error) {
	var rf struct {
		Groups []struct {
			Name  string `json:"name"`
			Rules []struct {
				Alert         string            `json:"alert"`
				Record        string            `json:"record"`
				Expr          string            `json:"expr"`
				For           string            `json:"for"`
				KeepFiringFor string            `json:"keep_firing_for"`
				Labels        map[string]string `json:"labels"`
				Annotations   map[string]string `json:"annotations"`
			} `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.UnmarshalStrict(raw, &rf); err != nil {
		return nil, err
	}
	var out []found
	for _, g := range rf.Groups {
		for i, r := range g.Rules {
			name := r.Alert + r.Record
			if r.Expr == "" {
				return nil, fmt.Errorf("group %s rule %d (%s) has no expr", g.Name, i, name)
			}
			out = append(out, found{where: "group " + g.Name + " rule " + name, expr: r.Expr})
		}
	}
	return out, nil
}

// panel is a dashboard panel, possibly a row holding panels.
type panel struct {
	Title   string  `json:"title"`
	Panels  []panel `json:"panels"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
}

// dashboardExprs are the expressions of a Grafana dashboard: each panel
// target's, and each query variable's label_values metric.
func dashboardExprs(raw []byte) ([]found, error) {
	var d struct {
		Panels     []panel `json:"panels"`
		Templating struct {
			List []struct {
				Name  string          `json:"name"`
				Type  string          `json:"type"`
				Query json.RawMessage `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	out := panelExprs(d.Panels)
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &q); err != nil {
			return nil, fmt.Errorf("variable %s: %w", v.Name, err)
		}
		m := labelValues.FindStringSubmatch(q.Query)
		if m == nil {
			return nil, fmt.Errorf("variable %s: query %q is not label_values(<selector>, <label>)", v.Name, q.Query)
		}
		out = append(out, found{where: "variable " + v.Name, expr: m[1]})
	}
	return out, nil
}

var labelValues = regexp.MustCompile(`^label_values\((.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$`)

func panelExprs(panels []panel) []found {
	var out []found
	for _, p := range panels {
		for i, t := range p.Targets {
			if t.Expr != "" {
				out = append(out, found{where: fmt.Sprintf("panel %q target %d", p.Title, i), expr: grafanaVars(t.Expr)})
			}
		}
		out = append(out, panelExprs(p.Panels)...)
	}
	return out
}

// grafanaVars replaces Grafana's interval variables with a duration and
// the others with a value, as Grafana does before it sends a query.
func grafanaVars(expr string) string {
	expr = intervalVar.ReplaceAllString(expr, "5m")
	return otherVar.ReplaceAllString(expr, "x")
}

var (
	intervalVar = regexp.MustCompile(`\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}`)
	otherVar    = regexp.MustCompile(`\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?`)
)
