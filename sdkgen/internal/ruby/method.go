package ruby

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// method renders the client method of operation i.
func (g *generator) method(i int) string {
	op := &g.api.Operations[i]
	names := g.params[i]
	var args []string
	if op.Method == "ANY" {
		args = append(args, "method")
	}
	var kwargs []string
	for j, p := range op.Params {
		if p.Required {
			args = append(args, names[j])
		} else {
			kwargs = append(kwargs, names[j]+": nil")
		}
	}
	if op.Body != nil {
		if op.BodyRequired {
			args = append(args, "body")
		} else {
			kwargs = append(kwargs, "body: nil")
		}
	}
	args = append(args, kwargs...)

	var b strings.Builder
	b.WriteString(g.methodDoc(i))
	if len(args) == 0 {
		b.WriteString("    def " + g.methods[i] + "\n")
	} else {
		b.WriteString(wrap("    ", "def "+g.methods[i]+"(", args, ")"))
	}

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
			query = append(query, quote(p.Name)+" => "+names[j])
		case spec.InHeader:
			headers = append(headers, quote(p.Name)+" => "+names[j])
		}
	}
	if len(query) > 0 {
		call = append(call, "query: { "+strings.Join(query, ", ")+" }")
	}
	if len(headers) > 0 {
		call = append(call, "headers: { "+strings.Join(headers, ", ")+" }")
	}
	if op.Body != nil {
		call = append(call, "body: "+toJSON(*op.Body, "body", !op.BodyRequired, 0))
	}
	if op.Auth.Bearer {
		call = append(call, "bearer: true")
	}
	if op.Auth.SigV4 {
		call = append(call, "sigv4: true")
	}

	const indent = "      "
	switch {
	case op.Result != nil && needsConversion(*op.Result):
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
	var tags []string
	if op.Method == "ANY" {
		tags = append(tags, `@param method [String] The HTTP method to send ("GET", "POST", ...).`)
	}
	for j, p := range op.Params {
		typ := g.yardType(p.Type)
		if !p.Required {
			typ += ", nil"
		}
		tags = append(tags, "@param "+g.params[i][j]+" ["+typ+"] "+paramDoc(p))
	}
	if op.Body != nil {
		typ := g.yardType(*op.Body)
		if !op.BodyRequired {
			typ += ", nil"
		}
		tags = append(tags, "@param body ["+typ+"] The request body.")
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

// pathExpr is the expression of a request's path: a string literal that
// interpolates each parameter, escaped.
func pathExpr(op *spec.Operation, parts []pathPart, names []string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, p := range parts {
		if p.param < 0 {
			lit := quote(p.text)
			b.WriteString(lit[1 : len(lit)-1])
			continue
		}
		escape := "escape"
		if op.Params[p.param].Greedy {
			escape = "escape_path"
		}
		b.WriteString("#{" + escape + "(" + names[p.param] + ")}")
	}
	b.WriteByte('"')
	return b.String()
}
