package input

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Decode decodes data into v (a pointer) as json.Unmarshal does, after
// Check has found every member of data known; what names the input in
// errors ("the Backup workflow's input"). A type whose UnmarshalJSON calls
// Decode must pass a pointer to a type without that method (a defined type
// with the same fields), or it would call itself.
func Decode(data []byte, v any, what string) error {
	if err := Check(data, reflect.TypeOf(v).Elem(), what); err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Check reports the first member of the JSON document data that type t
// has no field for, as an *UnknownFieldError. Names match as encoding/json
// matches them (exactly, or else ignoring case). Members of a wrong JSON
// type are left to the decoder to report.
func Check(data []byte, t reflect.Type, what string) error {
	return check(bytes.TrimSpace(data), t, "", what)
}

func check(raw []byte, t reflect.Type, path, what string) error {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) || Opaque(t) {
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return check(raw, t.Elem(), path, what)
	case reflect.Struct:
		return checkStruct(raw, t, path, what)
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is a base64 string
		}
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for i, item := range items {
			if err := check(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), what); err != nil {
				return err
			}
		}
	case reflect.Map:
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil {
			return nil
		}
		for _, k := range sortedKeys(members) {
			if err := check(members[k], t.Elem(), fmt.Sprintf("%s[%q]", path, k), what); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkStruct(raw []byte, t reflect.Type, path, what string) error {
	var members map[string]json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		return nil
	}
	fields := Fields(t)
	for _, k := range sortedKeys(members) {
		f, ok := lookup(fields, k)
		if !ok {
			return &UnknownFieldError{Input: what, Path: path, Field: k, Accepted: names(fields)}
		}
		if err := check(members[k], f.Type, join(path, f.Name), what); err != nil {
			return err
		}
	}
	return nil
}

// lookup finds the field member k sets, as encoding/json does.
func lookup(fields []Field, k string) (Field, bool) {
	for _, f := range fields {
		if f.Name == k {
			return f, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.Name, k) {
			return f, true
		}
	}
	return Field{}, false
}

func names(fields []Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
