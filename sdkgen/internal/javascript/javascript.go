// Package javascript generates the JavaScript SDK: an ES module for
// browsers and Node.js 18 and later that needs only fetch and Web Crypto,
// with TypeScript declarations.
//
// The SDK's files are index.js (the client and its error class), sigv4.js
// (AWS Signature Version 4 on Web Crypto, the same for every API),
// index.d.ts, package.json and README.md. Models are plain objects: their
// properties keep their JSON names, so requests and responses need no
// conversion.
package javascript

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

//go:embed templates
var templates embed.FS

// tmpl holds the SDK's templates, with the helpers they call.
var tmpl = template.Must(template.New("").Funcs(template.FuncMap{
	"str":     str,
	"comment": comment,
	"pairs":   pairs,
}).ParseFS(templates, "templates/*.tmpl"))

// sigv4JS is the SigV4 signer, copied into every SDK as it is.
//
//go:embed templates/sigv4.js
var sigv4JS []byte

// Generate returns the SDK's files.
func Generate(api *spec.API, cfg spec.Config) (spec.Files, error) {
	v, err := newView(api, cfg)
	if err != nil {
		return nil, err
	}
	files := spec.Files{"sigv4.js": sigv4JS}
	if err := files.Render("javascript", tmpl, v, map[string]string{
		"index.js":   "index.js.tmpl",
		"index.d.ts": "index.d.ts.tmpl",
		"README.md":  "README.md.tmpl",
	}); err != nil {
		return nil, err
	}
	files["package.json"] = v.packageJSON()
	return files, nil
}

// view is what the templates are executed with.
type view struct {
	API *spec.API
	// Package is the npm package name and Version its version.
	Package, Version string
	// Client, Options and Error name the client class, its options
	// interface and the error class.
	Client, Options, Error string
	// Endpoint is the default endpoint: the base URL without the stage.
	Endpoint string
	// Title is what the API is called in prose: "the " and its title, or
	// "the NAME API".
	Title string
	// Segment and Greedy say whether some path has a {name} parameter
	// and a {name+} one.
	Segment, Greedy bool
	Ops             []operation
	Models          []model
}

// Names the SDK itself declares.
const (
	jsonValue      = "JsonValue"
	credentials    = "Credentials"
	requestOptions = "RequestOptions"
)

// newView chooses the SDK's names and checks that no two things the API
// distinguishes become one name in JavaScript.
func newView(api *spec.API, cfg spec.Config) (*view, error) {
	base := spec.Ident(spec.Pascal(api.Name), "Api", nil) // "Api" for no name
	v := &view{
		API:      api,
		Package:  cfg.Package,
		Version:  semver(api.Version),
		Client:   base + "Client",
		Options:  base + "ClientOptions",
		Error:    base + "Error",
		Endpoint: api.Endpoint(),
		Title:    api.Title,
	}
	switch {
	case v.Title == "":
		v.Title = strings.Join(append([]string{"the"}, strings.Fields(api.Name+" API")...), " ")
	case !strings.HasPrefix(strings.ToLower(v.Title), "the "):
		v.Title = "the " + v.Title
	}
	if v.Package == "" {
		v.Package = strings.Join(spec.Words(api.Name), "-")
		if v.Package == "" {
			v.Package = "api-client"
		}
	}
	if !npmName.MatchString(v.Package) {
		return nil, fmt.Errorf("sdkgen: javascript: %q is not an npm package name", v.Package)
	}

	// Every name declared at the top of index.d.ts, and what it is.
	types := map[string]string{}
	declare := func(name, what string) error {
		if prev, ok := types[name]; ok {
			return fmt.Errorf("sdkgen: javascript: %s and %s are both %q in javascript", prev, what, name)
		}
		types[name] = what
		return nil
	}
	for _, name := range []string{jsonValue, credentials, requestOptions, v.Client, v.Options, v.Error} {
		types[name] = "the SDK's own " + name
	}

	names := make([]string, len(api.Models))
	for i, m := range api.Models {
		names[i] = m.Name
	}
	if err := spec.Distinct("javascript", "models", names, modelIdent); err != nil {
		return nil, err
	}
	for _, m := range api.Models {
		mv, err := newModel(m, api)
		if err != nil {
			return nil, err
		}
		if err := declare(mv.Name, fmt.Sprintf("model %q", m.Name)); err != nil {
			return nil, err
		}
		v.Models = append(v.Models, mv)
	}

	names = make([]string, len(api.Operations))
	for i, op := range api.Operations {
		names[i] = op.Name
	}
	if err := spec.Distinct("javascript", "operations", names, opIdent); err != nil {
		return nil, err
	}
	for i := range api.Operations {
		op, err := newOperation(&api.Operations[i], api)
		if err != nil {
			return nil, err
		}
		if op.Options != requestOptions {
			if err := declare(op.Options, fmt.Sprintf("the options of operation %q", op.Spec.Name)); err != nil {
				return nil, err
			}
		}
		v.Segment = v.Segment || op.segment
		v.Greedy = v.Greedy || op.greedy
		v.Ops = append(v.Ops, op)
	}
	return v, nil
}

