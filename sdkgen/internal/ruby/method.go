package ruby

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// method renders the client method of operation i.
func (g *generator) method(i int) string {
	op := &g.api.Operations[i]
	names := g.Params[i]
	required, kwargs := op.Arguments(names, func(a spec.Arg) string {
		if a.Required {
			return a.Ident
		}
		return a.Ident + ": nil"
	})
	args := append(required, kwargs...)

	var b strings.Builder
	b.WriteString(g.methodDoc(i))
	if len(args) == 0 {
		b.WriteString("    def " + g.Methods[i] + "\n")
	} else {
		b.WriteString(wrap("    ", "def "+g.Methods[i]+"(", args, ")"))
	}

	call := []string{op.MethodExpr(quote), pathExpr(op, names)}
	entry := func(name, ident string) string { return quote(name) + " => " + ident }
	if query := op.Entries(spec.InQuery, names, entry); len(query) > 0 {
		call = append(call, "query: { "+strings.Join(query, ", ")+" }")
	}
	if headers := op.Entries(spec.InHeader, names, entry); len(headers) > 0 {
		call = append(call, "headers: { "+strings.Join(headers, ", ")+" }")
	}
	if op.Body != nil {
		call = append(call, "body: "+toJSON(*op.Body, "body", !op.BodyRequired, 0))
	}
	call = append(call, op.Auth.Flags("bearer: true", "sigv4: true")...)

	const indent = "      "
	switch {
	case op.Result != nil && op.Result.HoldsModel():
		b.WriteString(wrap(indent, "data = request_json(", call, ")"))
		b.WriteString(indent + g.fromJSON(*op.Result, "data", false, 0) + "\n")
	case op.Result != nil:
		b.WriteString(wrap(indent, "request_json(", call, ")"))
	default:
		b.WriteString(wrap(indent, "send_request(", call, ")"))
		if !op.TextResult {
			b.WriteString(indent + "nil\n")
		}
	}
	b.WriteString("    end\n")
	return b.String()
}

// methodDoc renders the comment of operation i's method, with YARD tags.
func (g *generator) methodDoc(i int) string {
	op := &g.api.Operations[i]
	doc := sdkdoc.Operation(op)
	var tags []string
	for _, a := range op.Args(g.Params[i]) {
		tags = append(tags, "@param "+a.Ident+" ["+g.yardArg(a.Type, a.Required)+"] "+sdkdoc.Arg(op, a))
	}
	switch {
	case op.Result != nil:
		tags = append(tags, "@return ["+g.yardType(*op.Result)+"]")
	case op.TextResult:
		tags = append(tags, "@return [String]")
	default:
		tags = append(tags, "@return [nil]")
	}
	tags = append(tags, "@raise [ApiError] if the response's status is not 2xx")
	for i, t := range tags {
		tags[i] = hang(t)
	}
	return comment(doc+"\n\n"+strings.Join(tags, "\n"), "    ")
}

// hang indents the lines of a YARD tag's text after the first.
func hang(tag string) string {
	return strings.ReplaceAll(tag, "\n", "\n  ")
}

// pathExpr is the expression of a request's path: a string literal that
// interpolates each parameter, escaped.
func pathExpr(op *spec.Operation, names []string) string {
	return `"` + op.SubstitutePath(func(text string) string {
		lit := quote(text)
		return lit[1 : len(lit)-1]
	}, func(i int) string {
		if op.Params[i].Greedy {
			return "#{escape_path(" + names[i] + ")}"
		}
		return "#{escape(" + names[i] + ")}"
	}) + `"`
}
