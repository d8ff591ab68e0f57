package java

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

//go:embed templates
var templateFS embed.FS

var templates = template.Must(template.New("java").Funcs(template.FuncMap{
	"str": javaString,
	"esc": escape,
	"md":  mdCode,
	"doc": func(indent, para string, tags ...string) string {
		return javadoc(indent, []string{para}, tags)
	},
	"docs": func(indent string, paras []string, tags ...string) string {
		return javadoc(indent, paras, tags)
	},
}).ParseFS(templateFS, "templates/*.tmpl"))

// Generate returns the SDK's files: README.md and the sources under
// src/main/java. With android it is the Android flavour.
func Generate(api *spec.API, cfg spec.Config, android bool) (spec.Files, error) {
	// The client fills path templates in at run time: check them now.
	for i := range api.Operations {
		if _, err := api.Operations[i].PathParts(); err != nil {
			return nil, fmt.Errorf("sdkgen: java: operation %s: %w", api.Operations[i].Name, err)
		}
	}
	s, err := build(api, cfg, android)
	if err != nil {
		return nil, err
	}
	dir := "src/main/java/" + strings.ReplaceAll(s.Package, ".", "/") + "/"
	type file struct {
		path, tmpl string
		data       any
	}
	todo := []file{
		{"README.md", "readme.md.tmpl", s},
		{dir + s.Client + ".java", "client.java.tmpl", s},
		{dir + s.Exception + ".java", "exception.java.tmpl", s},
		{dir + "Json.java", "json.java.tmpl", s},
	}
	if s.SigV4 {
		todo = append(todo, file{dir + "SigV4.java", "sigv4.java.tmpl", s})
	}
	for _, m := range s.Models {
		todo = append(todo, file{dir + m.Class + ".java", "model.java.tmpl", m})
	}
	for _, op := range s.Ops {
		if op.Options != nil {
			todo = append(todo, file{dir + op.Options.Class + ".java", "options.java.tmpl", op.Options})
		}
	}
	files := spec.Files{}
	for _, f := range todo {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, f.tmpl, f.data); err != nil {
			return nil, fmt.Errorf("sdkgen: java: %s: %w", f.path, err)
		}
		files[f.path] = b.Bytes()
	}
	return files, nil
}

// sdk is what the templates render.
type sdk struct {
	Android bool
	// Package is the Java package; Client and Exception are the class
	// names of the client and of its exception.
	Package, Client, Exception string
	// Title is what docs call the API, Version its version and Doc its
	// description, in Javadoc paragraphs.
	Title, Version string
	Doc            []string
	// Endpoint, Stage, Region and Service are the defaults; Endpoint and
	// Region may be empty (no default).
	Endpoint, Stage, Region, Service string
	Ops                              []*operation
	Models                           []*model
	// What the operations use, so that the client has no code for what
	// none of them needs.
	Bearer, SigV4, PathParams, Greedy, Query, Headers, Body, Text, Checks, Lists bool
	// ClientImports are the client's imports; ClientDoc and BuilderDoc
	// the Javadoc of the client and of its builder.
	ClientImports         []string
	ClientDoc, BuilderDoc string
	// For the README: the description's paragraphs, the jar's name, the
	// operations to show calls of (or nil), and the operations of each
	// kind of authentication.
	DocMD                          []string
	JarName                        string
	FirstSample, ErrorSample       *operation
	APIKeyOps, BearerOps, SigV4Ops []string
}

// gen holds what naming needs while building.
type gen struct {
	api     *spec.API
	types   map[string]string // model name → class
	typeRes map[string]bool
}

// build works out everything the templates print.
func build(api *spec.API, cfg spec.Config, android bool) (*sdk, error) {
	pkg, err := packageName(api.Name, cfg.Package)
	if err != nil {
		return nil, err
	}
	base := spec.Ident(spec.Pascal(api.Name), "Api", nil)
	s := &sdk{
		Android:   android,
		Package:   pkg,
		Client:    base + "Client",
		Exception: base + "Exception",
		Title:     api.TitleOrName(),
		Version:   api.Version,
		Doc:       paragraphs(api.Doc),
		Stage:     api.Stage,
		Region:    api.Region,
		Service:   api.SigV4Service(),
		Endpoint:  api.BaseURL, // as it is, when there is no stage
	}
	if api.Stage != "" {
		s.Endpoint = api.Endpoint()
	}
	g := &gen{api: api, types: map[string]string{}, typeRes: typeReserved(s.Client, s.Exception)}
	if err := g.names(); err != nil {
		return nil, err
	}
	for i := range api.Models {
		m, err := g.model(&api.Models[i], pkg)
		if err != nil {
			return nil, err
		}
		s.Models = append(s.Models, m)
	}
	for i := range api.Operations {
		op, err := g.operation(&api.Operations[i], s)
		if err != nil {
			return nil, err
		}
		s.Ops = append(s.Ops, op)
	}
	readme(s, api)
	s.ClientImports = clientImports(s)
	s.ClientDoc, s.BuilderDoc = clientDocs(s)
	return s, nil
}

