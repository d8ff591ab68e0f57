package ruby

import (
	"regexp"
	"slices"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// view is what the templates render.
type view struct {
	Gem, File, Module string
	// Title names the API in prose: "the Pet Store API".
	Title string
	// Doc is the API's description, as comment lines at the module's
	// indentation, or "".
	Doc string
	// ReadmeDoc is the API's description, or "".
	ReadmeDoc string
	// Version is the gem's, APIVersion the API's (or "").
	Version, APIVersion string
	// Endpoint, Stage, Region and Service are the client's defaults, as
	// Ruby string literals; Summary is the gem's, as one.
	Endpoint, Stage, Region, Service, Summary string
	// ClientDoc is the client class's comment.
	ClientDoc string
	// Models are the rendered model classes and ModelNames their names.
	Models, ModelNames []string
	// Methods are the client's rendered operation methods.
	Methods []string
	// Greedy says whether the client needs escape_path.
	Greedy bool
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
		Gem:        g.gem,
		File:       g.file,
		Module:     g.module,
		Title:      title(api),
		ReadmeDoc:  strings.TrimSpace(api.Doc),
		Version:    version(api.Version),
		APIVersion: api.Version,
		Endpoint:   quote(endpoint(api)),
		Stage:      quote(api.Stage),
		Region:     quote(api.Region),
		Service:    quote(service(api)),
	}
	v.Summary = quote("Client for " + v.Title + ".")
	if v.ReadmeDoc != "" {
		v.Doc = comment("\n"+v.ReadmeDoc, "")
	}
	clientDoc := "A client for " + v.Title + "."
	if v.ReadmeDoc != "" {
		clientDoc += "\n\n" + v.ReadmeDoc
	}
	clientDoc += "\n\nEach method sends one request. It raises {ApiError} when the response's\n" +
		"status is not 2xx; network failures raise what Net::HTTP raises\n" +
		"(SocketError, Timeout::Error, SystemCallError). A client holds no\n" +
		"connections and may be shared between threads."
	v.ClientDoc = comment(clientDoc, "  ")

	for _, m := range api.Models {
		v.ModelNames = append(v.ModelNames, g.models[m.Name])
		v.Models = append(v.Models, strings.TrimSuffix(g.model(&m), "\n"))
	}
	slices.Sort(v.ModelNames)
	for i := range api.Operations {
		op := &api.Operations[i]
		v.Methods = append(v.Methods, g.method(i))
		for _, p := range op.Params {
			v.Greedy = v.Greedy || p.Greedy
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
	v.Example.Call = g.exampleCall()
	return v
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
		if op.Body.Kind == spec.Ref {
			args = append(args, g.models[op.Body.Ref]+".new")
		} else {
			args = append(args, "{}")
		}
	}
	call := "client." + g.methods[pick]
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	return call
}

// placeholder is an example value of a parameter's type.
func placeholder(t spec.Type) string {
	switch t.Kind {
	case spec.Integer:
		return "1"
	case spec.Number:
		return "1.5"
	case spec.Boolean:
		return "true"
	case spec.Array:
		return "[]"
	}
	return `"example"`
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

// version is the gem's version: the API's when it is a plain dotted
// number, else 0.1.0.
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
