package javascript

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// operation is a method of the client.
type operation struct {
	Spec *spec.Operation
	// Name is the method's name.
	Name string
	// Args are its positional arguments, then its options argument of
	// type Options, whose properties are Optional.
	Args     []arg
	Options  string
	Optional []arg
	// Path is the JavaScript expression of the path below the stage.
	Path string
	// Query and Headers are the parameters sent in the query string and
	// as headers.
	Query, Headers []wire
	// Body says whether the method has a body argument.
	Body bool
	// Result is the TypeScript type the method's promise resolves to, and
	// Read how it is read from the response: "json", "text" or "" (the
	// body is discarded).
	Result, Read string
	// Example is a call of the method, for the README.
	Example string

	segment, greedy bool // the path has a {name} parameter, a {name+} one
}

// arg is an argument of a method, or a property of its options.
type arg struct {
	Name, Type, Doc string
	Optional        bool
}

// wire is a parameter sent in the query string or as a header: its name
// there and the JavaScript expression of its value.
type wire struct{ Name, Expr string }

// newOperation returns the method of op.
func newOperation(op *spec.Operation, api *spec.API) (operation, error) {
	o := operation{Spec: op, Name: opIdent(op.Name), Options: requestOptions}
	where := "operation " + op.Name
	names := make([]string, len(op.Params))
	for i, p := range op.Params {
		names[i] = p.Name
	}
	if err := spec.Distinct("javascript", where+": parameters", names, paramIdent); err != nil {
		return operation{}, err
	}

	var example []string
	if op.Method == "ANY" {
		o.Args = append(o.Args, arg{Name: "method", Type: "string", Doc: "The HTTP method: GET, POST, PUT, DELETE..."})
		example = append(example, `"GET"`)
	}
	path := map[string]spec.Param{}
	for _, p := range op.Params {
		t, err := tsType(p.Type, api)
		if err != nil {
			return operation{}, fmt.Errorf("sdkgen: javascript: %s: parameter %s: %w", where, p.Name, err)
		}
		a := arg{Name: paramIdent(p.Name), Type: t, Doc: p.Doc, Optional: !p.Required}
		if a.Doc == "" {
			a.Doc = fmt.Sprintf("The %s parameter %s.", p.In, p.Name)
		}
		expr := a.Name
		if p.Required {
			o.Args = append(o.Args, a)
			example = append(example, sample(p.Type, p.Name, api))
		} else {
			o.Optional = append(o.Optional, a)
			expr = "options." + a.Name
		}
		switch p.In {
		case spec.InPath:
			if !p.Required {
				return operation{}, fmt.Errorf("sdkgen: javascript: %s: path parameter %s is optional", where, p.Name)
			}
			path[p.Name] = p
		case spec.InQuery:
			o.Query = append(o.Query, wire{str(p.Name), expr})
		case spec.InHeader:
			o.Headers = append(o.Headers, wire{str(p.Name), expr})
		default:
			return operation{}, fmt.Errorf("sdkgen: javascript: %s: parameter %s is in %q", where, p.Name, p.In)
		}
	}
	var err error
	if o.Path, o.segment, o.greedy, err = pathExpr(op, path); err != nil {
		return operation{}, fmt.Errorf("sdkgen: javascript: %s: %w", where, err)
	}
	if op.Body != nil {
		t, err := tsType(*op.Body, api)
		if err != nil {
			return operation{}, fmt.Errorf("sdkgen: javascript: %s: body: %w", where, err)
		}
		o.Args = append(o.Args, arg{Name: "body", Type: t, Doc: "The request body.", Optional: !op.BodyRequired})
		o.Body = true
		example = append(example, sample(*op.Body, "body", api))
	}
	if len(o.Optional) > 0 {
		o.Options = spec.Ident(spec.Pascal(op.Name), "Op", nil) + "Options"
	}
	switch {
	case op.TextResult:
		o.Result, o.Read = "string", "text"
	case op.Result != nil:
		if o.Result, err = tsType(*op.Result, api); err != nil {
			return operation{}, fmt.Errorf("sdkgen: javascript: %s: result: %w", where, err)
		}
		o.Read = "json"
	default:
		o.Result = "void"
	}
	o.Example = o.Name + "(" + strings.Join(example, ", ") + ")"
	return o, nil
}

// Needs says what the operation needs: "the API key and the bearer
// token", or "" for nothing.
func (o operation) Needs() string {
	return sdkdoc.List(o.Spec.Auth.Kinds("the API key", "the bearer token", "the credentials (SigV4)"))
}

// Route returns the operation's method and path, and what it needs:
// "`GET /pets/search`: needs the bearer token."
func (o operation) Route() string {
	route := "`" + o.Spec.Method + " " + o.Spec.Path + "`"
	if needs := o.Needs(); needs != "" {
		return route + ": needs " + needs + "."
	}
	return route + "."
}

// JSDoc returns the method's doc comment in index.js.
func (o operation) JSDoc() string { return comment("  ", o.Spec.Doc, o.Route()) }

// TSDoc returns the method's doc comment in index.d.ts, with its
// parameters and the error it rejects with.
func (o operation) TSDoc(errorClass string) string {
	var tags []string
	for _, a := range o.Args {
		tags = append(tags, strings.TrimSpace("@param "+a.Name+" "+sdkdoc.FirstLine(a.Doc)))
	}
	if o.Options == requestOptions {
		tags = append(tags, "@param options A signal that aborts the request.")
	} else {
		tags = append(tags, "@param options The optional parameters, and a signal that aborts the request.")
	}
	tags = append(tags, "@throws {"+errorClass+"} When the response's status is not 2xx.")
	return comment("  ", o.Spec.Doc, o.Route(), strings.Join(tags, "\n"))
}

// pathExpr returns the JavaScript expression of op's path: a string, or
// a template literal that escapes each parameter. params are op's path
// parameters by name: the template must use each.
func pathExpr(op *spec.Operation, params map[string]spec.Param) (expr string, segment, greedy bool, err error) {
	parts, err := op.PathParts()
	if pe := (*spec.PathError)(nil); errors.As(err, &pe) {
		if pe.Param == "" {
			return "", false, false, fmt.Errorf("path %q: unclosed {", op.Path)
		}
		return "", false, false, fmt.Errorf("path %q: {%s} is not a path parameter", op.Path, pe.Param)
	}
	var b strings.Builder
	used := 0
	for _, part := range parts {
		if part.Param < 0 {
			b.WriteString(templateText(part.Text))
			continue
		}
		p := op.Params[part.Param]
		if part.Plus || p.Greedy {
			greedy = true
			fmt.Fprintf(&b, "${pathSegments(%s)}", paramIdent(p.Name))
		} else {
			segment = true
			fmt.Fprintf(&b, "${pathSegment(%s)}", paramIdent(p.Name))
		}
		used++
	}
	if used < len(params) {
		return "", false, false, fmt.Errorf("path %q: not every path parameter is in it", op.Path)
	}
	if used == 0 {
		return str(op.Path), false, false, nil
	}
	return "`" + b.String() + "`", segment, greedy, nil
}

// templateText escapes s for a template literal.
func templateText(s string) string {
	return strings.NewReplacer("\\", "\\\\", "`", "\\`", "${", "\\${").Replace(s)
}