// readme works out what only the README shows: the operations to show
// calls of, those of each kind of authentication, the description as
// Markdown, and the name of the jar to build.
func readme(s *sdk, api *spec.API) {
	s.JarName = strings.Join(spec.Words(api.Name), "-") + "-sdk.jar"
	if s.JarName == "-sdk.jar" {
		s.JarName = "api-sdk.jar"
	}
	best, bestErr := 1<<30, 1<<30
	for _, op := range s.Ops {
		if op.Sample == "" {
			continue
		}
		// Show the simplest call, and a 404 on one with a path parameter.
		score := len(op.Params)
		if op.AuthDoc != "" {
			score += 10
		}
		if op.Method == "ANY" {
			score += 5
		}
		if op.TextResult || op.Operation.Result == nil {
			score++
		}
		if score < best {
			best, s.FirstSample = score, op
		}
		if len(op.RequiredParams()) > 0 && op.RequiredParams()[0].In == spec.InPath {
			score -= 3
		}
		if score < bestErr {
			bestErr, s.ErrorSample = score, op
		}
	}
	for _, op := range s.Ops {
		if op.Auth.APIKey {
			s.APIKeyOps = append(s.APIKeyOps, op.Ident)
		}
		if op.Auth.Bearer {
			s.BearerOps = append(s.BearerOps, op.Ident)
		}
		if op.Auth.SigV4 {
			s.SigV4Ops = append(s.SigV4Ops, op.Ident)
		}
	}
	s.DocMD = spec.Paragraphs(api.Doc)
}

var javaPackage = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`)

// packageName is cfg's package, checked, or com.example.<name>.
func packageName(name, cfg string) (string, error) {
	if cfg != "" {
		if !javaPackage.MatchString(cfg) {
			return "", fmt.Errorf("sdkgen: java: package %q is not a Java package name", cfg)
		}
		for _, seg := range strings.Split(cfg, ".") {
			if keywords[seg] {
				return "", fmt.Errorf("sdkgen: java: package %q: %q is a Java keyword", cfg, seg)
			}
		}
		return cfg, nil
	}
	seg := strings.Join(spec.Words(name), "")
	if seg == "" {
		seg = "api"
	}
	return "com.example." + spec.Ident(seg, "_", keywords), nil
}

func clientImports(s *sdk) []string {
	set := map[string]bool{
		"java.io.IOException":               true,
		"java.net.URI":                      true,
		"java.util.LinkedHashMap":           true,
		"java.util.Map":                     true,
		"java.nio.charset.StandardCharsets": s.Text || s.Body || !s.SigV4,
		"java.util.List":                    s.Lists || s.Query || s.Headers || s.Android,
		"java.util.Objects":                 s.Checks || s.SigV4 || !s.Android,
	}
	if s.Android {
		for _, i := range []string{"java.io.ByteArrayOutputStream", "java.io.InputStream", "java.io.OutputStream",
			"java.net.HttpURLConnection", "java.util.Arrays"} {
			set[i] = true
		}
	} else {
		for _, i := range []string{"java.io.InterruptedIOException", "java.net.http.HttpClient",
			"java.net.http.HttpRequest", "java.net.http.HttpResponse", "java.time.Duration"} {
			set[i] = true
		}
	}
	return sortedKeys(set)
}

// clientDocs are the Javadoc comments of the client and of its builder.
func clientDocs(s *sdk) (client, builder string) {
	about := "A client of the " + escape(s.Title) + " API"
	if s.Version != "" {
		about += " (version " + escape(s.Version) + ")"
	}
	paras := append([]string{about + "."}, s.Doc...)
	paras = append(paras, "Make one with {@link #builder()}. A client is immutable and safe for concurrent use. "+
		"Each method sends one request and waits for its answer: it throws {@link "+s.Exception+"} when the API "+
		"answers with a status other than 2xx, and {@link IOException} when the request cannot be sent or its answer read.")
	if s.Android {
		paras = append(paras, "Call the methods from a background thread: Android does not allow network access "+
			"on the main thread. HttpURLConnection cannot send methods other than GET, POST, HEAD, OPTIONS, PUT, "+
			"DELETE and TRACE (PATCH, for one): those are sent as POST with the method in the X-HTTP-Method-Override "+
			"header, which the server must honour.")
	}
	b := "Configures a {@link " + s.Client + "}: where its requests go and the credentials they carry. " +
		"A new builder has the defaults"
	if s.Endpoint == "" {
		b += "; the endpoint must be set"
	}
	b += ". A builder is not safe for concurrent use."
	return javadoc("", paras, nil), javadoc("    ", []string{b}, nil)
}

// Encode is the client's function that percent-encodes URL parts.
func (s *sdk) Encode() string {
	if s.SigV4 {
		return "SigV4.uriEncode"
	}
	return "encode"
}

func sortedKeys(set map[string]bool) []string {
	var out []string
	for k, ok := range set {
		if ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
