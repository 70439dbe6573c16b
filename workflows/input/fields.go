package input

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
)

// Field is one JSON member of a struct type, as encoding/json names it.
type Field struct {
	// Name is the member's JSON name.
	Name string
	// GoName is the Go field's name (the innermost one for a promoted field).
	GoName string
	// Type is the field's Go type.
	Type reflect.Type
	// Optional tells whether the encoder leaves it out when empty
	// (omitempty or omitzero).
	Optional bool
	// Owner is the struct type that declares the field.
	Owner reflect.Type
}

// Fields lists the JSON members of struct type t in declaration order,
// with the fields of untagged embedded structs promoted, as encoding/json
// does (a name declared at a shallower depth wins).
func Fields(t reflect.Type) []Field {
	var out []Field
	seen := map[string]bool{}
	collect(t, seen, &out)
	return out
}

func collect(t reflect.Type, seen map[string]bool, out *[]Field) {
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		optional := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		*out = append(*out, Field{Name: name, GoName: f.Name, Type: f.Type, Optional: optional, Owner: t})
	}
	for _, et := range embedded {
		collect(et, seen, out)
	}
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Opaque tells whether t decodes itself (json.Unmarshaler or
// encoding.TextUnmarshaler, such as metav1.Duration): its members are its
// own business, not the walk's.
func Opaque(t reflect.Type) bool {
	return t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) ||
		t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)
}
