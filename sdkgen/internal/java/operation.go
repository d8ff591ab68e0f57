package java

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// operation is one method of the client.
type operation struct {
	spec.Operation
	// Ident is the method's name; Returns its return type ("void").
	Ident, Returns string
	// Doc is the method's Javadoc, rendered.
	Doc string
	// Params are the method's parameters, in order.
	Params []param
	// Checks are the parameters that must not be null.
	Checks []string
	// Request is the expression that builds the request; OptionCalls are
	// the calls that add the optional parameters to it.
	Request     string
	OptionCalls []string
	// Return is the statement that returns the answer.
	Return  string
	Options *options
	// OverloadDoc is the Javadoc of the overload without options.
	OverloadDoc string
	// Sample is an example call ("client.getPet(1)"), or "" when the
	// operation needs a body.
	Sample string
	// AuthDoc says how the operation authenticates ("the API key"), or
	// is "".
	AuthDoc string
}

// param is a parameter of a generated method.
type param struct {
	Type, Ident string
}

// options is the class of an operation's optional parameters.
type options struct {
	Package, Class, Client, Method string
	Fields                         []optionField
	Imports                        []string
}

// optionField is an optional parameter: a field of type Type, null when
// not set, and the method that sets it from an Arg.
type optionField struct {
	Ident, Type, Arg, Doc string
}

// operation makes the client method of op, and records in s what the
// client needs for it.
func (g *gen) operation(op *spec.Operation, s *sdk) (*operation, error) {
	out := &operation{Operation: *op, Ident: methodIdent(op.Name)}
	b := &opBuilder{g: g, s: s, out: out}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("sdkgen: java: operation %s: %w", op.Name, err)
	}
	return out, nil
}

// opBuilder builds one operation's method: its parameters, the calls that
// build its request, and its Javadoc tags, in order.
type opBuilder struct {
	g     *gen
	s     *sdk
	out   *operation
	calls []string // calls on the Request, after its constructor
	tags  []string // Javadoc block tags
	args  []string // the README example's arguments
}

func (b *opBuilder) build() error {
	op, out := &b.out.Operation, b.out
	method := javaString(op.Method)
	if op.Method == "ANY" {
		method = "method"
		b.param("String", "method", true, "@param method the HTTP method to send")
		b.args = append(b.args, `"GET"`)
	}
	for _, p := range op.RequiredParams() {
		typ, err := b.g.javaType(p.Type, true)
		if err != nil {
			return fmt.Errorf("parameter %q: %w", p.Name, err)
		}
		if p.Greedy {
			typ = "String" // its slashes are kept: it is text
		}
		id := paramIdent(p.Name)
		b.param(typ, id, isReference(typ), "@param "+id+" "+paramDoc(p))
		b.calls = append(b.calls, b.paramCall(p, id))
		b.args = append(b.args, sampleValue(typ, p.Name))
	}
	if err := b.body(); err != nil {
		return err
	}
	if err := b.options(); err != nil {
		return err
	}
	if op.Auth.Bearer {
		b.s.Bearer = true
		b.calls = append(b.calls, ".bearerAuth()")
	}
	if op.Auth.SigV4 {
		b.s.SigV4 = true
		b.calls = append(b.calls, ".sigV4Auth()")
	}
	out.Request = fmt.Sprintf("new Request(%s, %s)", method, javaString(op.Path))
	for _, c := range b.calls {
		out.Request += "\n                " + c
	}
	if err := b.result(); err != nil {
		return err
	}
	b.tags = append(b.tags,
		"@throws "+b.s.Exception+" if the API answers with a status other than 2xx",
		"@throws IOException if the request cannot be sent or the answer read")
	b.docs()
	if op.Body == nil {
		out.Sample = "client." + out.Ident + "(" + strings.Join(b.args, ", ") + ")"
	}
	return nil
}

// param adds a parameter to the method, with its @param tag.
func (b *opBuilder) param(typ, id string, check bool, tag string) {
	b.out.Params = append(b.out.Params, param{typ, id})
	if check {
		b.out.Checks = append(b.out.Checks, id)
		b.s.Checks = true
	}
	if strings.HasPrefix(typ, "List<") {
		b.s.Lists = true
	}
	b.tags = append(b.tags, tag)
}

