package golang

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// opData is one method of the Client.
type opData struct {
	// Name is the method's name (GetPet).
	Name string
	Op   *spec.Operation
	// Doc is its doc comment's text.
	Doc string
	// Params and Results are its signature's parameter and result lists.
	Params, Results string
	// Body is its body's statements.
	Body string
	// Options are its optional parameters, or nil.
	Options *structData
}

// structData is a struct type: a model or an operation's options.
type structData struct {
	Name, Doc string
	Fields    []fieldData
}

// fieldData is a field of a struct type.
type fieldData struct {
	Name, Type, Tag, Doc string
}

// positional returns op's parameters that are arguments of its method:
// the required ones and every path one.
func positional(op *spec.Operation) []spec.Param {
	var out []spec.Param
	for _, p := range op.Params {
		if p.Required || p.In == spec.InPath {
			out = append(out, p)
		}
	}
	return out
}

// optional returns op's parameters that are fields of its options.
func optional(op *spec.Operation) []spec.Param {
	var out []spec.Param
	for _, p := range op.Params {
		if !p.Required && p.In != spec.InPath {
			out = append(out, p)
		}
	}
	return out
}

// methods are the net/http constants of the standard HTTP methods.
var methods = map[string]string{
	"GET": "http.MethodGet", "HEAD": "http.MethodHead", "POST": "http.MethodPost", "PUT": "http.MethodPut",
	"PATCH": "http.MethodPatch", "DELETE": "http.MethodDelete", "CONNECT": "http.MethodConnect",
	"OPTIONS": "http.MethodOptions", "TRACE": "http.MethodTrace",
}

// operation describes op's method.
func (g *generator) operation(op *spec.Operation) (opData, error) {
	d := opData{Name: exported(op.Name), Op: op}
	path, err := g.path(op)
	if err != nil {
		return d, fmt.Errorf("sdkgen: %s: operation %s: %w", lang, op.Name, err)
	}

	args := []string{"ctx context.Context"}
	method := methods[op.Method]
	switch {
	case op.Method == "ANY":
		args, method = append(args, "method string"), "method"
		g.AnyMethod = true
	case method == "":
		method = strconv.Quote(op.Method)
	}
	fields := []string{"method: " + method, "path: " + path}
	var stmts, paramDocs []string
	var hasQuery, hasHeader bool
	for _, p := range op.Params {
		hasQuery = hasQuery || p.In == spec.InQuery
		hasHeader = hasHeader || p.In == spec.InHeader
	}
	if hasQuery {
		fields = append(fields, "query: url.Values{}")
	}
	if hasHeader {
		fields = append(fields, "header: http.Header{}")
	}
	for _, p := range positional(op) {
		id := local(p.Name)
		args = append(args, id+" "+paramType(p.Type))
		if p.Doc != "" {
			paramDocs = append(paramDocs, "  - "+id+": "+oneLine(p.Doc))
		}
		if p.In != spec.InPath {
			stmts = append(stmts, g.set(p, id, false))
		}
	}

	var notes []string
	for _, p := range op.Params {
		if p.Greedy {
			notes = append(notes, local(p.Name)+" may hold slashes: each segment between them is escaped.")
		}
	}
	if op.Body != nil {
		var typ string
		if op.BodyRequired {
			typ, err = g.goType(*op.Body)
			if op.Body.Kind == spec.Ref {
				typ = "*" + typ
			}
			fields = append(fields, "body: body")
		} else {
			typ, err = g.nilable(*op.Body)
			stmts = append(stmts, "if body != nil {\nr.body = body\n}")
			notes = append(notes, "body may be nil: then none is sent.")
		}
		if err != nil {
			return d, fmt.Errorf("sdkgen: %s: operation %s: body: %w", lang, op.Name, err)
		}
		args = append(args, "body "+typ)
	}
	if opt := optional(op); len(opt) > 0 {
		d.Options = g.options(d.Name, opt)
		args = append(args, "opts *"+d.Options.Name)
		var set []string
		for i, p := range opt {
			set = append(set, g.set(p, "opts."+d.Options.Fields[i].Name, true))
		}
		stmts = append(stmts, "if opts != nil {\n"+strings.Join(set, "\n")+"\n}")
		notes = append(notes, "opts may be nil.")
	}
	if op.Auth.APIKey {
		notes = append(notes, "It needs the API key set with [WithAPIKey].")
	}
	if op.Auth.Bearer {
		fields = append(fields, "bearer: true")
		notes = append(notes, "It sends the bearer token set with [WithBearerToken].")
		g.Bearer = true
	}
	if op.Auth.SigV4 {
		fields = append(fields, "sigv4: true")
		notes = append(notes, "It is signed with the credentials set with [WithCredentials].")
		g.SigV4 = true
	}

	results, ret, err := g.result(op)
	if err != nil {
		return d, fmt.Errorf("sdkgen: %s: operation %s: result: %w", lang, op.Name, err)
	}
	sep, end := ", ", ""
	if len(fields) > 2 {
		sep, end = ",\n", ",\n"
		fields[0] = "\n" + fields[0]
	}
	stmts = append([]string{"r := &request{" + strings.Join(fields, sep) + end + "}"}, stmts...)
	d.Params, d.Results = signature(args), results
	d.Body = strings.Join(append(stmts, ret), "\n")

	doc := []string{d.Name + " calls " + op.Method + " " + op.Path + "."}
	if op.Method == "ANY" {
		doc[0] = d.Name + " calls " + op.Path + " with the HTTP method given."
	}
	if op.Doc != "" {
		doc = append(doc, op.Doc)
	}
	if len(paramDocs) > 0 {
		doc = append(doc, "Parameters:\n"+strings.Join(paramDocs, "\n"))
	}
	if len(notes) > 0 {
		doc = append(doc, wrap(strings.Join(notes, " ")))
	}
	d.Doc = strings.Join(doc, "\n\n")
	return d, nil
}

