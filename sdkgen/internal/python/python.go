// Package python generates the Python SDK: a package on the standard
// library only (urllib.request, json, hmac, hashlib, dataclasses) for
// Python 3.9 and later, with type hints throughout.
//
// The package (named from the API: petstore) holds a client class
// (PetstoreClient) with one method per operation, a dataclass per model
// with from_dict and to_dict, ApiError for statuses other than 2xx, and a
// SigV4 signer. Names follow PEP 8: methods, parameters and fields are
// snake case, classes upper camel case; a keyword gets a trailing "_"
// (class_). Required parameters are positional, optional ones keyword-only
// with a None default; optional model fields are Optional with a None
// default.
package python

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// lang is how errors name the language.
const lang = "python"

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	// pydoc escapes text for a docstring.
	"pydoc": func(s string) string { return strings.NewReplacer(`\`, `\\`, `"""`, `\"\"\"`).Replace(s) },
}).ParseFS(templateFS, "templates/*.tmpl"))

// Generate returns the SDK's files: README.md, pyproject.toml and the
// package's modules.
func Generate(api *spec.API, cfg spec.Config) (spec.Files, error) {
	g, err := newGenerator(api, cfg)
	if err != nil {
		return nil, err
	}
	return g.files()
}

// keywords are Python's keywords, which no identifier may be.
const keywords = "False None True and as assert async await break class continue def del elif " +
	"else except finally for from global if import in is lambda nonlocal not or pass raise " +
	"return try while with yield"

var (
	// methodWords may not name a client method.
	methodWords = spec.Reserved(keywords)
	// paramWords may not name a parameter: the method's own names too.
	paramWords = spec.Reserved(keywords + " self response method body")
	// fieldWords may not name a model field: the model's methods too.
	fieldWords = spec.Reserved(keywords + " from_dict to_dict")
	// modelWords are the names the modules that import the models use.
	modelWords = spec.Reserved(keywords + " Any Optional ApiError Credentials ValueError")
)

// generator holds the API and the Python names chosen for it.
type generator struct {
	api     *spec.API
	pkg     string            // the import name: petstore
	dist    string            // the distribution name in pyproject.toml
	client  string            // the client class: PetstoreClient
	models  map[string]string // model name → class name
	methods []string          // the client method of each operation
	params  [][]string        // the argument name of each parameter of each operation
	fields  map[string][]string
}

// distName is what a distribution name may be (PEP 508).
var distName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`)

// newGenerator chooses the SDK's names and checks that no two things the
// API distinguishes become one name in Python.
func newGenerator(api *spec.API, cfg spec.Config) (*generator, error) {
	if spec.Snake(api.Name) == "" {
		return nil, fmt.Errorf("sdkgen: %s: the API has no name to name the package after", lang)
	}
	g := &generator{api: api, dist: cfg.Package, models: map[string]string{}, fields: map[string][]string{}}
	if g.dist == "" {
		g.dist = spec.Snake(api.Name)
	}
	if !distName.MatchString(g.dist) {
		return nil, fmt.Errorf("sdkgen: %s: package %q is not a distribution name (letters, digits, . _ -)", lang, g.dist)
	}
	g.pkg = spec.Ident(spec.Snake(g.dist), "sdk_", methodWords)
	g.client = spec.Ident(spec.Pascal(api.Name), "Api", nil) + "Client"

	reserved := copyWith(modelWords, g.client)
	modelIdent := func(name string) string { return spec.Ident(spec.Pascal(name), "Model", reserved) }
	names := make([]string, len(api.Models))
	for i, m := range api.Models {
		names[i] = m.Name
		g.models[m.Name] = modelIdent(m.Name)
	}
	if err := spec.Distinct(lang, "models", names, modelIdent); err != nil {
		return nil, err
	}
	for _, m := range api.Models {
		fieldIdent := func(name string) string { return spec.Ident(spec.Snake(name), "field_", fieldWords) }
		var names, idents []string
		for _, f := range m.Fields {
			if err := g.checkType(f.Type, "model "+m.Name+": field "+f.Name); err != nil {
				return nil, err
			}
			names = append(names, f.Name)
			idents = append(idents, fieldIdent(f.Name))
		}
		if err := spec.Distinct(lang, "model "+m.Name+": fields", names, fieldIdent); err != nil {
			return nil, err
		}
		g.fields[m.Name] = idents
	}

	methodIdent := func(name string) string { return spec.Ident(spec.Snake(name), "op_", methodWords) }
	paramIdent := func(name string) string { return spec.Ident(spec.Snake(name), "param_", paramWords) }
	opNames := make([]string, len(api.Operations))
	for i, op := range api.Operations {
		opNames[i] = op.Name
		g.methods = append(g.methods, methodIdent(op.Name))
		var names, idents []string
		for _, p := range op.Params {
			if err := g.checkType(p.Type, "operation "+op.Name+": parameter "+p.Name); err != nil {
				return nil, err
			}
			names = append(names, p.Name)
			idents = append(idents, paramIdent(p.Name))
		}
		if err := spec.Distinct(lang, "operation "+op.Name+": parameters", names, paramIdent); err != nil {
			return nil, err
		}
		g.params = append(g.params, idents)
		for _, t := range []struct {
			what string
			t    *spec.Type
		}{{"body", op.Body}, {"result", op.Result}} {
			if t.t != nil {
				if err := g.checkType(*t.t, "operation "+op.Name+": "+t.what); err != nil {
					return nil, err
				}
			}
		}
		if _, err := parsePath(&op); err != nil {
			return nil, err
		}
	}
	if err := spec.Distinct(lang, "operations", opNames, methodIdent); err != nil {
		return nil, err
	}
	return g, nil
}

// checkType checks that every model t refers to exists.
func (g *generator) checkType(t spec.Type, place string) error {
	switch t.Kind {
	case spec.Ref:
		if _, ok := g.models[t.Ref]; !ok {
			return fmt.Errorf("sdkgen: %s: %s: no model %q", lang, place, t.Ref)
		}
	case spec.Array, spec.Map:
		if t.Elem != nil {
			return g.checkType(*t.Elem, place)
		}
	}
	return nil
}

func copyWith(set map[string]bool, extra ...string) map[string]bool {
	out := make(map[string]bool, len(set)+len(extra))
	for w := range set {
		out[w] = true
	}
	for _, w := range extra {
		out[w] = true
	}
	return out
}

// files renders every file of the SDK.
func (g *generator) files() (spec.Files, error) {
	view := g.view()
	files := spec.Files{}
	for name, tmpl := range map[string]string{
		"README.md":            "README.md.tmpl",
		"pyproject.toml":       "pyproject.toml.tmpl",
		g.pkg + "/__init__.py": "__init__.py.tmpl",
		g.pkg + "/client.py":   "client.py.tmpl",
		g.pkg + "/models.py":   "models.py.tmpl",
		g.pkg + "/errors.py":   "errors.py.tmpl",
		g.pkg + "/sigv4.py":    "sigv4.py.tmpl",
		g.pkg + "/py.typed":    "py.typed.tmpl",
	} {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, tmpl, view); err != nil {
			return nil, fmt.Errorf("sdkgen: %s: %s: %w", lang, name, err)
		}
		files[name] = b.Bytes()
	}
	return files, nil
}
