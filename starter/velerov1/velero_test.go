package velerov1_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/cairn-backup/cairn/starter/velerov1"
)

// The tests here hold the package to Velero v1.18.3 itself: its CRDs and its
// Go API types, read from its module, which the tools module
// tests/tools/velero pins.

const veleroModulePath = "github.com/vmware-tanzu/velero"

// veleroModule returns the folder of Velero's module source, downloading it
// from the module proxy if the module cache lacks it, or skips the test.
func veleroModule(t *testing.T) string {
	t.Helper()
	tools := filepath.Join(moduleRoot(t), "tests", "tools", "velero")
	if !fileExists(filepath.Join(tools, "go.mod")) {
		t.Skipf("no tests/tools/velero module to pin Velero's version: cannot compare with Velero")
	}
	dir := func() string {
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", veleroModulePath)
		cmd.Dir = tools
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	d := dir()
	if d == "" {
		cmd := exec.Command("go", "mod", "download", veleroModulePath)
		cmd.Dir = tools
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("Velero's module %s cannot be found or downloaded from tests/tools/velero: %v\n%s", veleroModulePath, err, out)
		}
		d = dir()
	}
	if d == "" || !fileExists(filepath.Join(d, "pkg", "apis", "velero", "v1")) {
		t.Skipf("Velero's module %s is not in the module cache (go list -m gives %q)", veleroModulePath, d)
	}
	return d
}

// readCRD decodes one CRD file.
func readCRD(t *testing.T, path string) *apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(data, crd); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return crd
}

// TestCRDsMatchVelero compares each of Cairn's CRDs with Velero's own: the
// names, scope, versions, subresources and printer columns, and, path by
// path (spec.hooks.resources[].pre[].exec.command), each property's type,
// format, enum, required fields, nullability, default, bounds and pruning.
// Only the descriptions, which are Cairn's own, may differ.
func TestCRDsMatchVelero(t *testing.T) {
	bases := filepath.Join(veleroModule(t), "config", "crd", "v1", "bases")
	ours := filepath.Join(moduleRoot(t), "deploy", "crds")
	theirs := crdFiles(t, bases)
	var want []string
	for _, k := range velerov1.Kinds() {
		want = append(want, "velero.io_"+k.Resource+".yaml")
	}
	sort.Strings(want)
	if !slices.Equal(theirs, want) {
		t.Errorf("Velero has the CRDs %v, Cairn's kinds make %v", theirs, want)
	}
	for _, name := range theirs {
		t.Run(strings.TrimSuffix(strings.TrimPrefix(name, "velero.io_"), ".yaml"), func(t *testing.T) {
			v := readCRD(t, filepath.Join(bases, name))
			if !fileExists(filepath.Join(ours, name)) {
				t.Fatalf("deploy/crds has no %s", name)
			}
			c := readCRD(t, filepath.Join(ours, name))
			compareCRDs(t, v, c)
		})
	}
}

