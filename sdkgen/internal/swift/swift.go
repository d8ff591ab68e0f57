// Package swift generates the Swift SDK: a Swift package whose client
// calls the API with URLSession and async/await, with Codable models and
// SigV4 signing on CryptoKit (swift-crypto on Linux).
package swift

import (
	"bytes"
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.tmpl"))

// keywords are Swift's reserved words, and names with a meaning in some
// places (Type, Protocol, self) that make poor identifiers.
var keywords = spec.Reserved(`
	associatedtype class deinit enum extension fileprivate func import init
	inout internal let open operator private precedencegroup protocol public
	rethrows static struct subscript typealias var break case catch continue
	default defer do else fallthrough for guard if in repeat return throw
	switch where while Any as await false is nil self Self super throws true
	try Type Protocol async`)

// sdkTypes are the type names the SDK itself declares: models may not take
// them.
var sdkTypes = []string{"APIError", "JSONValue", "SigV4Credentials", "SigV4Signer", "Request"}

// generator holds the names chosen for one API's SDK.
type generator struct {
	api *spec.API
	// module is the Swift package, module and library name ("Petstore").
	module string
	// client is the client class ("PetstoreClient").
	client string
	// models maps each spec model name to its Swift type name.
	models map[string]string
	// fields maps each model to its fields' property names, in order.
	fields map[string][]string
	// ops are the operations' method names and argument names.
	ops []operation
	// usesJSON says some type is Any: the SDK declares JSONValue.
	usesJSON bool
}

// operation is one operation with its Swift names.
type operation struct {
	*spec.Operation
	method string
	// args are the parameters' argument names, in op.Params order.
	args []string
}

// Generate returns the SDK's files: Package.swift, the module's sources
// under Sources/{module} and README.md.
func Generate(api *spec.API, cfg spec.Config) (spec.Files, error) {
	g, err := newGenerator(api, cfg)
	if err != nil {
		return nil, err
	}
	src := "Sources/" + g.module + "/"
	files := spec.Files{
		"README.md":          g.readme(),
		src + "Client.swift": g.clientFile(),
	}
	if models := g.modelsFile(); models != nil {
		files[src+"Models.swift"] = models
	}
	data := map[string]string{"Module": g.module, "Title": g.title()}
	for name, tmpl := range map[string]string{
		src + "APIError.swift": "APIError.swift.tmpl",
		src + "SigV4.swift":    "SigV4.swift.tmpl",
		"Package.swift":        "Package.swift.tmpl",
	} {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, tmpl, data); err != nil {
			return nil, fmt.Errorf("sdkgen: swift: %s: %w", name, err)
		}
		files[name] = b.Bytes()
	}
	return files, nil
}

// newGenerator chooses the SDK's names and checks that no two things get
// the same one.
func newGenerator(api *spec.API, cfg spec.Config) (*generator, error) {
	name := cfg.Package
	if name == "" {
		name = api.Name
	}
	module := spec.Ident(spec.Pascal(name), "API", keywords)
	g := &generator{
		api:    api,
		module: module,
		client: module + "Client",
		models: map[string]string{},
		fields: map[string][]string{},
	}
	taken := spec.Reserved(strings.Join(append(sdkTypes, g.client, g.module), " "))
	typeName := func(s string) string {
		id := spec.Ident(spec.Pascal(s), "Model", keywords)
		if taken[id] {
			id += "_"
		}
		return id
	}
	var names []string
	for _, m := range api.Models {
		names = append(names, m.Name)
		g.models[m.Name] = typeName(m.Name)
	}
	if err := spec.Distinct("swift", "models", names, typeName); err != nil {
		return nil, err
	}
	for _, m := range api.Models {
		var fields []string
		for _, f := range m.Fields {
			fields = append(fields, f.Name)
			g.fields[m.Name] = append(g.fields[m.Name], fieldName(f.Name))
			if err := g.check(f.Type, "model "+m.Name+": field "+f.Name); err != nil {
				return nil, err
			}
		}
		if err := spec.Distinct("swift", "model "+m.Name+": fields", fields, fieldName); err != nil {
			return nil, err
		}
	}
	var opNames []string
	for i := range api.Operations {
		op := &api.Operations[i]
		opNames = append(opNames, op.Name)
		o := operation{Operation: op, method: methodName(op.Name)}
		var params []string
		for _, p := range op.Params {
			params = append(params, p.Name)
			o.args = append(o.args, argName(p.Name))
			if err := g.check(p.Type, "operation "+op.Name+": parameter "+p.Name); err != nil {
				return nil, err
			}
		}
		if err := spec.Distinct("swift", "operation "+op.Name+": parameters", params, argName); err != nil {
			return nil, err
		}
		for _, t := range []*spec.Type{op.Body, op.Result} {
			if t != nil {
				if err := g.check(*t, "operation "+op.Name); err != nil {
					return nil, err
				}
			}
		}
		g.ops = append(g.ops, o)
	}
	if err := spec.Distinct("swift", "operations", opNames, methodName); err != nil {
		return nil, err
	}
	return g, nil
}

