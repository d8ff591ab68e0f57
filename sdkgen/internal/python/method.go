package python

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// method renders the client method of operation i.
func (g *generator) method(i int) string {
	op := &g.api.Operations[i]
	names := g.Params[i]
	required, kwOnly := op.Arguments(names, func(a spec.Arg) string {
		if a.Required {
			return a.Ident + ": " + g.typ(a.Type)
		}
		return a.Ident + ": " + optional(g.typ(a.Type)) + " = None"
	})
	args := append([]string{"self"}, required...)
	if len(kwOnly) > 0 {
		args = append(append(args, "*"), kwOnly...)
	}

	var b strings.Builder
	b.WriteString(wrap("    ", "def "+g.Methods[i]+"(", args, ") -> "+g.resultType(op)+":"))
	b.WriteString(g.methodDoc(i))

	call := []string{op.MethodExpr(quote), pathExpr(op, names)}
	entry := func(name, ident string) string { return quote(name) + ": " + ident }
	if query := op.Entries(spec.InQuery, names, entry); len(query) > 0 {
		call = append(call, "query={"+strings.Join(query, ", ")+"}")
	}
	if headers := op.Entries(spec.InHeader, names, entry); len(headers) > 0 {
		call = append(call, "headers={"+strings.Join(headers, ", ")+"}")
	}
	if op.Body != nil {
		body := toJSON(*op.Body, "body", 0).String()
		if body != "body" && !op.BodyRequired {
			body = "None if body is None else " + body
		}
		call = append(call, "body="+body)
	}
	call = append(call, op.Auth.Flags("bearer=True", "sigv4=True")...)

	const indent = "        "
	switch {
	case op.Result != nil && op.Result.HoldsModel():
		b.WriteString(wrap(indent, "response = self._request(", call, ")"))
		b.WriteString(indent + layout(indent, "return ", g.fromJSON(*op.Result, "response.json()", 0), "") + "\n")
	case op.Result != nil:
		b.WriteString(wrap(indent, "return self._request(", call, ").json()"))
	case op.TextResult:
		b.WriteString(wrap(indent, "return self._request(", call, ").text()"))
	default:
		b.WriteString(wrap(indent, "self._request(", call, ")"))
	}
	return b.String()
}

// methodDoc renders the docstring of operation i's method.
func (g *generator) methodDoc(i int) string {
	op := &g.api.Operations[i]
	doc := sdkdoc.Operation(op)
	var args []string
	for _, a := range op.Args(g.Params[i]) {
		args = append(args, a.Ident+": "+sdkdoc.Arg(op, a))
	}
	if len(args) > 0 {
		doc += "\n\nArgs:\n" + section(args)
	}
	return docstring(doc, "        ")
}

// resultType is the return type hint of op's method.
func (g *generator) resultType(op *spec.Operation) string {
	switch {
	case op.Result != nil:
		return g.typ(*op.Result)
	case op.TextResult:
		return "str"
	}
	return "None"
}

// pathExpr is the expression of a request's path: a string literal, or
// an f-string that escapes each parameter.
func pathExpr(op *spec.Operation, names []string) string {
	f := false
	path := op.SubstitutePath(func(text string) string {
		lit := quote(text)
		return strings.NewReplacer("{", "{{", "}", "}}").Replace(lit[1 : len(lit)-1])
	}, func(i int) string {
		f = true
		if op.Params[i].Greedy {
			return "{_greedy(" + names[i] + ")}"
		}
		return "{_segment(" + names[i] + ")}"
	})
	if !f {
		return `"` + path + `"`
	}
	return `f"` + path + `"`
}
