package schema

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/cairn-backup/cairn/workflows/input"
)

// Node is one JSON Schema, as much of the vocabulary as Cairn's inputs need.
type Node struct {
	Schema               string           `json:"$schema,omitempty"`
	ID                   string           `json:"$id,omitempty"`
	Title                string           `json:"title,omitempty"`
	Ref                  string           `json:"$ref,omitempty"`
	Description          string           `json:"description,omitempty"`
	Type                 string           `json:"type,omitempty"`
	Format               string           `json:"format,omitempty"`
	Properties           map[string]*Node `json:"properties,omitempty"`
	AdditionalProperties any              `json:"additionalProperties,omitempty"`
	Items                *Node            `json:"items,omitempty"`
	OneOf                []*Node          `json:"oneOf,omitempty"`
	Defs                 map[string]*Node `json:"$defs,omitempty"`
	// Workflows maps each workflow type to its input's definition (an
	// annotation, which validators ignore).
	Workflows map[string]*Node `json:"x-cairn-workflows,omitempty"`
}

// Generate describes inputs (workflow type → zero value of its input) as
// one schema: a definition per struct type under $defs, closed to unknown
// members as the decoder is, and a root that accepts any of the inputs.
func Generate(id, title string, inputs map[string]any, docs Docs) ([]byte, error) {
	g := generator{docs: docs, defs: map[string]*Node{}, names: map[reflect.Type]string{}}
	root := &Node{Schema: "https://json-schema.org/draft/2020-12/schema", ID: id, Title: title,
		Workflows: map[string]*Node{}}
	for _, wf := range slices.Sorted(maps.Keys(inputs)) {
		ref := g.structRef(reflect.TypeOf(inputs[wf])) // it decodes itself, strictly, by its fields
		root.Workflows[wf] = ref
		root.OneOf = append(root.OneOf, &Node{Ref: ref.Ref})
	}
	root.Defs = g.defs
	return json.MarshalIndent(root, "", "  ")
}

type generator struct {
	docs  Docs
	defs  map[string]*Node
	names map[reflect.Type]string
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
)

func (g *generator) node(t reflect.Type) *Node {
	switch {
	case t == durationType:
		return &Node{Type: "integer", Description: "a duration in nanoseconds (a Go time.Duration)"}
	case t == timeType:
		return &Node{Type: "string", Format: "date-time"}
	case input.Opaque(t):
		return opaque(t)
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.node(t.Elem())
	case reflect.Struct:
		return g.structRef(t)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return &Node{Type: "string", Format: "byte"}
		}
		return &Node{Type: "array", Items: g.node(t.Elem())}
	case reflect.Map:
		return &Node{Type: "object", AdditionalProperties: g.node(t.Elem())}
	case reflect.String:
		return &Node{Type: "string"}
	case reflect.Bool:
		return &Node{Type: "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return &Node{Type: "integer"}
	case reflect.Float32, reflect.Float64:
		return &Node{Type: "number"}
	}
	return &Node{} // an interface: any JSON value
}

// opaque describes a type that decodes itself, by what Kubernetes' types
// of that kind take.
func opaque(t reflect.Type) *Node {
	switch t.String() {
	case "v1.Duration":
		return &Node{Type: "string", Description: "a duration such as 30s, 1m or 1h30m"}
	case "v1.Time":
		return &Node{Type: "string", Format: "date-time"}
	case "runtime.RawExtension":
		return &Node{Type: "object", Description: "a Kubernetes object, as JSON"}
	}
	return &Node{Description: "decoded by " + t.String()}
}

// structRef defines t under $defs once and refers to it.
func (g *generator) structRef(t reflect.Type) *Node {
	name, ok := g.names[t]
	if !ok {
		name = g.defName(t)
		g.names[t] = name
		def := &Node{Type: "object", Description: g.docs(t.PkgPath(), t.Name(), ""),
			Properties: map[string]*Node{}, AdditionalProperties: false}
		g.defs[name] = def
		for _, f := range input.Fields(t) {
			p := g.node(f.Type)
			if doc := g.docs(f.Owner.PkgPath(), f.Owner.Name(), f.GoName); doc != "" {
				p = describe(p, doc)
			}
			def.Properties[f.Name] = p
		}
	}
	return &Node{Ref: "#/$defs/" + name}
}

// defName is t's name, with its package's when another package's type
// has taken it.
func (g *generator) defName(t reflect.Type) string {
	name := t.Name()
	if _, taken := g.defs[name]; taken || name == "" {
		name = t.String()
	}
	return name
}

// describe gives p a description; a reference gets it beside the $ref.
func describe(p *Node, doc string) *Node {
	q := *p
	if q.Description != "" && q.Ref == "" {
		doc = doc + " JSON: " + q.Description + "."
	}
	q.Description = doc
	return &q
}