// path returns the Go expression of op's path, its parameters
// substituted and escaped.
func (g *generator) path(op *spec.Operation) (string, error) {
	var parts []string
	literal := func(s string) {
		if s != "" {
			segs := strings.Split(s, "/")
			for i, seg := range segs {
				segs[i] = url.PathEscape(seg)
			}
			parts = append(parts, strconv.Quote(strings.Join(segs, "/")))
		}
	}
	used := map[string]bool{}
	rest := op.Path
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			literal(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("path %q: a { is not closed", op.Path)
		}
		literal(rest[:i])
		name := rest[i+1 : i+j]
		greedy := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		var p *spec.Param
		for k := range op.Params {
			if op.Params[k].In == spec.InPath && op.Params[k].Name == name {
				p = &op.Params[k]
			}
		}
		if p == nil {
			return "", fmt.Errorf("path %q: {%s} is not a path parameter", op.Path, name)
		}
		used[name] = true
		parts = append(parts, g.pathValue(*p, greedy || p.Greedy))
		rest = rest[i+j+1:]
	}
	for _, p := range op.Params {
		if p.In == spec.InPath && !used[p.Name] {
			return "", fmt.Errorf("path parameter %q is not in the path %q", p.Name, op.Path)
		}
	}
	if len(parts) == 0 {
		return `""`, nil
	}
	return strings.Join(parts, " + "), nil
}

// pathValue returns the Go expression of path parameter p's value,
// escaped.
func (g *generator) pathValue(p spec.Param, greedy bool) string {
	id := local(p.Name)
	switch {
	case p.Type.Kind == spec.Array:
		return g.join(p.Type, id, "url.PathEscape")
	case scalarType(p.Type) != "string":
		return formatValue(p.Type, id) // digits, signs, dots and letters: nothing to escape
	case greedy:
		g.Greedy = true
		return "escapeGreedy(" + id + ")"
	}
	return "url.PathEscape(" + id + ")"
}

