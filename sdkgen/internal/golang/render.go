package golang

import (
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"comment": comment,
	"code":    code,
	"indent":  func(s string) string { return strings.ReplaceAll(s, "\n", "\n\t") },
	"quote":   strconv.Quote,
	"upper":   strings.ToUpper,
}).ParseFS(templateFiles, "templates/*.tmpl"))

// generator is what the templates render: the API's names, models and
// operations, and which parts of the client the operations use, so that
// the SDK declares nothing it does not need.
type generator struct {
	API *spec.API
	// Module and Package are the module path and the package name.
	Module, Package string
	// Title names the API in prose.
	Title string
	// Endpoint and Stage are the defaults requests go to.
	Endpoint, Stage string
	// Region and Service are what SigV4 signs for by default.
	Region, Service string
	Models          []structData
	Ops             []opData
	// Bearer and SigV4: some operation needs a bearer token, a signature.
	Bearer, SigV4 bool
	// AnyMethod: some operation takes any HTTP method.
	AnyMethod bool
	// Greedy: a greedy path parameter (escapeGreedy); Join: an array
	// joined with joinValues; Decode: a JSON result (Client.do);
	// Pointers: an optional scalar (Ptr).
	Greedy, Join, Decode, Pointers bool
	// Examples are the README's and the package doc's calls.
	Examples examples
}

func newGenerator(api *spec.API, cfg spec.Config) (*generator, error) {
	module, pkg, err := names(api, cfg)
	if err != nil {
		return nil, err
	}
	if err := check(api); err != nil {
		return nil, err
	}
	g := &generator{
		API: api, Module: module, Package: pkg, Title: api.TitleOrName(),
		Endpoint: api.Endpoint(), Stage: api.Stage, Region: api.Region, Service: api.SigV4Service(),
	}
	for i := range api.Models {
		m, err := g.model(&api.Models[i])
		if err != nil {
			return nil, err
		}
		g.Models = append(g.Models, m)
	}
	for i := range api.Operations {
		op, err := g.operation(&api.Operations[i])
		if err != nil {
			return nil, err
		}
		g.Ops = append(g.Ops, op)
	}
	g.Examples = g.examples()
	return g, nil
}

// model describes m's struct.
func (g *generator) model(m *spec.Model) (structData, error) {
	s := structData{Name: typeName(m.Name)}
	s.Doc = s.Name + " is the " + m.Name + " model."
	if m.Doc != "" {
		s.Doc += "\n\n" + m.Doc
	}
	for _, f := range m.Fields {
		var typ string
		var err error
		switch {
		case f.Type.Kind == spec.Ref:
			typ, err = g.nilable(f.Type)
		case f.Required:
			typ, err = g.goType(f.Type)
		default:
			typ, err = g.nilable(f.Type)
			g.Pointers = g.Pointers || scalar(f.Type)
		}
		if err != nil {
			return s, fmt.Errorf("sdkgen: %s: model %s: field %q: %w", lang, m.Name, f.Name, err)
		}
		tag := f.Name
		if !f.Required {
			tag += ",omitempty"
		}
		fd := fieldData{Name: exported(f.Name), Type: typ, Tag: "`json:" + strconv.Quote(tag) + "`", Doc: f.Doc}
		if fd.Doc == "" {
			fd.Doc = fd.Name + " is the " + strconv.Quote(f.Name) + " property."
		}
		s.Fields = append(s.Fields, fd)
	}
	return s, nil
}

// files renders every file of the SDK.
func (g *generator) files() (spec.Files, error) {
	out := spec.Files{}
	list := []string{"go.mod", "README.md", "doc.go", "client.go", "error.go"}
	if len(g.Models) > 0 {
		list = append(list, "models.go")
	}
	if len(g.Ops) > 0 {
		list = append(list, "operations.go")
	}
	if g.SigV4 {
		list = append(list, "sigv4.go")
	}
	for _, name := range list {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, name+".tmpl", g); err != nil {
			return nil, fmt.Errorf("sdkgen: %s: %s: %w", lang, name, err)
		}
		data := b.Bytes()
		if strings.HasSuffix(name, ".go") {
			var err error
			if data, err = goSource(data); err != nil {
				return nil, fmt.Errorf("sdkgen: %s: generated %s does not parse: %w", lang, name, err)
			}
		}
		out[name] = data
	}
	return out, nil
}

// stdlib are the packages the SDK may import, by name.
var stdlib = map[string]string{
	"bytes": "bytes", "cmp": "cmp", "context": "context", "hmac": "crypto/hmac", "sha256": "crypto/sha256",
	"hex": "encoding/hex", "json": "encoding/json", "errors": "errors", "fmt": "fmt", "io": "io",
	"http": "net/http", "url": "net/url", "slices": "slices", "strconv": "strconv", "strings": "strings",
	"time": "time",
}

// goSource adds to a Go file (rendered without imports) the import of
// every standard package it uses, and formats it. Nothing in the SDK
// shadows a package name (see localReserved), so a selector on a package
// name is a use.
func goSource(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var used []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && stdlib[id.Name] != "" && !slices.Contains(used, stdlib[id.Name]) {
				used = append(used, stdlib[id.Name])
			}
		}
		return true
	})
	if len(used) > 0 {
		slices.Sort(used)
		imports := "\n\nimport " + strconv.Quote(used[0]) + "\n"
		if len(used) > 1 {
			imports = "\n\nimport (\n\t" + strings.Join(quoteAll(used), "\n\t") + "\n)\n"
		}
		at := fset.Position(f.Name.End()).Offset
		src = slices.Concat(src[:at], []byte(imports), src[at:])
	}
	return format.Source(src)
}

// comment returns text as // comment lines, each after indent.
func comment(indent, text string) string {
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n")), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		line = strings.TrimRight(line, " \t")
		b.WriteString(indent + "//")
		if line != "" {
			b.WriteString(" " + line)
		}
	}
	return b.String()
}

// code returns Go code as the lines of a code block in a // comment.
func code(src string) string {
	return "//\t" + strings.ReplaceAll(src, "\n", "\n//\t")
}

// quoteAll returns each of ss quoted as a Go string.
func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// wrap breaks the prose s into lines of at most 72 bytes, at spaces.
func wrap(s string) string { return strings.Join(spec.Wrap(s, 72, ""), "\n") }