// ExampleFor returns the first operation that takes auth ("apiKey",
// "bearer" or "sigv4"; "" for none, preferring one with arguments and a
// method of its own), or the first one when none does.
func (v *view) ExampleFor(auth string) *operation {
	var found *operation
	for i, op := range v.Ops {
		a := op.Spec.Auth
		switch {
		case auth == "" && a == spec.Auth{} && len(op.Args) > 0 && op.Spec.Method != "ANY":
			return &v.Ops[i]
		case auth == "" && a == spec.Auth{} && found == nil:
			found = &v.Ops[i]
		case auth == "apiKey" && a.APIKey, auth == "bearer" && a.Bearer, auth == "sigv4" && a.SigV4:
			return &v.Ops[i]
		}
	}
	if found != nil {
		return found
	}
	if len(v.Ops) == 0 {
		return nil
	}
	return &v.Ops[0]
}

// Any says whether some operation takes the HTTP method as an argument.
func (v *view) Any() bool {
	for _, op := range v.Ops {
		if op.Spec.Method == "ANY" {
			return true
		}
	}
	return false
}

// npmName matches the names npm accepts for new packages.
var npmName = regexp.MustCompile(`^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$`)

// semver makes a version such as "1.0" a semantic version ("1.0.0"), as
// npm requires; anything else becomes "0.0.0".
func semver(version string) string {
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	if len(parts) > 3 {
		return "0.0.0"
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" || (len(p) > 1 && p[0] == '0') {
			return "0.0.0"
		}
	}
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	return strings.Join(parts, ".")
}

// packageJSON returns the package's package.json.
func (v *view) packageJSON() []byte {
	type export struct {
		Types   string `json:"types"`
		Default string `json:"default"`
	}
	pkg := struct {
		Name        string            `json:"name"`
		Version     string            `json:"version"`
		Description string            `json:"description"`
		Type        string            `json:"type"`
		Exports     map[string]export `json:"exports"`
		Types       string            `json:"types"`
		Files       []string          `json:"files"`
		SideEffects bool              `json:"sideEffects"`
		Engines     map[string]string `json:"engines"`
	}{
		Name:        v.Package,
		Version:     v.Version,
		Description: "A client of " + v.Title + ", for browsers and Node.js",
		Type:        "module",
		Exports:     map[string]export{".": {Types: "./index.d.ts", Default: "./index.js"}},
		Types:       "./index.d.ts",
		Files:       []string{"index.js", "index.d.ts", "sigv4.js", "README.md"},
		Engines:     map[string]string{"node": ">=18"},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(pkg) // only strings, maps and slices: it always encodes
	return b.Bytes()
}
