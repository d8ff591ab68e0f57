package python

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// view is what the templates render.
type view struct {
	Package, Dist, Client string
	// Title names the API in prose: "the Pet Store API".
	Title string
	// Doc is the API's description, or "".
	Doc string
	// Version is the package's, APIVersion the API's (or "").
	Version, APIVersion string
	// Endpoint, Stage, Region and Service are the client's defaults, as
	// Python string literals.
	Endpoint, Stage, Region, Service string
	// Description is the package's one-line description, as a TOML string.
	Description string
	// PackageDoc is __init__.py's docstring and ClientDoc the client
	// class's.
	PackageDoc, ClientDoc string
	// Exports are the names __init__.py re-exports, sorted; ModelExports
	// and ClientModels import the models into __init__.py and client.py
	// ("" when there are none to import).
	Exports                    []string
	ModelExports, ClientModels string
	// Models are the rendered dataclasses and ModelNames their names;
	// ModelImports are the typing names models.py needs.
	Models, ModelNames []string
	ModelImports       string
	// Methods are the client's rendered operation methods.
	Methods []string
	// Segment and Greedy say whether the client needs the helpers that
	// escape a path parameter and a greedy one.
	Segment, Greedy bool
	// Operations and Example fill the README.
	Operations []readmeOp
	Example    example
}

// readmeOp is a row of the README's table of operations.
type readmeOp struct{ Method, Path, Name, Doc string }

// example is what the README's examples call.
type example struct {
	// Call is a call of an operation: client.get_pet(1).
	Call string
	// APIKey, Bearer and SigV4 name an operation that uses each, or "".
	APIKey, Bearer, SigV4 string
}

// view computes the templates' input.
func (g *generator) view() *view {
	api := g.api
	v := &view{
		Package:    g.pkg,
		Dist:       g.dist,
		Client:     g.client,
		Title:      title(api),
		Doc:        strings.TrimSpace(api.Doc),
		Version:    version(api.Version),
		APIVersion: api.Version,
		Endpoint:   quote(endpoint(api)),
		Stage:      quote(api.Stage),
		Region:     quote(api.Region),
		Service:    quote(service(api)),
	}
	summary := "Client for " + v.Title + "."
	v.Description = tomlQuote(summary)
	pkgDoc := summary
	if v.Doc != "" {
		pkgDoc += "\n\n" + v.Doc
	}
	pkgDoc += "\n\nCreate a " + g.client + " and call its methods, one per operation."
	v.PackageDoc = docstring(pkgDoc, "")
	clientDoc := "A client for " + v.Title + "."
	if v.Doc != "" {
		clientDoc += "\n\n" + v.Doc
	}
	clientDoc += "\n\nEach method sends one request. It raises ApiError when the response's\n" +
		"status is not 2xx, and urllib.error.URLError (an OSError) when the API\n" +
		"cannot be reached. A client holds no connections and may be shared\n" +
		"between threads."
	v.ClientDoc = docstring(clientDoc, "    ")

	v.Exports = append(v.Exports, "ApiError", "Credentials", g.client)
	var modelNames []string
	usesOptional := false
	for _, m := range api.Models {
		modelNames = append(modelNames, g.models[m.Name])
		v.Models = append(v.Models, strings.TrimSuffix(g.model(&m), "\n"))
		for _, f := range m.Fields {
			usesOptional = usesOptional || !f.Required
		}
	}
	slices.Sort(modelNames)
	v.ModelNames = modelNames
	v.Exports = append(v.Exports, modelNames...)
	slices.Sort(v.Exports)
	v.ModelExports = importLine(".models", modelNames)
	v.ModelImports = "Any"
	if usesOptional {
		v.ModelImports += ", Optional"
	}

	used := map[string]bool{}
	for i := range api.Operations {
		op := &api.Operations[i]
		v.Methods = append(v.Methods, g.method(i))
		for _, t := range []*spec.Type{op.Body, op.Result} {
			if t != nil {
				g.collectModels(*t, used)
			}
		}
		for _, p := range op.Params {
			if p.In == spec.InPath {
				v.Segment = v.Segment || !p.Greedy
				v.Greedy = v.Greedy || p.Greedy
			}
		}
		name := g.methods[i]
		doc, _, _ := strings.Cut(strings.TrimSpace(op.Doc), "\n")
		v.Operations = append(v.Operations, readmeOp{
			Method: op.Method, Path: op.Path, Name: name,
			Doc: strings.ReplaceAll(doc, "|", "\\|"),
		})
		if op.Auth.APIKey && v.Example.APIKey == "" {
			v.Example.APIKey = name
		}
		if op.Auth.Bearer && v.Example.Bearer == "" {
			v.Example.Bearer = name
		}
		if op.Auth.SigV4 && v.Example.SigV4 == "" {
			v.Example.SigV4 = name
		}
	}
	var clientModels []string
	for _, m := range api.Models {
		if used[m.Name] {
			clientModels = append(clientModels, g.models[m.Name])
		}
	}
	slices.Sort(clientModels)
	v.ClientModels = importLine(".models", clientModels)
	v.Example.Call = g.exampleCall()
	return v
}

