package searchattrs

import (
	"context"
	"errors"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"google.golang.org/grpc"
)

// fakeOperator has some attributes and answers an add with addErr.
type fakeOperator struct {
	operatorservice.OperatorServiceClient
	have   map[string]enumspb.IndexedValueType
	addErr error
	added  map[string]enumspb.IndexedValueType
}

func (f *fakeOperator) ListSearchAttributes(context.Context, *operatorservice.ListSearchAttributesRequest, ...grpc.CallOption) (*operatorservice.ListSearchAttributesResponse, error) {
	return &operatorservice.ListSearchAttributesResponse{CustomAttributes: f.have}, nil
}

func (f *fakeOperator) AddSearchAttributes(_ context.Context, r *operatorservice.AddSearchAttributesRequest, _ ...grpc.CallOption) (*operatorservice.AddSearchAttributesResponse, error) {
	f.added = r.GetSearchAttributes()
	return &operatorservice.AddSearchAttributesResponse{}, f.addErr
}

var want = map[string]enumspb.IndexedValueType{
	"CairnKind": enumspb.INDEXED_VALUE_TYPE_KEYWORD, "CairnName": enumspb.INDEXED_VALUE_TYPE_KEYWORD,
}

func TestEnsureAddsOnlyTheMissing(t *testing.T) {
	op := &fakeOperator{have: map[string]enumspb.IndexedValueType{"CairnKind": enumspb.INDEXED_VALUE_TYPE_KEYWORD}}
	added, err := Ensure(context.Background(), op, "prod", want)
	if err != nil || len(added) != 1 || added[0] != "CairnName" || len(op.added) != 1 {
		t.Fatalf("added %v (%v), asked %v", added, err, op.added)
	}
	op = &fakeOperator{have: want}
	if added, err := Ensure(context.Background(), op, "prod", want); err != nil || added != nil || op.added != nil {
		t.Fatalf("with every attribute there: added %v, %v", added, err)
	}
}

// Temporal Cloud refuses the operator API: the error names the commands.
func TestEnsureRefusedNamesTheCommands(t *testing.T) {
	op := &fakeOperator{addErr: serviceerror.NewPermissionDenied("Request unauthorized.", "")}
	_, err := Ensure(context.Background(), op, "prod.a1b2c", want)
	var nr *NotRegisteredError
	if !errors.As(err, &nr) {
		t.Fatalf("error %v", err)
	}
	for _, line := range []string{
		"temporal operator search-attribute create --namespace prod.a1b2c --name CairnKind --type Keyword",
		"temporal operator search-attribute create --namespace prod.a1b2c --name CairnName --type Keyword",
		`Temporal namespace "prod.a1b2c" lacks the search attributes CairnKind, CairnName`,
	} {
		if !strings.Contains(err.Error(), line) {
			t.Errorf("error lacks %q:\n%v", line, err)
		}
	}
	op = &fakeOperator{addErr: serviceerror.NewUnavailable("down")}
	if _, err := Ensure(context.Background(), op, "prod", want); err == nil || errors.As(err, &nr) {
		t.Errorf("an unavailable server: %v", err)
	}
}