// check checks that t's models exist, and notes whether it needs JSONValue.
func (g *generator) check(t spec.Type, place string) error {
	switch t.Kind {
	case spec.Array, spec.Map:
		if t.Elem == nil {
			g.usesJSON = true
			return nil
		}
		return g.check(*t.Elem, place)
	case spec.Ref:
		if _, ok := g.models[t.Ref]; !ok {
			return fmt.Errorf("sdkgen: swift: %s: no model %q", place, t.Ref)
		}
	case spec.Any:
		g.usesJSON = true
	}
	return nil
}

// fieldName is a model property's name: lower camel case.
func fieldName(s string) string { return spec.Ident(spec.Camel(s), "_", keywords) }

// clientMembers are the client's own members, which operations may not
// shadow.
var clientMembers = spec.Reserved("configuration session send perform url")

// methodName is an operation's method name.
func methodName(s string) string {
	id := spec.Ident(spec.Camel(s), "_", keywords)
	if clientMembers[id] {
		id += "_"
	}
	return id
}

// argLocals are the names an operation's arguments may not take: the
// arguments the SDK adds and the local it builds the request in.
var argLocals = spec.Reserved("method body request")

// argName is a parameter's argument label and name.
func argName(s string) string {
	id := spec.Ident(spec.Camel(s), "_", keywords)
	if argLocals[id] {
		id += "_"
	}
	return id
}

// swiftType returns t's Swift type.
func (g *generator) swiftType(t spec.Type) string {
	switch t.Kind {
	case spec.String:
		return "String"
	case spec.Integer:
		return "Int"
	case spec.Number:
		return "Double"
	case spec.Boolean:
		return "Bool"
	case spec.Array:
		return "[" + g.elem(t) + "]"
	case spec.Map:
		return "[String: " + g.elem(t) + "]"
	case spec.Ref:
		return g.models[t.Ref]
	}
	return "JSONValue"
}

func (g *generator) elem(t spec.Type) string {
	if t.Elem == nil {
		return "JSONValue"
	}
	return g.swiftType(*t.Elem)
}

// title is the API's title, or its name.
func (g *generator) title() string {
	if g.api.Title != "" {
		return g.api.Title
	}
	return g.api.Name
}

// endpoint splits the API's base URL into the endpoint and the stage.
func (g *generator) endpoint() (endpoint, stage string) {
	base := strings.TrimRight(g.api.BaseURL, "/")
	if base == "" {
		base = "http://localhost"
	}
	if g.api.Stage != "" && strings.HasSuffix(base, "/"+g.api.Stage) {
		return strings.TrimSuffix(base, "/"+g.api.Stage), g.api.Stage
	}
	if u, err := url.Parse(base); err != nil || u.Host == "" {
		base = "http://localhost"
	}
	return base, g.api.Stage
}

// quote returns s as a Swift string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u{%x}`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// writer builds a source file line by line.
type writer struct{ bytes.Buffer }

// line writes one line: format with args, and a newline.
func (w *writer) line(format string, args ...any) {
	if len(args) == 0 {
		w.WriteString(format)
	} else {
		fmt.Fprintf(w, format, args...)
	}
	w.WriteByte('\n')
}

// doc writes text as a /// doc comment indented by indent.
func (w *writer) doc(indent, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimRight(l, " \t\r"); l == "" {
			w.line("%s///", indent)
		} else {
			w.line("%s/// %s", indent, l)
		}
	}
}
