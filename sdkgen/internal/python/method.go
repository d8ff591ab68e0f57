package python

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// method renders the client method of operation i.
func (g *generator) method(i int) string {
	op := &g.api.Operations[i]
	names := g.params[i]
	args := []string{"self"}
	if op.Method == "ANY" {
		args = append(args, "method: str")
	}
	var kwOnly []string
	for j, p := range op.Params {
		if p.Required {
			args = append(args, names[j]+": "+g.typ(p.Type))
		} else {
			kwOnly = append(kwOnly, names[j]+": "+optional(g.typ(p.Type))+" = None")
		}
	}
	if op.Body != nil {
		if op.BodyRequired {
			args = append(args, "body: "+g.typ(*op.Body))
		} else {
			kwOnly = append(kwOnly, "body: "+optional(g.typ(*op.Body))+" = None")
		}
	}
	if len(kwOnly) > 0 {
		args = append(append(args, "*"), kwOnly...)
	}

	var b strings.Builder
	b.WriteString(wrap("    ", "def "+g.methods[i]+"(", args, ") -> "+g.resultType(op)+":"))
	b.WriteString(g.methodDoc(i))

	call := []string{quote(op.Method)}
	if op.Method == "ANY" {
		call[0] = "method"
	}
	parts, _ := parsePath(op) // checked by newGenerator
	call = append(call, pathExpr(op, parts, names))
	var query, headers []string
	for j, p := range op.Params {
		switch p.In {
		case spec.InQuery:
			query = append(query, quote(p.Name)+": "+names[j])
		case spec.InHeader:
			headers = append(headers, quote(p.Name)+": "+names[j])
		}
	}
	if len(query) > 0 {
		call = append(call, "query={"+strings.Join(query, ", ")+"}")
	}
	if len(headers) > 0 {
		call = append(call, "headers={"+strings.Join(headers, ", ")+"}")
	}
	if op.Body != nil {
		body := toJSON(*op.Body, "body", 0).String()
		if body != "body" && !op.BodyRequired {
			body = "None if body is None else " + body
		}
		call = append(call, "body="+body)
	}
	if op.Auth.Bearer {
		call = append(call, "bearer=True")
	}
	if op.Auth.SigV4 {
		call = append(call, "sigv4=True")
	}

	const indent = "        "
	switch {
	case op.Result != nil && needsConversion(*op.Result):
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
	route := "Calls " + op.Method + " " + op.Path
	if a := authPhrase(op.Auth); a != "" {
		route += "; sends " + a
	}
	route += "."
	doc := strings.TrimSpace(op.Doc)
	if doc == "" {
		doc = route
	} else {
		doc += "\n\n" + route
	}
	var args []string
	if op.Method == "ANY" {
		args = append(args, `method: The HTTP method to send ("GET", "POST", ...).`)
	}
	for j, p := range op.Params {
		args = append(args, g.params[i][j]+": "+paramDoc(p))
	}
	if op.Body != nil {
		args = append(args, "body: The request body.")
	}
	if len(args) > 0 {
		doc += "\n\nArgs:\n" + section(args)
	}
	return docstring(doc, "        ")
}

// authPhrase says what credentials an operation sends, or "".
func authPhrase(a spec.Auth) string {
	var kinds []string
	if a.APIKey {
		kinds = append(kinds, "the API key")
	}
	if a.Bearer {
		kinds = append(kinds, "the bearer token")
	}
	if a.SigV4 {
		kinds = append(kinds, "a SigV4 signature")
	}
	switch len(kinds) {
	case 0:
		return ""
	case 1:
		return kinds[0]
	}
	return strings.Join(kinds[:len(kinds)-1], ", ") + " and " + kinds[len(kinds)-1]
}

// paramDoc describes a parameter: its doc, or where it goes.
func paramDoc(p spec.Param) string {
	if d := strings.TrimSpace(p.Doc); d != "" {
		return d
	}
	switch {
	case p.Greedy:
		return fmt.Sprintf("The %q path parameter; its slashes are kept.", p.Name)
	case p.In == spec.InHeader:
		return fmt.Sprintf("The %q header.", p.Name)
	}
	return fmt.Sprintf("The %q %s parameter.", p.Name, p.In)
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

// pathPart is a piece of a path template: literal text, or the parameter
// at index param of the operation's Params.
type pathPart struct {
	text  string
	param int
}

// parsePath splits op's path template into literal text and parameters.
func parsePath(op *spec.Operation) ([]pathPart, error) {
	var parts []pathPart
	rest := op.Path
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			parts = append(parts, pathPart{text: rest, param: -1})
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("sdkgen: %s: operation %s: path %q has an unclosed {", lang, op.Name, op.Path)
		}
		if open > 0 {
			parts = append(parts, pathPart{text: rest[:open], param: -1})
		}
		name := strings.TrimSuffix(rest[open+1:open+end], "+")
		param := -1
		for i, p := range op.Params {
			if p.In == spec.InPath && p.Name == name {
				param = i
			}
		}
		if param < 0 {
			return nil, fmt.Errorf("sdkgen: %s: operation %s: path %q: no path parameter %q", lang, op.Name, op.Path, name)
		}
		parts = append(parts, pathPart{param: param})
		rest = rest[open+end+1:]
	}
	return parts, nil
}

// pathExpr is the expression of a request's path: a string literal, or
// an f-string that escapes each parameter.
func pathExpr(op *spec.Operation, parts []pathPart, names []string) string {
	var b strings.Builder
	f := false
	for _, p := range parts {
		if p.param < 0 {
			lit := quote(p.text)
			lit = lit[1 : len(lit)-1]
			b.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(lit))
			continue
		}
		f = true
		escape := "_segment"
		if op.Params[p.param].Greedy {
			escape = "_greedy"
		}
		b.WriteString("{" + escape + "(" + names[p.param] + ")}")
	}
	if !f {
		return `"` + b.String() + `"`
	}
	return `f"` + b.String() + `"`
}
