// Package objc generates the Objective-C SDK: a client on NSURLSession
// with completion blocks, model classes that convert to and from
// NSDictionary, NSError-based errors, and SigV4 signing on a SHA-256 in
// plain C, so that it builds with Apple's toolchains and with GNUstep.
package objc

import (
	"bytes"
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"

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
	// models maps each spec model name to its class name.
	models map[string]string
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
	for _, name := range []string{"Error.h", "Error.m", "Internal.h", "JSON.m", "SigV4.h", "SigV4.m", "SHA256.h", "SHA256.c"} {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, name+".tmpl", data); err != nil {
			return nil, fmt.Errorf("sdkgen: objc: %s: %w", name, err)
		}
		files[p+name] = b.Bytes()
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
	prefix := spec.Pascal(name)
	if prefix == "" || !isLetter(prefix[0]) {
		prefix = "API" + prefix
	}
	g := &generator{
		api:    api,
		prefix: prefix,
		client: prefix + "Client",
		models: map[string]string{},
		fields: map[string][]string{},
	}
	var names []string
	typeName := func(s string) string { return prefix + spec.Pascal(s) }
	for _, m := range api.Models {
		names = append(names, m.Name)
		g.models[m.Name] = typeName(m.Name)
	}
	// A model may not take the name of a class the SDK declares: the
	// client's, SigV4's and the options classes.
	builtin := map[string]string{g.client: "the client", prefix + "SigV4Credentials": "SigV4", prefix + "SigV4Signer": "SigV4"}
	for i := range api.Operations {
		if len(api.Operations[i].OptionalParams()) > 0 {
			builtin[prefix+spec.Pascal(api.Operations[i].Name)+"Options"] = "the options of operation " + api.Operations[i].Name
		}
	}
	for _, m := range api.Models {
		if what, ok := builtin[g.models[m.Name]]; ok {
			return nil, fmt.Errorf("sdkgen: objc: model %s: its class %s is %s's", m.Name, g.models[m.Name], what)
		}
	}
	if err := spec.Distinct("objc", "models", names, typeName); err != nil {
		return nil, err
	}
	for _, m := range api.Models {
		var fields []string
		for _, f := range m.Fields {
			fields = append(fields, f.Name)
			g.fields[m.Name] = append(g.fields[m.Name], propertyName(f.Name))
			if err := g.check(f.Type, "model "+m.Name+": field "+f.Name); err != nil {
				return nil, err
			}
		}
		if err := spec.Distinct("objc", "model "+m.Name+": fields", fields, propertyName); err != nil {
			return nil, err
		}
	}
	var opNames []string
	for i := range api.Operations {
		op := &api.Operations[i]
		opNames = append(opNames, op.Name)
		o := operation{Operation: op, method: methodName(op.Name)}
		var params []string
		for _, p := range op.Params {
			params = append(params, p.Name)
			if p.Required {
				o.args = append(o.args, argName(p.Name))
			} else {
				o.args = append(o.args, propertyName(p.Name))
				o.options = prefix + spec.Pascal(op.Name) + "Options"
			}
			if err := g.check(p.Type, "operation "+op.Name+": parameter "+p.Name); err != nil {
				return nil, err
			}
		}
		// Required parameters are arguments, optional ones properties of
		// the options: each must be distinct in its own kind, and all of
		// them as arguments, since one method takes them.
		if err := spec.Distinct("objc", "operation "+op.Name+": parameters", params, argName); err != nil {
			return nil, err
		}
		for _, t := range []*spec.Type{op.Body, op.Result} {
			if t != nil {
				if err := g.check(*t, "operation "+op.Name); err != nil {
					return nil, err
				}
			}
		}
		g.ops = append(g.ops, o)
	}
	if err := spec.Distinct("objc", "operations", opNames, methodName); err != nil {
		return nil, err
	}
	return g, nil
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// check checks that t's models exist.
func (g *generator) check(t spec.Type, place string) error {
	switch t.Kind {
	case spec.Array, spec.Map:
		if t.Elem != nil {
			return g.check(*t.Elem, place)
		}
	case spec.Ref:
		if _, ok := g.models[t.Ref]; !ok {
			return fmt.Errorf("sdkgen: objc: %s: no model %q", place, t.Ref)
		}
	}
	return nil
}

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
func argName(s string) string {
	id := spec.Ident(spec.Camel(s), "_", keywords)
	if argLocals[id] {
		id += "_"
	}
	return id
}

// clientMembers are the client's own methods and properties, which
// operations may not take.
var clientMembers = spec.Reserved(`endpoint stage apiKey bearerToken credentials region service session
	requestWithMethod send`)

// methodName is an operation's selector's first word.
func methodName(s string) string {
	id := spec.Ident(spec.Camel(s), "_", keywords)
	if clientMembers[id] || objectMembers[id] {
		id += "_"
	}
	return id
}

// objcType returns the type of a property or argument of type t: object
// types, with NSNumber for numbers and Booleans.
func (g *generator) objcType(t spec.Type) string {
	switch t.Kind {
	case spec.String:
		return "NSString *"
	case spec.Integer, spec.Number, spec.Boolean:
		return "NSNumber *"
	case spec.Array:
		return "NSArray<" + g.elemType(t) + "> *"
	case spec.Map:
		return "NSDictionary<NSString *, " + g.elemType(t) + "> *"
	case spec.Ref:
		return g.models[t.Ref] + " *"
	}
	return "id"
}

func (g *generator) elemType(t spec.Type) string {
	if t.Elem == nil {
		return "id"
	}
	return strings.TrimSpace(g.objcType(*t.Elem))
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
	switch t.Kind {
	case spec.String:
		return "string"
	case spec.Integer, spec.Number:
		return "number"
	case spec.Boolean:
		return "boolean"
	case spec.Array:
		return "[]" + g.jsonElem(t)
	case spec.Map:
		return "{}" + g.jsonElem(t)
	case spec.Ref:
		return g.models[t.Ref]
	}
	return "any"
}

func (g *generator) jsonElem(t spec.Type) string {
	if t.Elem == nil {
		return "any"
	}
	return g.jsonType(*t.Elem)
}

// title is the API's title, or its name.
func (g *generator) title() string {
	if g.api.Title != "" {
		return g.api.Title
	}
	return g.api.Name
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

// service is the service SigV4 signs for by default.
func (g *generator) service() string {
	if g.api.Service != "" {
		return g.api.Service
	}
	return "execute-api"
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

// writer builds a source file line by line.
type writer struct{ bytes.Buffer }

// line writes one line: format with args, and a newline.
func (w *writer) line(format string, args ...any) {
	if len(args) == 0 {
		w.WriteString(format)
	} else {
		fmt.Fprintf(w, format, args...)
	}
	w.WriteByte('\n')
}

// doc writes text as a /// doc comment indented by indent.
func (w *writer) doc(indent, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimRight(l, " \t\r"); l == "" {
			w.line("%s///", indent)
		} else {
			w.line("%s/// %s", indent, l)
		}
	}
}
