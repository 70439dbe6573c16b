// Command promqlcheck parses every PromQL expression of Prometheus rule
// files (groups[].rules[].expr) and Grafana dashboards (the panels'
// targets and the query variables) with Prometheus's own parser, and
// prints one JSON line per expression: its file, where in it, the
// expression and the metric names it selects. An expression that does not
// parse is an error naming the file and the place; the exit status is then 1.
//
//	promqlcheck deploy/monitoring/cairn-rules.yaml deploy/monitoring/cairn-dashboard.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Expr is one expression found in a file.
type Expr struct {
	File    string   `json:"file"`
	Where   string   `json:"where"`
	Expr    string   `json:"expr"`
	Metrics []string `json:"metrics"`
}

func main() {
	failed := false
	enc := json.NewEncoder(os.Stdout)
	for _, file := range os.Args[1:] {
		exprs, err := check(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, "promqlcheck:", err)
			failed = true
		}
		for _, e := range exprs {
			_ = enc.Encode(e)
		}
	}
	if failed || len(os.Args) < 2 {
		os.Exit(1)
	}
}

// check reads one rules file (.yaml, .yml) or dashboard (.json).
func check(file string) ([]Expr, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var found []found
	switch filepath.Ext(file) {
	case ".json":
		found, err = dashboardExprs(raw)
	default:
		found, err = ruleExprs(raw)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var out []Expr
	for _, f := range found {
		metrics, err := parse(f.expr)
		if err != nil {
			return out, fmt.Errorf("%s: %s: %w", file, f.where, err)
		}
		out = append(out, Expr{File: file, Where: f.where, Expr: f.expr, Metrics: metrics})
	}
	return out, nil
}

// found is an expression and where it was.
type found struct{ where, expr string }
