package ruby

import (
	"slices"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// view is what the templates render.
type view struct {
	Gem, File, Module string
	// About's Title, versions and the client's defaults (as Ruby string
	// literals).
	sdkdoc.About
	// Doc is the API's description, as comment lines at the module's
	// indentation, or "".
	Doc string
	// ReadmeDoc is the API's description, or "".
	ReadmeDoc string
	// Summary is the gem's, as a Ruby string literal.
	Summary string
	// ClientDoc is the client class's comment.
	ClientDoc string
	// Models are the rendered model classes and ModelNames their names.
	Models, ModelNames []string
	// Methods are the client's rendered operation methods.
	Methods []string
	// Greedy says whether the client needs escape_path.
	Greedy bool
	// Readme's Operations and Example fill the README.
	sdkdoc.Readme
}

// view computes the templates' input.
func (g *generator) view() *view {
	api := g.api
	v := &view{
		Gem:       g.gem,
		File:      g.file,
		Module:    g.module,
		About:     sdkdoc.NewAbout(api, quote),
		ReadmeDoc: strings.TrimSpace(api.Doc),
	}
	v.Summary = quote("Client for " + v.Title + ".")
	if v.ReadmeDoc != "" {
		v.Doc = comment("\n"+v.ReadmeDoc, "")
	}
	v.ClientDoc = comment(sdkdoc.JoinParagraphs("A client for "+v.Title+".", v.ReadmeDoc,
		"Each method sends one request. It raises {ApiError} when the response's\n"+
			"status is not 2xx; network failures raise what Net::HTTP raises\n"+
			"(SocketError, Timeout::Error, SystemCallError). A client holds no\n"+
			"connections and may be shared between threads."), "  ")

	for _, m := range api.Models {
		v.ModelNames = append(v.ModelNames, g.Models[m.Name])
		v.Models = append(v.Models, strings.TrimSuffix(g.model(&m), "\n"))
	}
	slices.Sort(v.ModelNames)
	v.Readme = sdkdoc.NewReadme(api.Operations, g.Methods)
	for i := range api.Operations {
		op := &api.Operations[i]
		v.Methods = append(v.Methods, g.method(i))
		for _, p := range op.Params {
			v.Greedy = v.Greedy || p.Greedy
		}
	}
	v.Example.Call = g.exampleCall()
	return v
}

// exampleCall returns a call of the operation the README's example calls
// with placeholder arguments, or "".
func (g *generator) exampleCall() string {
	i := sdkdoc.ExampleOp(g.api.Operations)
	if i < 0 {
		return ""
	}
	args := sdkdoc.ExampleArgs(&g.api.Operations[i], "true", func(t spec.Type) string {
		if t.Kind == spec.Ref {
			return g.Models[t.Ref] + ".new"
		}
		return "{}"
	})
	call := "client." + g.Methods[i]
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	return call
}