func compareCRDs(t *testing.T, velero, cairn *apiextensionsv1.CustomResourceDefinition) {
	if velero.Name != cairn.Name {
		t.Errorf("name %q, Velero's %q", cairn.Name, velero.Name)
	}
	sameJSON(t, "spec.names", velero.Spec.Names, cairn.Spec.Names)
	if velero.Spec.Group != cairn.Spec.Group || velero.Spec.Scope != cairn.Spec.Scope {
		t.Errorf("group %q scope %q, Velero's %q %q", cairn.Spec.Group, cairn.Spec.Scope, velero.Spec.Group, velero.Spec.Scope)
	}
	if len(velero.Spec.Versions) != len(cairn.Spec.Versions) {
		t.Fatalf("%d versions, Velero's CRD %d", len(cairn.Spec.Versions), len(velero.Spec.Versions))
	}
	for i, vv := range velero.Spec.Versions {
		cv := cairn.Spec.Versions[i]
		if vv.Name != cv.Name || vv.Served != cv.Served || vv.Storage != cv.Storage {
			t.Errorf("version %q served %v storage %v, Velero's %q %v %v", cv.Name, cv.Served, cv.Storage, vv.Name, vv.Served, vv.Storage)
		}
		sameJSON(t, "subresources of "+vv.Name, vv.Subresources, cv.Subresources)
		sameJSON(t, "printer columns of "+vv.Name, columns(vv.AdditionalPrinterColumns), columns(cv.AdditionalPrinterColumns))
		vp, cp := map[string]string{}, map[string]string{}
		walk("", vv.Schema.OpenAPIV3Schema, vp)
		walk("", cv.Schema.OpenAPIV3Schema, cp)
		for _, path := range sortedKeys(vp) {
			got, ok := cp[path]
			switch {
			case !ok:
				t.Errorf("Velero's schema has %s (%s), Cairn's lacks it", path, vp[path])
			case got != vp[path]:
				t.Errorf("%s is %s, Velero's is %s", path, got, vp[path])
			}
		}
		for _, path := range sortedKeys(cp) {
			if _, ok := vp[path]; !ok {
				t.Errorf("Cairn's schema has %s (%s), Velero's does not", path, cp[path])
			}
		}
		if len(vp) < 10 {
			t.Errorf("Velero's schema of %s has only %d paths: the walk is broken", velero.Name, len(vp))
		}
	}
}

// columns drops the printer columns' descriptions, which are Cairn's own.
func columns(cols []apiextensionsv1.CustomResourceColumnDefinition) []apiextensionsv1.CustomResourceColumnDefinition {
	out := slices.Clone(cols)
	for i := range out {
		out[i].Description = ""
	}
	return out
}

