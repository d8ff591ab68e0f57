// Package swift generates the Swift SDK: a Swift package whose client
// calls the API with URLSession and async/await, with Codable models and
// SigV4 signing on CryptoKit (swift-crypto on Linux).
package swift

import (
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/apple"
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
	data := map[string]string{"Module": g.module, "Title": g.api.TitleOrName()}
	if err := files.Render("swift", templates, data, map[string]string{
		src + "APIError.swift": "APIError.swift.tmpl",
		src + "SigV4.swift":    "SigV4.swift.tmpl",
		"Package.swift":        "Package.swift.tmpl",
	}); err != nil {
		return nil, err
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
	g := &generator{api: api, module: module, client: module + "Client"}
	taken := spec.Reserved(strings.Join(append(sdkTypes, g.client, g.module), " "))
	typeName := func(s string) string {
		id := spec.Ident(spec.Pascal(s), "Model", keywords)
		if taken[id] {
			id += "_"
		}
		return id
	}
	names, err := apple.Name("swift", api, spec.Namers{Model: typeName, Field: fieldName, Method: methodName, Param: argName})
	if err != nil {
		return nil, err
	}
	g.models, g.fields = names.Models, names.Fields
	for i := range api.Operations {
		g.ops = append(g.ops, operation{Operation: &api.Operations[i], method: names.Methods[i], args: names.Params[i]})
	}
	for t := range api.Types() {
		g.usesJSON = g.usesJSON || t.Innermost().Kind == spec.Any
	}
	return g, nil
}

// Spec returns the operation.
func (op operation) Spec() *spec.Operation { return op.Operation }

// fieldName is a model property's name: lower camel case.
func fieldName(s string) string { return spec.Ident(spec.Camel(s), "_", keywords) }

// clientMembers are the client's own members, which operations may not
// shadow.
var clientMembers = spec.Reserved("configuration session send perform url")

// methodName is an operation's method name.
func methodName(s string) string { return spec.Ident(spec.Camel(s), "_", methodReserved) }

// methodReserved are the names a method may not take.
var methodReserved = spec.Union(keywords, clientMembers)

// argLocals are the names an operation's arguments may not take: the
// arguments the SDK adds and the local it builds the request in.
var argLocals = spec.Reserved("method body request")

// argName is a parameter's argument label and name.
func argName(s string) string { return spec.Ident(spec.Camel(s), "_", argReserved) }

// argReserved are the names an argument may not take.
var argReserved = spec.Union(keywords, argLocals)

// swiftType returns t's Swift type.
func (g *generator) swiftType(t spec.Type) string {
	return spec.TypeNames{
		String: "String", Integer: "Int", Number: "Double", Boolean: "Bool", Any: "JSONValue",
		Array:  func(elem string) string { return "[" + elem + "]" },
		Map:    func(elem string) string { return "[String: " + elem + "]" },
		Models: g.models,
	}.Name(t)
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
