package python

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// view is what the templates render.
type view struct {
	Package, Dist, Client string
	// About's Title, versions and the client's defaults (as Python
	// string literals).
	sdkdoc.About
	// Doc is the API's description, or "".
	Doc string
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
	// Readme's Operations and Example fill the README.
	sdkdoc.Readme
}

// view computes the templates' input.
func (g *generator) view() *view {
	api := g.api
	v := &view{
		Package: g.pkg,
		Dist:    g.dist,
		Client:  g.client,
		About:   sdkdoc.NewAbout(api, quote),
		Doc:     strings.TrimSpace(api.Doc),
	}
	summary := "Client for " + v.Title + "."
	v.Description = tomlQuote(summary)
	v.PackageDoc = docstring(sdkdoc.JoinParagraphs(summary, v.Doc,
		"Create a "+g.client+" and call its methods, one per operation."), "")
	v.ClientDoc = docstring(sdkdoc.JoinParagraphs("A client for "+v.Title+".", v.Doc,
		"Each method sends one request. It raises ApiError when the response's\n"+
			"status is not 2xx, and urllib.error.URLError (an OSError) when the API\n"+
			"cannot be reached. A client holds no connections and may be shared\n"+
			"between threads."), "    ")

	v.Exports = append(v.Exports, "ApiError", "Credentials", g.client)
	var modelNames []string
	usesOptional := false
	for _, m := range api.Models {
		modelNames = append(modelNames, g.Models[m.Name])
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

	v.Readme = sdkdoc.NewReadme(api.Operations, g.Methods)
	used := map[string]bool{}
	for i := range api.Operations {
		op := &api.Operations[i]
		v.Methods = append(v.Methods, g.method(i))
		for _, t := range []*spec.Type{op.Body, op.Result} {
			if t != nil && t.HoldsModel() {
				used[t.Innermost().Ref] = true
			}
		}
		for _, p := range op.Params {
			if p.In == spec.InPath {
				v.Segment = v.Segment || !p.Greedy
				v.Greedy = v.Greedy || p.Greedy
			}
		}
	}
	var clientModels []string
	for _, m := range api.Models {
		if used[m.Name] {
			clientModels = append(clientModels, g.Models[m.Name])
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

// exampleCall returns a call of the operation the README's example calls
// with placeholder arguments, or "".
func (g *generator) exampleCall() string {
	i := sdkdoc.ExampleOp(g.api.Operations)
	if i < 0 {
		return ""
	}
	args := sdkdoc.ExampleArgs(&g.api.Operations[i], "True", g.placeholderBody)
	return "client." + g.Methods[i] + "(" + strings.Join(args, ", ") + ")"
}

// placeholderBody is an example value of a request body of type t.
func (g *generator) placeholderBody(t spec.Type) string {
	if t.Kind == spec.Ref {
		return g.Models[t.Ref] + "(...)"
	}
	return "..."
}
