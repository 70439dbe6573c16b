package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// describer writes `describe` output laid out as Velero lays out its own
// (the same tabwriter settings): "Key: value" lines whose values line up,
// two spaces after the longest key, within each block of consecutive key
// lines. A blank line, or a line that is not a key's, ends a block.
type describer struct {
	w  io.Writer
	tw *tabwriter.Writer
}

func newDescriber(w io.Writer) *describer {
	return &describer{w: w, tw: tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)}
}

// line writes key and its value; an indented key ("  Included") lines
// up with its block.
func (d *describer) line(key, value string) {
	fmt.Fprintf(d.tw, "%s:\t%s\n", key, untabbed(value))
}

// text writes lines that are not a key's: headings ("Namespaces:"), blank
// lines.
func (d *describer) text(s string) {
	fmt.Fprint(d.tw, untabbed(s))
}

// meta writes Velero's metadata block: name, namespace, labels and
// annotations.
func (d *describer) meta(name, namespace string, labels, annotations map[string]string) {
	d.line("Name", name)
	d.line("Namespace", namespace)
	d.pairs("Labels", labels)
	d.pairs("Annotations", annotations)
}

// pairs writes m under key as Velero does: one key=value pair a line,
// sorted, the first on the key's line; <none> when m is empty.
func (d *describer) pairs(key string, m map[string]string) {
	if len(m) == 0 {
		d.line(key, "<none>")
		return
	}
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i == 0 {
			d.line(key, k+"="+m[k])
			continue
		}
		fmt.Fprintf(d.tw, "\t%s\n", untabbed(k+"="+m[k]))
	}
}

// raw ends the blocks written so far and returns the output itself, for
// what lays itself out (pod volumes, hooks, resource lists).
func (d *describer) raw() io.Writer {
	_ = d.tw.Flush()
	return d.w
}

// flush ends the output.
func (d *describer) flush() error { return d.tw.Flush() }

// untabbed keeps a value's tabs from starting cells of their own.
func untabbed(s string) string { return strings.ReplaceAll(s, "\t", " ") }
