// Package spec is the language-neutral description of an API that the
// SDK generators work from: operations with typed parameters, and models.
// sdkgen builds it from an OpenAPI document; each language package turns
// it into source files.
package spec

import (
	"fmt"
	"strings"
)

// API is what an SDK is generated from.
type API struct {
	// Name is the API's name as written ("petstore"); generators derive the
	// client's and the package's names from it (PetstoreClient,
	// petstore).
	Name string
	// Title and Doc describe the API, for READMEs and doc comments.
	Title, Doc string
	// Version is the API's version ("1.0").
	Version string
	// BaseURL is the default base URL, stage included
	// ("http://127.0.0.1:8080/prod"); the SDKs let callers change it.
	BaseURL string
	// Stage is the stage BaseURL ends with, or "" for the $default stage.
	Stage string
	// Region and Service are what SigV4 signs for by default ("local",
	// "execute-api"); callers may change the region.
	Region, Service string
	// Operations are the API's operations, in path then method order.
	Operations []Operation
	// Models are the named types the operations use, sorted by name.
	Models []Model
}

// Operation is one route of the API: one method of the generated client.
type Operation struct {
	// Name is the operation's name in lower camel case ("getPet"); each
	// generator recases it.
	Name string
	// Method is the HTTP method, upper case, or "ANY": then the generated
	// method takes the HTTP method as its first argument.
	Method string
	// Path is the path template below the base URL: "/pets/{id}",
	// "/files/{proxy+}".
	Path string
	// Doc describes the operation (its summary and description).
	Doc string
	// Params are its parameters: path ones in path order, then query, then
	// header ones, each group sorted by name.
	Params []Param
	// Body is the request body's type, or nil for none.
	Body *Type
	// BodyRequired says whether the body must be given.
	BodyRequired bool
	// Result is the type of the success (2xx) response's JSON body, or nil
	// when it has none or it is not JSON.
	Result *Type
	// TextResult says the success response is text (not JSON): the method
	// returns it as a string.
	TextResult bool
	// Auth says what the operation needs.
	Auth Auth
}

// Auth is the security an operation requires. Several may be set: the
// generated client adds each that is configured.
type Auth struct {
	// APIKey: the x-api-key header.
	APIKey bool
	// SigV4: an AWS Signature Version 4 signature.
	SigV4 bool
	// Bearer: a token in the Authorization header (a JWT).
	Bearer bool
}

// In is where a parameter goes.
type In string

// Where parameters go.
const (
	InPath   In = "path"
	InQuery  In = "query"
	InHeader In = "header"
)

// Param is an operation's parameter.
type Param struct {
	// Name is the name on the wire: the path template's, the query
	// string's, or the header's.
	Name string
	// In is where it goes.
	In In
	// Type is a scalar: String, Integer, Number or Boolean (or an Array of
	// one, for a repeated query parameter).
	Type Type
	// Required parameters are arguments of the generated method; optional
	// ones are in an options value.
	Required bool
	// Greedy marks a {name+} path parameter: it may hold slashes, which
	// are not escaped.
	Greedy bool
	// Doc describes it.
	Doc string
}

// Kind is a type's kind.
type Kind int

// The kinds of types.
const (
	// Any is any JSON value: what a schema the generators cannot type
	// becomes (oneOf, mixed types).
	Any Kind = iota
	String
	Integer
	Number
	Boolean
	// Array has Elem elements.
	Array
	// Map is an object with string keys and Elem values.
	Map
	// Ref is the model named Ref.
	Ref
)

// Type is the type of a value.
type Type struct {
	Kind Kind
	// Elem is the element type of an Array or a Map.
	Elem *Type
	// Ref names the model of a Ref.
	Ref string
	// Format is the schema's format ("int64", "date-time"), for
	// generators that have a better type for it.
	Format string
}