// importLine is "from module import a, b", wrapped in parentheses when it
// is too long; "" when names is empty.
func importLine(module string, names []string) string {
	if len(names) == 0 {
		return ""
	}
	line := "from " + module + " import " + strings.Join(names, ", ")
	if width(line) <= maxWidth {
		return line
	}
	return strings.TrimSuffix(wrap("", "from "+module+" import (", names, ")"), "\n")
}

// tomlQuote returns s as a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteRune('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// collectModels adds the models t refers to to used.
func (g *generator) collectModels(t spec.Type, used map[string]bool) {
	switch t.Kind {
	case spec.Ref:
		used[t.Ref] = true
	case spec.Array, spec.Map:
		if t.Elem != nil {
			g.collectModels(*t.Elem, used)
		}
	}
}

// exampleCall returns a call of the first operation without a body (or
// the first at all) with placeholder arguments, for the README.
func (g *generator) exampleCall() string {
	ops := g.api.Operations
	if len(ops) == 0 {
		return ""
	}
	pick := 0
	for i, op := range ops {
		if op.Body == nil {
			pick = i
			break
		}
	}
	op := &ops[pick]
	var args []string
	if op.Method == "ANY" {
		args = append(args, `"GET"`)
	}
	for _, p := range op.RequiredParams() {
		args = append(args, placeholder(p.Type))
	}
	if op.Body != nil && op.BodyRequired {
		args = append(args, g.placeholderBody(*op.Body))
	}
	return "client." + g.methods[pick] + "(" + strings.Join(args, ", ") + ")"
}

// placeholder is an example value of a parameter's type.
func placeholder(t spec.Type) string {
	switch t.Kind {
	case spec.Integer:
		return "1"
	case spec.Number:
		return "1.5"
	case spec.Boolean:
		return "True"
	case spec.Array:
		return "[]"
	}
	return `"example"`
}

func (g *generator) placeholderBody(t spec.Type) string {
	if t.Kind == spec.Ref {
		return g.models[t.Ref] + "(...)"
	}
	return "..."
}

// title names the API in prose: "the Pet Store API".
func title(api *spec.API) string {
	t := strings.Join(strings.Fields(api.Title), " ")
	if t == "" {
		t = api.Name
	}
	if w := spec.Words(t); len(w) == 0 || w[len(w)-1] != "api" {
		t += " API"
	}
	return "the " + t
}

// version is the package's version: the API's when it is a plain dotted
// number (which both PEP 440 and RubyGems accept), else 0.1.0.
func version(v string) string {
	if regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`).MatchString(v) {
		return v
	}
	return "0.1.0"
}

// endpoint is the default endpoint: the base URL without its stage.
func endpoint(api *spec.API) string {
	base := strings.TrimSuffix(api.BaseURL, "/")
	if api.Stage != "" {
		base = strings.TrimSuffix(base, "/"+api.Stage)
	}
	return base
}

func service(api *spec.API) string {
	if api.Service == "" {
		return "execute-api"
	}
	return api.Service
}
