// Package objc generates the Objective-C SDK: a client on NSURLSession
// with completion blocks, model classes that convert to and from
// NSDictionary, NSError-based errors, and SigV4 signing on a SHA-256 in
// plain C, so that it builds with Apple's toolchains and with GNUstep.
package objc

import (
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"

	"github.com/gatekit/gatekit/sdkgen/internal/apple"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.tmpl"))

// keywords are C's and Objective-C's reserved words, and names that
// Foundation defines as macros or types.
var keywords = spec.Reserved(`
	auto break case char const continue default do double else enum extern
	float for goto if inline int long register restrict return short signed
	sizeof static struct switch typedef union unsigned void volatile while
	_Bool _Complex _Imaginary bool true false id self super nil Nil YES NO
	BOOL SEL IMP Class NULL in out inout bycopy byref oneway atomic nonatomic
	readonly readwrite strong weak copy assign retain nullable nonnull
	instancetype protocol interface implementation end property synthesize
	dynamic selector encode try catch finally throw`)

// objectMembers are NSObject's methods, which model and options
// properties may not take.
var objectMembers = spec.Reserved(`
	description debugDescription hash class superclass self zone retain
	release autorelease retainCount dealloc finalize init copy mutableCopy
	isProxy`)

// generator holds the names chosen for one API's SDK.
type generator struct {
	api *spec.API
	// prefix starts every class, function and file name ("Petstore").
	prefix string
	client string
	// models maps each spec model name to its class name, and pointers
	// to the type of a pointer to one ("PetstorePet *").
	models, pointers map[string]string
	// fields maps each model to its fields' property names, in order.
	fields map[string][]string
	ops    []operation
}

// operation is one operation with its Objective-C names.
type operation struct {
	*spec.Operation
	// method is the selector's first word ("getPet").
	method string
	// args are the parameters' names, in op.Params order: argument names
	// of the required ones, property names of the optional ones.
	args []string
	// options is the class of the optional parameters, or "".
	options string
}

// Generate returns the SDK's files: the sources under Sources/ and
// README.md.
func Generate(api *spec.API, cfg spec.Config) (spec.Files, error) {
	g, err := newGenerator(api, cfg)
	if err != nil {
		return nil, err
	}
	p := "Sources/" + g.prefix
	files := spec.Files{
		"README.md":    g.readme(),
		p + ".h":       g.umbrella(),
		p + "Client.h": g.clientHeader(),
		p + "Client.m": g.clientSource(),
		p + "Models.h": g.modelsHeader(),
		p + "Models.m": g.modelsSource(),
	}
	// The files that do not depend on the operations and models.
	data := map[string]string{
		"P":           g.prefix,
		"Name":        g.api.Name,
		"Guard":       strings.ToUpper(spec.Snake(g.prefix)),
		"ErrorDomain": errorDomain(g.api.Name, g.prefix),
	}
	tmpls := map[string]string{}
	for _, name := range []string{"Error.h", "Error.m", "Internal.h", "JSON.m", "SigV4.h", "SigV4.m", "SHA256.h", "SHA256.c"} {
		tmpls[p+name] = name + ".tmpl"
	}
	if err := files.Render("objc", templates, data, tmpls); err != nil {
		return nil, err
	}
	return files, nil
}

// errorDomain is the error domain's string: a reverse-DNS-like name.
func errorDomain(name, prefix string) string {
	if s := spec.Snake(name); s != "" {
		return s + ".error"
	}
	return strings.ToLower(prefix) + ".error"
}

// newGenerator chooses the SDK's names and checks that no two things get
// the same one.
func newGenerator(api *spec.API, cfg spec.Config) (*generator, error) {
	name := cfg.Package
	if name == "" {
		name = api.Name
	}
	prefix := spec.Ident(spec.Pascal(name), "API", nil)
	g := &generator{api: api, prefix: prefix, client: prefix + "Client"}
	typeName := func(s string) string { return prefix + spec.Pascal(s) }
	// A model may not take the name of a class the SDK declares: the
	// client's, SigV4's and the options classes.
	builtin := map[string]string{g.client: "the client", prefix + "SigV4Credentials": "SigV4", prefix + "SigV4Signer": "SigV4"}
	for i := range api.Operations {
		if len(api.Operations[i].OptionalParams()) > 0 {
			builtin[prefix+spec.Pascal(api.Operations[i].Name)+"Options"] = "the options of operation " + api.Operations[i].Name
		}
	}
	for _, m := range api.Models {
		if what, ok := builtin[typeName(m.Name)]; ok {
			return nil, fmt.Errorf("sdkgen: objc: model %s: its class %s is %s's", m.Name, typeName(m.Name), what)
		}
	}
	// Required parameters are arguments, optional ones properties of the
	// options: each must be distinct in its own kind, and all of them as
	// arguments, since one method takes them.
	names, err := apple.Name("objc", api, spec.Namers{Model: typeName, Field: propertyName, Method: methodName, Param: argName})
	if err != nil {
		return nil, err
	}
	g.models, g.fields, g.pointers = names.Models, names.Fields, map[string]string{}
	for name, class := range g.models {
		g.pointers[name] = class + " *"
	}
	for i := range api.Operations {
		op := &api.Operations[i]
		o := operation{Operation: op, method: names.Methods[i], args: names.Params[i]}
		for j, p := range op.Params {
			if !p.Required {
				o.args[j] = propertyName(p.Name)
				o.options = prefix + spec.Pascal(op.Name) + "Options"
			}
		}
		g.ops = append(g.ops, o)
	}
	return g, nil
}

// Spec returns the operation.
func (op operation) Spec() *spec.Operation { return op.Operation }

// ownedPrefixes start the method names that return an object the caller
// owns (Cocoa's naming convention, which ARC follows): a property may not
// start with one.
var ownedPrefixes = []string{"alloc", "copy", "mutableCopy", "new", "init"}

// propertyName is a model's or an options class's property name. Unlike
// an argument, a property may be called id (JSON's usual key): it does not
// hide the type where the property is used.
func propertyName(s string) string {
	id := spec.Camel(s)
	if id != "id" {
		id = spec.Ident(id, "_", keywords)
	}
	for _, p := range ownedPrefixes {
		if rest, ok := strings.CutPrefix(id, p); ok && (rest == "" || rest[0] >= 'A' && rest[0] <= 'Z' || rest[0] == '_') {
			return "a" + strings.ToUpper(id[:1]) + id[1:]
		}
	}
	if objectMembers[id] {
		id += "_"
	}
	return id
}

// argLocals are the names an operation's arguments may not take: the
// arguments the SDK adds and its methods' locals.
var argLocals = spec.Reserved("method body options completion request query path item")

// argName is a required parameter's argument name.
func argName(s string) string { return spec.Ident(spec.Camel(s), "_", argReserved) }

// argReserved are the names an argument may not take.
var argReserved = spec.Union(keywords, argLocals)

// clientMembers are the client's own methods and properties, which
// operations may not take.
var clientMembers = spec.Reserved(`endpoint stage apiKey bearerToken credentials region service session
	requestWithMethod send`)

// methodName is an operation's selector's first word.
func methodName(s string) string { return spec.Ident(spec.Camel(s), "_", methodReserved) }

// methodReserved are the names a method may not take.
var methodReserved = spec.Union(keywords, clientMembers, objectMembers)

// objcType returns the type of a property or argument of type t: object
// types, with NSNumber for numbers and Booleans.
func (g *generator) objcType(t spec.Type) string {
	return spec.TypeNames{
		String: "NSString *", Integer: "NSNumber *", Number: "NSNumber *", Boolean: "NSNumber *", Any: "id",
		Array:  func(elem string) string { return "NSArray<" + strings.TrimSpace(elem) + "> *" },
		Map:    func(elem string) string { return "NSDictionary<NSString *, " + strings.TrimSpace(elem) + "> *" },
		Models: g.pointers,
	}.Name(t)
}

// argType returns the type of a required parameter's argument: scalars
// for numbers and Booleans.
func (g *generator) argType(t spec.Type) string {
	switch t.Kind {
	case spec.Integer:
		return "NSInteger"
	case spec.Number:
		return "double"
	case spec.Boolean:
		return "BOOL"
	}
	return g.objcType(t)
}

// decl joins a type and a name: "NSString *name", "NSInteger page",
// "NSString *_Nullable name".
func decl(typ, name string) string {
	if strings.HasSuffix(typ, "*") {
		return typ + name
	}
	return typ + " " + name
}

// jsonType returns t as {prefix}FromJSON takes it.
func (g *generator) jsonType(t spec.Type) string {
	return spec.TypeNames{
		String: "string", Integer: "number", Number: "number", Boolean: "boolean", Any: "any",
		Array:  func(elem string) string { return "[]" + elem },
		Map:    func(elem string) string { return "{}" + elem },
		Models: g.models,
	}.Name(t)
}

// endpoint splits the API's base URL into the endpoint and the stage.
func (g *generator) endpoint() (endpoint, stage string) {
	base := strings.TrimRight(g.api.BaseURL, "/")
	if g.api.Stage != "" && strings.HasSuffix(base, "/"+g.api.Stage) {
		base = strings.TrimSuffix(base, "/"+g.api.Stage)
	}
	if u, err := url.Parse(base); err != nil || u.Host == "" {
		base = "http://localhost"
	}
	return base, g.api.Stage
}

// quote returns s as an Objective-C string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteString(`@"`)
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x""`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
