package input

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type hook struct {
	Name    string          `json:"name"`
	Timeout metav1.Duration `json:"timeout,omitempty"`
	Skip    string          `json:"-"`
}

type base struct {
	Region string
}

type spec struct {
	base
	IncludedNamespaces []string `json:",omitempty"`
	Hooks              []hook   `json:"hooks,omitempty"`
	Labels             map[string]*hook
	Raw                []byte
}

type request struct {
	Name    string
	Spec    spec
	Timeout time.Duration `json:",omitempty"`
	secret  string
}

func TestCheckAcceptsWhatEncodingJSONKnows(t *testing.T) {
	for _, doc := range []string{
		`{}`, `null`, `{"Name":"a","Spec":null}`,
		`{"name":"a","spec":{"includednamespaces":["x"]}}`, // encoding/json ignores case
		`{"Spec":{"Region":"eu","hooks":[{"name":"h","timeout":"1m"}],"Labels":{"k":{"name":"v"},"n":null},"Raw":"AAE="}}`,
		`{"Spec":{"hooks":"not a list"}}`, // a wrong type is the decoder's to report
		`{"Timeout":1000000000}`,
	} {
		if err := Check([]byte(doc), reflect.TypeFor[request](), "the test input"); err != nil {
			t.Errorf("%s: %v", doc, err)
		}
	}
}

func TestCheckNamesTheUnknownFieldAndTheAcceptedOnes(t *testing.T) {
	for doc, want := range map[string]UnknownFieldError{
		`{"Name":"a","Spec":{"IncludeNamespaces":["x"]}}`: {Path: "Spec", Field: "IncludeNamespaces",
			Accepted: []string{"IncludedNamespaces", "hooks", "Labels", "Raw", "Region"}},
		`{"Nmae":"a"}`: {Field: "Nmae", Accepted: []string{"Name", "Spec", "Timeout"}},
		`{"Spec":{"hooks":[{"name":"h"},{"name":"h","Skip":"x"}]}}`: {Path: "Spec.hooks[1]", Field: "Skip",
			Accepted: []string{"name", "timeout"}},
		`{"Spec":{"Labels":{"k":{"nam":"v"}}}}`: {Path: `Spec.Labels["k"]`, Field: "nam", Accepted: []string{"name", "timeout"}},
		`{"secret":"s"}`:                        {Field: "secret", Accepted: []string{"Name", "Spec", "Timeout"}},
	} {
		err := Check([]byte(doc), reflect.TypeFor[request](), "the test input")
		var uf *UnknownFieldError
		if !errors.As(err, &uf) {
			t.Errorf("%s: %v", doc, err)
			continue
		}
		if uf.Path != want.Path || uf.Field != want.Field || strings.Join(uf.Accepted, ",") != strings.Join(want.Accepted, ",") {
			t.Errorf("%s: %+v, want %+v", doc, uf, want)
		}
	}
}

func TestUnknownFieldMessage(t *testing.T) {
	err := Check([]byte(`{"Spec":{"IncludeNamespaces":["x"]}}`), reflect.TypeFor[request](), "the Backup workflow's input")
	want := `the Backup workflow's input: unknown field "IncludeNamespaces" in Spec (did you mean "IncludedNamespaces"?); ` +
		`the accepted fields there are IncludedNamespaces, hooks, Labels, Raw, Region`
	if err == nil || err.Error() != want {
		t.Errorf("message\n%v\nwant\n%s", err, want)
	}
	if got := Nearest("Bucket", []string{"Name", "Spec"}); got != "" {
		t.Errorf("Nearest(Bucket) = %q, want no suggestion", got)
	}
}

func TestDecodeDecodesOnlyWhatChecks(t *testing.T) {
	var r request
	if err := Decode([]byte(`{"Name":"a","Spec":{"IncludedNamespaces":["x"],"Region":"eu"}}`), &r, "the test input"); err != nil {
		t.Fatal(err)
	}
	if r.Name != "a" || r.Spec.Region != "eu" || len(r.Spec.IncludedNamespaces) != 1 {
		t.Errorf("decoded %+v", r)
	}
	var bad request
	if err := Decode([]byte(`{"Name":"b","Spek":{}}`), &bad, "the test input"); err == nil || bad.Name != "" {
		t.Errorf("decoded %+v, %v", bad, err)
	}
	if err := Decode([]byte(`{"Name":3}`), &bad, "the test input"); err == nil || !strings.HasPrefix(err.Error(), "the test input: ") {
		t.Errorf("a wrong type: %v", err)
	}
}

// FuzzDecode: whatever the bytes, Decode does not panic, and what it
// accepts json.Unmarshal decodes the same way.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{`{"Name":"a","Spec":{"hooks":[{"name":"h","timeout":"1m"}]}}`, `{"Spec":{"Labels":{"k":null}}}`, `[1]`, `{"Nmae":1}`, `"x"`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var strict, plain request
		if err := Decode(data, &strict, "fuzz"); err != nil {
			return
		}
		if err := json.Unmarshal(data, &plain); err != nil {
			t.Fatalf("Decode accepted what json.Unmarshal refuses: %v", err)
		}
		if !reflect.DeepEqual(strict, plain) {
			t.Fatalf("Decode %+v, json.Unmarshal %+v", strict, plain)
		}
	})
}
