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
	"embed"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// lang is how errors name the language.
const lang = "ruby"

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates are the SDK's files.
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

// generator holds the API and the Ruby names chosen for it: the Names of
// its models, fields, methods and parameters.
type generator struct {
	api *spec.API
	*spec.Names
	gem    string // the gem's name: petstore
	file   string // what require loads: lib/petstore.rb
	module string // the module: Petstore
}

// newGenerator chooses the SDK's names and checks that no two things the
// API distinguishes become one name in Ruby.
func newGenerator(api *spec.API, cfg spec.Config) (*generator, error) {
	gem, err := spec.DistName(lang, "gem", api, cfg)
	if err != nil {
		return nil, err
	}
	g := &generator{api: api, gem: gem}
	g.file = spec.Snake(g.gem)
	g.module = spec.Ident(spec.Pascal(g.gem), "Api", constantWords)
	if g.Names, err = spec.SnakeCase(constantWords, fieldWords, methodWords, paramWords).Name(lang, api); err != nil {
		return nil, err
	}
	return g, nil
}

// files renders every file of the SDK.
func (g *generator) files() (spec.Files, error) {
	files := spec.Files{}
	lib := "lib/" + g.file
	if err := files.Render(lang, templates, g.view(), map[string]string{
		"README.md":         "README.md.tmpl",
		g.gem + ".gemspec":  "gemspec.tmpl",
		lib + ".rb":         "main.rb.tmpl",
		lib + "/version.rb": "version.rb.tmpl",
		lib + "/client.rb":  "client.rb.tmpl",
		lib + "/models.rb":  "models.rb.tmpl",
		lib + "/errors.rb":  "errors.rb.tmpl",
		lib + "/sigv4.rb":   "sigv4.rb.tmpl",
	}); err != nil {
		return nil, err
	}
	return files, nil
}