// join returns the Go expression of array x (of type t) as one value:
// the elements formatted, each passed through escape if it is a string
// and escape is not "", and joined with commas (OpenAPI's simple style).
func (g *generator) join(t spec.Type, x, escape string) string {
	e := t.RepeatedElem()
	typ := scalarType(e)
	switch {
	case typ != "string":
		g.Join = true
		return "joinValues(" + x + ", func(v " + typ + ") string { return " + formatValue(e, "v") + " })"
	case escape != "":
		g.Join = true
		return "joinValues(" + x + ", " + escape + ")"
	}
	return "strings.Join(" + x + `, ",")`
}

// set returns the statements that add query or header parameter p,
// whose value is x, to the request r: an optional one (a field of opts)
// only when it is set.
func (g *generator) set(p spec.Param, x string, opt bool) string {
	name := strconv.Quote(p.Name)
	target := "r.query"
	if p.In == spec.InHeader {
		target = "r.header"
	}
	switch {
	case p.Type.Kind == spec.Array && p.In == spec.InQuery:
		return "for _, v := range " + x + " {\n" + target + ".Add(" + name + ", " + formatValue(p.Type.RepeatedElem(), "v") + ")\n}"
	case p.Type.Kind == spec.Array && opt:
		return "if len(" + x + ") > 0 {\n" + target + ".Set(" + name + ", " + g.join(p.Type, x, "") + ")\n}"
	case p.Type.Kind == spec.Array:
		return target + ".Set(" + name + ", " + g.join(p.Type, x, "") + ")"
	case opt:
		return "if " + x + " != nil {\n" + target + ".Set(" + name + ", " + formatValue(p.Type, "*"+x) + ")\n}"
	}
	return target + ".Set(" + name + ", " + formatValue(p.Type, x) + ")"
}

// options describes the options struct of method name.
func (g *generator) options(name string, params []spec.Param) *structData {
	s := &structData{
		Name: name + "Options",
		Doc:  wrap(name + "Options are the optional parameters of [Client." + name + "]: a nil field is not sent."),
	}
	for _, p := range params {
		f := fieldData{Name: exported(p.Name), Type: paramType(p.Type)}
		if p.Type.Kind != spec.Array {
			f.Type = "*" + f.Type
			g.Pointers = true
		}
		where := "query parameter"
		if p.In == spec.InHeader {
			where = "header"
		}
		f.Doc = f.Name + " is the " + where + " " + strconv.Quote(p.Name) + "."
		if p.Doc != "" {
			f.Doc += "\n\n" + p.Doc
		}
		s.Fields = append(s.Fields, f)
	}
	return s
}

// result returns op's method's result list and its final statements.
func (g *generator) result(op *spec.Operation) (results, stmts string, err error) {
	switch {
	case op.TextResult:
		return "(string, error)", "data, err := c.send(ctx, r)\nif err != nil {\nreturn \"\", err\n}\nreturn string(data), nil", nil
	case op.Result == nil:
		return "error", "_, err := c.send(ctx, r)\nreturn err", nil
	}
	typ, err := g.goType(*op.Result)
	if err != nil {
		return "", "", err
	}
	g.Decode = true
	out := "out"
	if op.Result.Kind == spec.Ref {
		out = "&out"
		results = "(*" + typ + ", error)"
	} else {
		results = "(" + typ + ", error)"
	}
	return results, "var out " + typ + "\nif err := c.do(ctx, r, &out); err != nil {\nreturn " + zero(*op.Result) + ", err\n}\nreturn " + out + ", nil", nil
}

// signature joins a method's parameters ("name type"), naming the type
// once for a run of parameters of the same type: "method, proxy string".
func signature(args []string) string {
	var b strings.Builder
	for i, arg := range args {
		name, typ, _ := strings.Cut(arg, " ")
		if i+1 < len(args) && strings.HasSuffix(args[i+1], " "+typ) {
			arg = name
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(arg)
	}
	return b.String()
}

// oneLine joins the lines of s with spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