// walk records, under its path, what each property of the schema says
// besides its description: "" for the root, a.b for a property, a[] for the
// items of an array and a{} for the values of a map.
func walk(path string, s *apiextensionsv1.JSONSchemaProps, out map[string]string) {
	if s == nil {
		return
	}
	c := *s
	c.Description = ""
	c.Properties, c.Items, c.AdditionalProperties = nil, nil, nil
	b, _ := json.Marshal(c)
	out[path] = string(b)
	for name, p := range s.Properties {
		walk(strings.TrimPrefix(path+"."+name, "."), &p, out)
	}
	if s.Items != nil {
		walk(path+"[]", s.Items.Schema, out)
		for i := range s.Items.JSONSchemas {
			walk(path+"["+strconv.Itoa(i)+"]", &s.Items.JSONSchemas[i], out)
		}
	}
	if s.AdditionalProperties != nil {
		if s.AdditionalProperties.Schema != nil {
			walk(path+"{}", s.AdditionalProperties.Schema, out)
		} else {
			out[path+"{}"] = fmt.Sprintf("allows %v", s.AdditionalProperties.Allows)
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sameJSON compares two values by their JSON.
func sameJSON(t *testing.T, what string, velero, cairn any) {
	t.Helper()
	v, _ := json.Marshal(velero)
	c, _ := json.Marshal(cairn)
	if string(v) != string(c) {
		t.Errorf("%s: %s, Velero's %s", what, c, v)
	}
}

// TestGoTypesMatchVelero parses Velero's API package (pkg/apis/velero/v1 and
// the shared types it uses) and this one, and wants every exported type of
// Velero's here under the same name, with the same fields in the same order,
// of the same types and with the same struct tags, and every exported
// constant with the same type and value: what lets code written against
// Velero's package, and objects it wrote, work with Cairn's.
func TestGoTypesMatchVelero(t *testing.T) {
	apis := filepath.Join(veleroModule(t), "pkg", "apis", "velero")
	vt, vc := parseAPI(t, filepath.Join(apis, "v1"), filepath.Join(apis, "shared"))
	ct, cc := parseAPI(t, ".")
	if len(vt) < 50 || len(vc) < 100 {
		t.Fatalf("parsed only %d types and %d constants of Velero's: the parse is broken", len(vt), len(vc))
	}
	for _, name := range sortedKeys(vt) {
		switch got, ok := ct[name]; {
		case !ok:
			t.Errorf("Velero's type %s is missing: %s", name, vt[name])
		case got != vt[name]:
			t.Errorf("type %s differs from Velero's: %s", name, typeDiff(got, vt[name]))
		}
	}
	for _, name := range sortedKeys(vc) {
		switch got, ok := cc[name]; {
		case !ok:
			t.Errorf("Velero's constant %s (%s) is missing", name, vc[name])
		case got != vc[name]:
			t.Errorf("constant %s is %s, Velero's is %s", name, got, vc[name])
		}
	}
}

// typeDiff names the first field where two rendered types differ.
func typeDiff(cairn, velero string) string {
	c, v := strings.Split(cairn, "; "), strings.Split(velero, "; ")
	for i := 0; i < len(c) && i < len(v); i++ {
		if c[i] != v[i] {
			return fmt.Sprintf("field %d is %s, Velero's %s", i+1, c[i], v[i])
		}
	}
	return fmt.Sprintf("%d fields, Velero's %d", len(c), len(v))
}

// parseAPI renders the exported types and constants of the Go files in
// dirs (tests and generated files aside), with package names replaced by
// import paths, and the shared package's types as if they were local.
func parseAPI(t *testing.T, dirs ...string) (types, consts map[string]string) {
	t.Helper()
	types, consts = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") || strings.HasPrefix(filepath.Base(file), "zz_generated") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			r := renderer{imports: map[string]string{}}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				name := filepath.Base(path)
				if imp.Name != nil {
					name = imp.Name.Name
				}
				r.imports[name] = path
			}
			for _, decl := range f.Decls {
				g, ok := decl.(*ast.GenDecl)
				if !ok {
					continue
				}
				var typ ast.Expr // the type of a const spec carries on to the next ones
				for _, spec := range g.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							types[s.Name.Name] = r.expr(s.Type)
						}
					case *ast.ValueSpec:
						if g.Tok != token.CONST {
							continue
						}
						if s.Type != nil || len(s.Values) > 0 {
							typ = s.Type
						}
						for i, n := range s.Names {
							if n.IsExported() && i < len(s.Values) {
								consts[n.Name] = r.expr(typ) + " = " + r.expr(s.Values[i])
							}
						}
					}
				}
			}
		}
	}
	return types, consts
}

// renderer writes a type expression out with import paths for package names.
type renderer struct{ imports map[string]string }

func (r renderer) expr(e ast.Expr) string {
	switch e := e.(type) {
	case nil:
		return "untyped"
	case *ast.Ident:
		return e.Name
	case *ast.BasicLit:
		return e.Value
	case *ast.SelectorExpr:
		pkg := r.expr(e.X)
		if path, ok := r.imports[pkg]; ok {
			pkg = path
		}
		if pkg == veleroModulePath+"/pkg/apis/velero/shared" {
			return e.Sel.Name
		}
		return pkg + "." + e.Sel.Name
	case *ast.StarExpr:
		return "*" + r.expr(e.X)
	case *ast.ArrayType:
		return "[]" + r.expr(e.Elt)
	case *ast.MapType:
		return "map[" + r.expr(e.Key) + "]" + r.expr(e.Value)
	case *ast.StructType:
		var fields []string
		for _, f := range e.Fields.List {
			var names []string
			for _, n := range f.Names {
				names = append(names, n.Name)
			}
			tag := ""
			if f.Tag != nil {
				tag = " " + f.Tag.Value
			}
			fields = append(fields, strings.TrimSpace(strings.Join(names, ", ")+" "+r.expr(f.Type))+tag)
		}
		return "struct{" + strings.Join(fields, "; ") + "}"
	}
	return fmt.Sprintf("<%T>", e)
}
