// Command helmrender renders a Helm chart directory to stdout, as
// `helm template` does, with Helm's own Go library:
//
//	helmrender [--namespace NS] [--release NAME] [--include-crds] [-f values.yaml]... [--set k=v]... [--set-string k=v]... CHART_DIR
//
// --include-crds puts the chart's crds/ files first, as `helm template
// --include-crds` does: the CRDs `helm install` creates before the templates.
//
// Values that break the chart's values.schema.json, a template that fails or
// an unreadable values file end it with the reason on stderr and exit code 1.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "helmrender:", err)
		os.Exit(1)
	}
}

// run parses args, renders the chart and writes its manifests to stdout.
func run(args []string) error {
	opts, err := parseArgs(args)
	if err != nil {
		return err
	}
	docs, err := renderChart(opts)
	if err != nil {
		return err
	}
	_, err = os.Stdout.WriteString(docs)
	return err
}

// parseArgs reads the command line into options.
func parseArgs(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("helmrender", flag.ContinueOnError)
	fs.StringVar(&o.namespace, "namespace", "cairn", "the release's namespace")
	fs.StringVar(&o.release, "release", "cairn", "the release's name")
	fs.BoolVar(&o.includeCRDs, "include-crds", false, "put the chart's crds/ files first")
	fs.Var((*listFlag)(&o.values.ValueFiles), "f", "a values file (repeatable)")
	fs.Var((*listFlag)(&o.values.Values), "set", "a value, key=value (repeatable)")
	fs.Var((*listFlag)(&o.values.StringValues), "set-string", "a string value, key=value (repeatable)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() != 1 {
		return o, fmt.Errorf("want exactly one chart directory after the flags, got %d arguments", fs.NArg())
	}
	o.chartDir = fs.Arg(0)
	return o, nil
}