// paramCall is the Request call that adds parameter p, whose value is
// the expression value.
func (b *opBuilder) paramCall(p spec.Param, value string) string {
	call := ".header"
	switch {
	case p.Greedy:
		b.s.Greedy, call = true, ".greedyPath"
	case p.In == spec.InPath:
		b.s.PathParams, call = true, ".path"
	case p.In == spec.InQuery:
		b.s.Query, call = true, ".query"
	default:
		b.s.Headers = true
	}
	return fmt.Sprintf("%s(%s, %s)", call, javaString(p.Name), value)
}

// body adds the body parameter, typed with its model.
func (b *opBuilder) body() error {
	op := &b.out.Operation
	if op.Body == nil {
		return nil
	}
	typ, err := b.g.javaType(*op.Body, false)
	if err != nil {
		return fmt.Errorf("body: %w", err)
	}
	b.s.Body = true
	value := b.g.encode(*op.Body, "body")
	tag := "@param body the request body"
	if !op.BodyRequired {
		tag += ", or null to send none"
		if hasRef(*op.Body) {
			value = "body == null ? null : " + value
		}
	}
	b.param(typ, "body", op.BodyRequired, tag)
	b.calls = append(b.calls, ".json("+value+")")
	return nil
}

// options makes the options class of the optional parameters, and the
// parameter that takes it.
func (b *opBuilder) options() error {
	op, out := &b.out.Operation, b.out
	opt := op.OptionalParams()
	if len(opt) == 0 {
		return nil
	}
	o := &options{Package: b.s.Package, Class: b.g.typeIdent(optionsName(op)), Client: b.s.Client, Method: out.Ident}
	imports := map[string]bool{}
	for _, p := range opt {
		typ, err := b.g.javaType(p.Type, false)
		if err != nil {
			return fmt.Errorf("parameter %q: %w", p.Name, err)
		}
		arg, _ := b.g.javaType(p.Type, true)
		if strings.HasPrefix(typ, "List<") {
			imports["java.util.List"] = true
			b.s.Lists = true
		}
		doc := "Sets the " + codeSpan(p.Name) + " " + string(p.In) + " parameter."
		if d := escape(strings.Join(strings.Fields(p.Doc), " ")); d != "" {
			doc += " " + d
		}
		id := methodIdent(p.Name)
		o.Fields = append(o.Fields, optionField{Ident: id, Type: typ, Arg: arg, Doc: doc})
		out.OptionCalls = append(out.OptionCalls, b.paramCall(p, "options."+id))
	}
	o.Imports = sortedKeys(imports)
	out.Options = o
	b.param(o.Class, "options", false, "@param options the optional parameters, or null for none")
	return nil
}

// result sets what the method returns, and how.
func (b *opBuilder) result() error {
	op, out := &b.out.Operation, b.out
	switch {
	case op.Result != nil:
		typ, err := b.g.javaType(*op.Result, false)
		if err != nil {
			return fmt.Errorf("result: %w", err)
		}
		if strings.HasPrefix(typ, "List<") {
			b.s.Lists = true
		}
		out.Returns = typ
		out.Return = "return Json.decode(execute(request), " + b.g.decoder(*op.Result) + ");"
		b.tags = append(b.tags, "@return "+resultDoc(*op.Result, typ))
	case op.TextResult:
		b.s.Text = true
		out.Returns = "String"
		out.Return = "return new String(execute(request), StandardCharsets.UTF_8);"
		b.tags = append(b.tags, "@return the answer's text")
	default:
		out.Returns = "void"
		out.Return = "execute(request);"
	}
	return nil
}

