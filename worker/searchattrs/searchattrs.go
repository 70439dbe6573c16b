// Package searchattrs registers the custom search attributes Cairn's
// workflows set, on any Temporal namespace, through the operator API.
package searchattrs

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
)

// Types maps each attribute key to the indexed value type Temporal stores.
func Types(keys []temporal.SearchAttributeKey) map[string]enumspb.IndexedValueType {
	out := make(map[string]enumspb.IndexedValueType, len(keys))
	for _, k := range keys {
		out[k.GetName()] = k.GetValueType()
	}
	return out
}

// Missing lists the attributes of want that namespace lacks.
func Missing(ctx context.Context, op operatorservice.OperatorServiceClient, namespace string,
	want map[string]enumspb.IndexedValueType) (map[string]enumspb.IndexedValueType, error) {
	resp, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return nil, fmt.Errorf("listing the search attributes of Temporal namespace %q: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, typ := range want {
		if _, ok := resp.GetCustomAttributes()[name]; !ok {
			missing[name] = typ
		}
	}
	return missing, nil
}

// Ensure registers the attributes of want that namespace lacks and tells
// which it added. Where the operator API refuses (Temporal Cloud, or a
// role without the right), the error is a *NotRegisteredError, which names
// the commands an administrator runs instead.
func Ensure(ctx context.Context, op operatorservice.OperatorServiceClient, namespace string,
	want map[string]enumspb.IndexedValueType) ([]string, error) {
	missing, err := Missing(ctx, op, namespace, want)
	if err != nil || len(missing) == 0 {
		return nil, err
	}
	_, err = op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	})
	var exists *serviceerror.AlreadyExists
	switch {
	case errors.As(err, &exists): // another worker added them just now
	case refused(err):
		return nil, &NotRegisteredError{Namespace: namespace, Missing: missing, Cause: err}
	case err != nil:
		return nil, fmt.Errorf("adding the search attributes %s to Temporal namespace %q: %w",
			strings.Join(sortedNames(missing), ", "), namespace, err)
	}
	return sortedNames(missing), nil
}

// refused tells whether the server will not let this client add search
// attributes: no right, or no operator API (Temporal Cloud).
func refused(err error) bool {
	var denied *serviceerror.PermissionDenied
	var unimplemented *serviceerror.Unimplemented
	var invalid *serviceerror.InvalidArgument
	return errors.As(err, &denied) || errors.As(err, &unimplemented) || errors.As(err, &invalid)
}

// NotRegisteredError is a namespace that lacks Cairn's search attributes
// and would not take them from this client.
type NotRegisteredError struct {
	Namespace string
	Missing   map[string]enumspb.IndexedValueType
	Cause     error
}

func (e *NotRegisteredError) Error() string {
	return fmt.Sprintf("Temporal namespace %q lacks the search attributes %s and refused to add them (%v); "+
		"have an administrator add them, then start again:\n%s", e.Namespace,
		strings.Join(sortedNames(e.Missing), ", "), e.Cause, strings.Join(e.Commands(), "\n"))
}

func (e *NotRegisteredError) Unwrap() error { return e.Cause }

// Commands are the temporal CLI commands that add the missing attributes.
func (e *NotRegisteredError) Commands() []string {
	var out []string
	for _, name := range sortedNames(e.Missing) {
		out = append(out, fmt.Sprintf("  temporal operator search-attribute create --namespace %s --name %s --type %s",
			e.Namespace, name, typeName(e.Missing[name])))
	}
	return out
}

// typeName is the type as the temporal CLI takes it (Keyword, Text, Int, …).
func typeName(t enumspb.IndexedValueType) string {
	return t.String()
}

func sortedNames(m map[string]enumspb.IndexedValueType) []string {
	return slices.Sorted(maps.Keys(m))
}
