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
	"embed"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// lang is how errors name the language.
const lang = "python"

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates are the SDK's files, with pydoc for their docstrings.
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

// generator holds the API and the Python names chosen for it: the
// Names of its models, fields, methods and parameters.
type generator struct {
	api *spec.API
	*spec.Names
	pkg    string // the import name: petstore
	dist   string // the distribution name in pyproject.toml
	client string // the client class: PetstoreClient
}

// newGenerator chooses the SDK's names and checks that no two things the
// API distinguishes become one name in Python.
func newGenerator(api *spec.API, cfg spec.Config) (*generator, error) {
	dist, err := spec.DistName(lang, "distribution", api, cfg)
	if err != nil {
		return nil, err
	}
	g := &generator{api: api, dist: dist}
	g.pkg = spec.Ident(spec.Snake(g.dist), "sdk_", methodWords)
	g.client = spec.Ident(spec.Pascal(api.Name), "Api", nil) + "Client"
	reserved := spec.Union(modelWords, spec.Reserved(g.client))
	if g.Names, err = spec.SnakeCase(reserved, fieldWords, methodWords, paramWords).Name(lang, api); err != nil {
		return nil, err
	}
	return g, nil
}

// files renders every file of the SDK.
func (g *generator) files() (spec.Files, error) {
	files := spec.Files{}
	if err := files.Render(lang, templates, g.view(), map[string]string{
		"README.md":            "README.md.tmpl",
		"pyproject.toml":       "pyproject.toml.tmpl",
		g.pkg + "/__init__.py": "__init__.py.tmpl",
		g.pkg + "/client.py":   "client.py.tmpl",
		g.pkg + "/models.py":   "models.py.tmpl",
		g.pkg + "/errors.py":   "errors.py.tmpl",
		g.pkg + "/sigv4.py":    "sigv4.py.tmpl",
		g.pkg + "/py.typed":    "py.typed.tmpl",
	}); err != nil {
		return nil, err
	}
	return files, nil
}
