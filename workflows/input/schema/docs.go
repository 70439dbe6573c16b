package schema

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Docs gives the Go doc comment of a type (field "") or of one of its
// fields, by package path, type name and Go field name; "" when there is
// none.
type Docs func(pkgPath, typeName, field string) string

// SourceDocs reads the doc comments of the packages of module (its path)
// from the module's source in root. Packages outside the module have none.
func SourceDocs(root, module string) Docs {
	cache := map[string]map[string]string{}
	return func(pkgPath, typeName, field string) string {
		rel, ok := strings.CutPrefix(pkgPath, module)
		if !ok || (rel != "" && !strings.HasPrefix(rel, "/")) {
			return ""
		}
		docs, ok := cache[pkgPath]
		if !ok {
			docs = packageDocs(filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(rel, "/"))))
			cache[pkgPath] = docs
		}
		return docs[typeName+"."+field]
	}
}

// packageDocs maps "Type." and "Type.Field" to their comments, from the
// non-test Go files in dir.
func packageDocs(dir string) map[string]string {
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			continue
		}
		fileDocs(f, out)
	}
	return out
}

func fileDocs(f *ast.File, out map[string]string) {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			doc := ts.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			out[ts.Name.Name+"."] = text(doc)
			if st, ok := ts.Type.(*ast.StructType); ok {
				structDocs(ts.Name.Name, st, out)
			}
		}
	}
}

func structDocs(typeName string, st *ast.StructType, out map[string]string) {
	for _, field := range st.Fields.List {
		doc := text(field.Doc)
		if doc == "" {
			doc = text(field.Comment)
		}
		for _, n := range field.Names {
			out[typeName+"."+n.Name] = doc
		}
	}
}

// text is a comment as one paragraph of plain text.
func text(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	return strings.Join(strings.Fields(g.Text()), " ")
}
