package cli

import (
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/pflag"
)

// keyValues is a flag of key=value pairs, as Velero's --labels and
// --annotations take them: "k1=v1,k2=v2", a pair holding a comma quoted
// ('"k=a,b",k2=v'). Given twice, it adds the pairs.
type keyValues map[string]string

func (m *keyValues) Set(s string) error {
	r := csv.NewReader(strings.NewReader(s))
	pairs, err := r.Read()
	if err != nil {
		return fmt.Errorf("%q: %v; write key=value pairs separated by commas", s, err)
	}
	if *m == nil {
		*m = keyValues{}
	}
	for _, pair := range pairs {
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return fmt.Errorf("%q is not key=value; write e.g. team=web,tier=prod", pair)
		}
		(*m)[k] = v
	}
	return nil
}

func (m *keyValues) String() string {
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(*m)) {
		pairs = append(pairs, k+"="+(*m)[k])
	}
	return strings.Join(pairs, ",")
}

func (m *keyValues) Type() string { return "mapStringString" }

// metaFlags are --labels and --annotations, Velero's flags for the
// metadata of what a command creates.
type metaFlags struct {
	labels, annotations keyValues
}

// addMetaFlags registers --labels and --annotations on f; what names what
// they go on ("the backup").
func addMetaFlags(f *pflag.FlagSet, what string) *metaFlags {
	m := &metaFlags{}
	f.Var(&m.labels, "labels", "labels to apply to "+what+" (key=value pairs separated by commas)")
	f.Var(&m.annotations, "annotations", "annotations to apply to "+what+" (key=value pairs separated by commas)")
	return m
}
