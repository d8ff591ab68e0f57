package javascript

import (
	"fmt"
	"strings"

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
	if o.Path, o.segment, o.greedy, err = pathExpr(op.Path, path); err != nil {
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
	var needs []string
	if o.Spec.Auth.APIKey {
		needs = append(needs, "the API key")
	}
	if o.Spec.Auth.Bearer {
		needs = append(needs, "the bearer token")
	}
	if o.Spec.Auth.SigV4 {
		needs = append(needs, "the credentials (SigV4)")
	}
	if n := len(needs); n > 1 {
		needs = append(needs[:n-2], needs[n-2]+" and "+needs[n-1])
	}
	return strings.Join(needs, ", ")
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
		tags = append(tags, strings.TrimSpace("@param "+a.Name+" "+firstLine(a.Doc)))
	}
	if o.Options == requestOptions {
		tags = append(tags, "@param options A signal that aborts the request.")
	} else {
		tags = append(tags, "@param options The optional parameters, and a signal that aborts the request.")
	}
	tags = append(tags, "@throws {"+errorClass+"} When the response's status is not 2xx.")
	return comment("  ", o.Spec.Doc, o.Route(), strings.Join(tags, "\n"))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// pathExpr returns the JavaScript expression of a path template: a
// string, or a template literal that escapes each parameter.
func pathExpr(template string, params map[string]spec.Param) (expr string, segment, greedy bool, err error) {
	var b strings.Builder
	rest := template
	used := 0
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", false, false, fmt.Errorf("path %q: unclosed {", template)
		}
		b.WriteString(templateText(rest[:i]))
		name := rest[i+1 : i+j]
		plus := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		p, ok := params[name]
		if !ok {
			return "", false, false, fmt.Errorf("path %q: {%s} is not a path parameter", template, name)
		}
		if plus || p.Greedy {
			greedy = true
			fmt.Fprintf(&b, "${pathSegments(%s)}", paramIdent(p.Name))
		} else {
			segment = true
			fmt.Fprintf(&b, "${pathSegment(%s)}", paramIdent(p.Name))
		}
		used++
		rest = rest[i+j+1:]
	}
	if used < len(params) {
		return "", false, false, fmt.Errorf("path %q: not every path parameter is in it", template)
	}
	if used == 0 {
		return str(template), false, false, nil
	}
	b.WriteString(templateText(rest))
	return "`" + b.String() + "`", segment, greedy, nil
}

// templateText escapes s for a template literal.
func templateText(s string) string {
	return strings.NewReplacer("\\", "\\\\", "`", "\\`", "${", "\\${").Replace(s)
}