// docs writes the method's Javadoc, and the overload's: the operation's
// description, then what it sends, with which credentials.
func (b *opBuilder) docs() {
	op, out := &b.out.Operation, b.out
	sends := "Sends " + codeSpan(op.Method+" "+op.Path)
	if op.Method == "ANY" {
		sends = "Sends " + codeSpan(op.Path) + " with the given method"
	}
	var auth []string
	if op.Auth.APIKey {
		auth = append(auth, "the API key")
	}
	if op.Auth.Bearer {
		auth = append(auth, "the bearer token")
	}
	if op.Auth.SigV4 {
		auth = append(auth, "a SigV4 signature")
	}
	if len(auth) > 0 {
		out.AuthDoc = strings.Join(auth, " and ")
		sends += ", with " + out.AuthDoc
	}
	paras := append(paragraphs(op.Doc), sends+".")
	out.Doc = javadoc("    ", paras, b.tags)
	if out.Options == nil {
		return
	}
	var types, tags []string
	for _, p := range out.Params {
		types = append(types, erasure(p.Type))
	}
	for _, t := range b.tags {
		if !strings.HasPrefix(t, "@param options ") {
			tags = append(tags, t)
		}
	}
	out.OverloadDoc = javadoc("    ", []string{paras[0],
		"Calls {@link #" + out.Ident + "(" + strings.Join(types, ", ") + ")} with no options."}, tags)
}

// isReference says whether a parameter type may be null.
func isReference(typ string) bool {
	switch typ {
	case "int", "long", "double", "boolean":
		return false
	}
	return true
}

// paramDoc describes a parameter for its @param tag.
func paramDoc(p spec.Param) string {
	if d := escape(strings.Join(strings.Fields(p.Doc), " ")); d != "" {
		return d
	}
	if p.Greedy {
		return "the " + codeSpan(p.Name) + " path parameter: its slashes are kept"
	}
	return "the " + codeSpan(p.Name) + " " + string(p.In) + " parameter"
}

// resultDoc describes a result of type t (typ in Java) for its @return tag.
func resultDoc(t spec.Type, typ string) string {
	switch t.Kind {
	case spec.Any:
		return "the answer as a JSON value: a Map, a List, a String, a Long or Double, a Boolean, or null"
	case spec.Ref:
		return "the " + typ
	case spec.Array, spec.Map:
		return "the answer: a " + escape(typ)
	}
	return "the answer"
}

// sampleValue is an example argument of type typ for parameter name, in a
// README call.
func sampleValue(typ, name string) string {
	switch typ {
	case "int", "long", "Integer":
		return "1"
	case "Long":
		return "1L"
	case "double", "Double":
		return "1.5"
	case "boolean", "Boolean":
		return "true"
	case "String":
		return javaString(name)
	}
	if elem, ok := strings.CutPrefix(typ, "List<"); ok {
		return "java.util.Arrays.asList(" + sampleValue(strings.TrimSuffix(elem, ">"), name) + ")"
	}
	return "null"
}

// erasure is typ without type arguments, as a Javadoc link names it.
func erasure(typ string) string {
	if i := strings.IndexByte(typ, '<'); i >= 0 {
		return typ[:i]
	}
	return typ
}

// ParamList is the method's parameter list, with or without the options.
func (op *operation) ParamList(withOptions bool) string {
	return strings.Join(op.paramDecls(withOptions), ", ")
}

func (op *operation) paramDecls(withOptions bool) []string {
	var out []string
	for _, p := range op.Params {
		if p.Ident == "options" && op.Options != nil && !withOptions {
			continue
		}
		out = append(out, p.Type+" "+p.Ident)
	}
	return out
}

// Declaration is the method's declaration up to its "{", wrapped at 100
// columns: the parameters on a line of their own, or one a line.
func (op *operation) Declaration(withOptions bool) string {
	head := "    public " + op.Returns + " " + op.Ident + "("
	params := op.ParamList(withOptions)
	tail := ") throws IOException {"
	if len(head)+len(params)+len(tail) <= 100 {
		return head + params + tail
	}
	const cont = "\n            "
	if len(cont)-1+len(params)+1 <= 100 {
		return head + cont + params + ")" + cont + "throws IOException {"
	}
	return head + cont + strings.Join(op.paramDecls(withOptions), ","+cont) + ")" + cont + "throws IOException {"
}

// ArgList is what the overload without options passes on.
func (op *operation) ArgList() string {
	var out []string
	for _, p := range op.Params[:len(op.Params)-1] {
		out = append(out, p.Ident)
	}
	return strings.Join(append(out, "null"), ", ")
}

// Signature is the method's declaration, for the README.
func (op *operation) Signature() string {
	return op.Returns + " " + op.Ident + "(" + op.ParamList(true) + ")"
}