// String returns a short description: "[]Pet", "map[string]integer".
func (t Type) String() string {
	switch t.Kind {
	case String:
		return "string"
	case Integer:
		return "integer"
	case Number:
		return "number"
	case Boolean:
		return "boolean"
	case Array:
		return "[]" + t.Elem.String()
	case Map:
		return "map[string]" + t.Elem.String()
	case Ref:
		return t.Ref
	}
	return "any"
}

// Model is a named object type.
type Model struct {
	// Name is the model's name in upper camel case ("Pet").
	Name string
	// Doc describes it.
	Doc string
	// Fields are its properties, sorted by name.
	Fields []Field
}

// Field is a property of a model.
type Field struct {
	// Name is the JSON property name.
	Name string
	Type Type
	// Required fields are always present; optional ones may be absent.
	Required bool
	Doc      string
}

// Model returns the model called name, or nil.
func (a *API) Model(name string) *Model {
	for i := range a.Models {
		if a.Models[i].Name == name {
			return &a.Models[i]
		}
	}
	return nil
}

// RequiredParams returns op's required parameters, in order.
func (op *Operation) RequiredParams() []Param { return op.params(true) }

// OptionalParams returns op's optional parameters, in order.
func (op *Operation) OptionalParams() []Param { return op.params(false) }

func (op *Operation) params(required bool) []Param {
	var out []Param
	for _, p := range op.Params {
		if p.Required == required {
			out = append(out, p)
		}
	}
	return out
}

// Words splits a name into lower-case words at anything not a letter or a
// digit and at case changes: "getPetById" and "get_pet-by id" are both
// get pet by id; "HTTPProxy" is http proxy; "v2Pets" is v2 pets.
func Words(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !isAlnum(r):
			flush()
			continue
		case isUpper(r) && len(cur) > 0:
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && isLower(rs[i+1])
			if isLower(prev) || isDigit(prev) || (isUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
func isLower(r rune) bool { return r >= 'a' && r <= 'z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }
func isAlnum(r rune) bool { return isUpper(r) || isLower(r) || isDigit(r) }

// Camel joins the words of s in lower camel case: "get_pet" is getPet.
func Camel(s string) string {
	p := Pascal(s)
	if p == "" {
		return ""
	}
	// Lower the first word, whole: "HTTPProxy" → "httpProxy".
	w := Words(s)
	return w[0] + p[len(w[0]):]
}

// Pascal joins the words of s in upper camel case: "get_pet" is GetPet.
func Pascal(s string) string {
	var b strings.Builder
	for _, w := range Words(s) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// Snake joins the words of s with underscores: "getPet" is get_pet.
func Snake(s string) string { return strings.Join(Words(s), "_") }

// Ident makes name (already cased for a language) a valid identifier:
// a name starting with a digit gets prefix; a reserved word gets suffix
// "_" appended.
func Ident(name, prefix string, reserved map[string]bool) string {
	if name == "" {
		return prefix
	}
	if isDigit(rune(name[0])) {
		name = prefix + name
	}
	if reserved[name] {
		name += "_"
	}
	return name
}

// Distinct checks that no two of originals become the same identifier in
// lang, ident making an identifier of each; place says where they are
// ("operation getPet: parameters"). The error names both.
func Distinct(lang, place string, originals []string, ident func(string) string) error {
	seen := map[string]string{}
	for _, o := range originals {
		id := ident(o)
		if prev, ok := seen[id]; ok {
			return fmt.Errorf("sdkgen: %s: %s %q and %q are both %q in %s", lang, place, prev, o, id, lang)
		}
		seen[id] = o
	}
	return nil
}

// Reserved makes a set of reserved words.
func Reserved(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// Config is what the caller chose for a generated SDK.
type Config struct {
	// Package is the SDK's package: a Java package ("com.example.pets"),
	// a Go module path, a Ruby gem, Python package or npm package name.
	// If empty, each generator derives one from API.Name.
	Package string
}

// Files are generated files by slash-separated path.
type Files map[string][]byte
