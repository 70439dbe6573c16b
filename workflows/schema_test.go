package workflows

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cairn-backup/cairn/workflows/input/schema"
)

var updateSchema = flag.Bool("update-schema", false, "write inputs.schema.json from the input types (make schema)")

// SchemaFile is the JSON Schema of every workflow input, generated from
// Inputs by `make schema`.
const schemaFile = "inputs.schema.json"

func generateSchema(t *testing.T) []byte {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	out, err := schema.Generate("https://github.com/cairn-backup/cairn/workflows/inputs.schema.json",
		"Cairn workflow inputs", Inputs, schema.SourceDocs(root, "github.com/cairn-backup/cairn"))
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// TestInputSchemaIsCurrent fails when an input type or its doc comments
// changed without `make schema`.
func TestInputSchemaIsCurrent(t *testing.T) {
	want := generateSchema(t)
	if *updateSchema {
		if err := os.WriteFile(schemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("%v: run `make schema`", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the input types give: run `make schema` and commit it", schemaFile)
	}
	if !bytes.Contains(got, []byte(`"IncludedNamespaces"`)) {
		t.Errorf("the schema lacks BackupSpec's members")
	}
}

// The checked-in schema, with a real validator, accepts the inputs the
// README shows and refuses a misspelt member, as the decoder does.
func TestInputSchemaValidates(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(generateSchema(t)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaFile, doc); err != nil {
		t.Fatal(err)
	}
	for wf, tc := range map[string]struct{ good, bad string }{
		"Backup": {
			`{"Name":"nginx-backup","Spec":{"IncludedNamespaces":["nginx-example"],"TTL":"72h","Hooks":{"resources":[{"name":"freeze","pre":[{"exec":{"command":["sync"],"timeout":"1m"}}]}]}}}`,
			`{"Name":"nginx-backup","Spec":{"IncludeNamespaces":["nginx-example"]}}`},
		"Restore": {
			`{"Name":"r1","Spec":{"BackupName":"nginx-backup","NamespaceMappings":{"a":"b"}}}`,
			`{"Name":"r1","Spec":{"Backup":"nginx-backup"}}`},
		"ScheduledBackup": {
			`{"Schedule":"daily","Spec":{"IncludedNamespaces":["nginx-example"]}}`,
			`{"Schedule":"daily","Spec":{},"Every":"24h"}`},
	} {
		sch, err := c.Compile(schemaFile + "#/$defs/" + wf + "Input")
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []string{tc.good, tc.bad} {
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			verr := sch.Validate(v)
			derr := json.Unmarshal([]byte(in), reflect.New(reflect.TypeOf(Inputs[wf])).Interface())
			if (verr == nil) != (in == tc.good) || (derr == nil) != (in == tc.good) {
				t.Errorf("%s %s: schema says %v, decoder says %v", wf, in, verr, derr)
			}
		}
	}
}
