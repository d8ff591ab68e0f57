// Package ruby generates the Ruby SDK: a gem on the standard library only
// (net/http, json, openssl) for Ruby 3.0 and later.
//
// The gem (named from the API: petstore) holds a module (Petstore) with a
// Client class that has one method per operation, a class per model with
// from_h and to_h, ApiError for statuses other than 2xx, and a SigV4
// signer. Names follow Ruby's conventions: methods, parameters and
// attributes are snake case, classes upper camel case; a keyword, or a
// method every object has (class, hash, send), gets a trailing "_"
// (class_). Required parameters are positional, optional ones keyword
// arguments defaulting to nil.
package ruby

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// lang is how errors name the language.
const lang = "ruby"

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.tmpl"))

// Generate returns the SDK's files: README.md, the gemspec and lib/.
func Generate(api *spec.API, cfg spec.Config) (spec.Files, error) {
	g, err := newGenerator(api, cfg)
	if err != nil {
		return nil, err
	}
	return g.files()
}

const (
	// keywords are Ruby's keywords.
	keywords = "BEGIN END __ENCODING__ __END__ __FILE__ __LINE__ alias and begin break case class def " +
		"do else elsif end ensure false for if in module next nil not or redo rescue retry " +
		"return self super then true undef unless until when while yield"
	// objectMethods are methods every object has, or that the generated
	// code calls without a receiver: a method or attribute of that name
	// would break them.
	objectMethods = "binding caller catch clone display dup extend fail format freeze frozen gets hash " +
		"initialize inspect instance_variables itself lambda loop method methods object_id open p " +
		"print printf proc public_send puts raise rand require select send singleton_class sleep " +
		"sprintf system tap throw to_s warn"
	// constants are the constants the generated code uses inside its
	// module, which a model class of the same name would hide.
	constants = "ApiError Client Credentials SigV4 VERSION Array BasicObject Class Comparable Data " +
		"Encoding Enumerable Exception FalseClass File Float Hash IO Integer JSON Kernel Math " +
		"Method Module Net NilClass Numeric Object OpenSSL Proc Random Range Regexp String Struct " +
		"Symbol Thread Time TrueClass URI"
)

var (
	// methodWords may not name a client method: the client's private
	// methods too.
	methodWords = spec.Reserved(keywords + " " + objectMethods +
		" send_request request_json query_string escape escape_path host_header")
	// paramWords may not name a parameter: the method's own names too.
	paramWords = spec.Reserved(keywords + " data method body")
	// fieldWords may not name a model attribute: the model's methods too.
	fieldWords = spec.Reserved(keywords + " " + objectMethods + " from_h to_h to_json")
	// constantWords may not name a model or the module.
	constantWords = spec.Reserved(constants)
)

// generator holds the API and the Ruby names chosen for it.
type generator struct {
	api     *spec.API
	gem     string            // the gem's name: petstore
	file    string            // what require loads: lib/petstore.rb
	module  string            // the module: Petstore
	models  map[string]string // model name → class name
	methods []string          // the client method of each operation
	params  [][]string        // the argument name of each parameter of each operation
	fields  map[string][]string
}

// gemName is what a gem's name may be.
var gemName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`)

// newGenerator chooses the SDK's names and checks that no two things the
// API distinguishes become one name in Ruby.
func newGenerator(api *spec.API, cfg spec.Config) (*generator, error) {
	if spec.Snake(api.Name) == "" {
		return nil, fmt.Errorf("sdkgen: %s: the API has no name to name the gem after", lang)
	}
	g := &generator{api: api, gem: cfg.Package, models: map[string]string{}, fields: map[string][]string{}}
	if g.gem == "" {
		g.gem = spec.Snake(api.Name)
	}
	if !gemName.MatchString(g.gem) {
		return nil, fmt.Errorf("sdkgen: %s: package %q is not a gem name (letters, digits, . _ -)", lang, g.gem)
	}
	g.file = spec.Snake(g.gem)
	g.module = spec.Ident(spec.Pascal(g.gem), "Api", constantWords)

	modelIdent := func(name string) string { return spec.Ident(spec.Pascal(name), "Model", constantWords) }
	names := make([]string, len(api.Models))
	for i, m := range api.Models {
		names[i] = m.Name
		g.models[m.Name] = modelIdent(m.Name)
	}
	if err := spec.Distinct(lang, "models", names, modelIdent); err != nil {
		return nil, err
	}
	fieldIdent := func(name string) string { return spec.Ident(spec.Snake(name), "field_", fieldWords) }
	for _, m := range api.Models {
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

// files renders every file of the SDK.
func (g *generator) files() (spec.Files, error) {
	v := g.view()
	files := spec.Files{}
	lib := "lib/" + g.file
	for name, tmpl := range map[string]string{
		"README.md":         "README.md.tmpl",
		g.gem + ".gemspec":  "gemspec.tmpl",
		lib + ".rb":         "main.rb.tmpl",
		lib + "/version.rb": "version.rb.tmpl",
		lib + "/client.rb":  "client.rb.tmpl",
		lib + "/models.rb":  "models.rb.tmpl",
		lib + "/errors.rb":  "errors.rb.tmpl",
		lib + "/sigv4.rb":   "sigv4.rb.tmpl",
	} {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, tmpl, v); err != nil {
			return nil, fmt.Errorf("sdkgen: %s: %s: %w", lang, name, err)
		}
		files[name] = b.Bytes()
	}
	return files, nil
}
