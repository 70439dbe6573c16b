package main

import (
	"strings"

	"helm.sh/helm/v4/pkg/cli/values"
)

// options is what one rendering needs: the chart, the release and the values.
type options struct {
	chartDir  string
	namespace string
	release   string
	values    values.Options
	// includeCRDs puts the chart's crds/ files before the templates.
	includeCRDs bool
}

// listFlag is a repeatable string flag.
type listFlag []string

// String joins the values given so far.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set appends one value.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}
