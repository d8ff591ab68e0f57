package javascript

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// Reserved words: those of JavaScript, and the globals a binding must not
// shadow.
var jsReserved = spec.Reserved(`
	arguments await break case catch class const continue debugger default
	delete do else enum eval export extends false finally for function if
	implements import in instanceof interface let new null package private
	protected public return static super switch this throw true try typeof
	undefined var void while with yield NaN Infinity`)

// paramReserved adds the names a method's body uses besides its
// parameters: its other arguments and the helpers it calls.
var paramReserved = spec.Union(jsReserved, spec.Reserved("body method options signal pathSegment pathSegments"))

// typeReserved are the type names index.d.ts uses: the globals it refers
// to and the SDK's own types.
var typeReserved = spec.Reserved(`AbortSignal Array Error Headers Promise Record Response URL
	JsonValue Credentials RequestOptions`)

// methodReserved are the method names a class cannot have. Other
// reserved words are valid method names (client.delete()), so they stay.
var methodReserved = spec.Reserved("constructor")

// paramIdent is the JavaScript name of a parameter.
func paramIdent(name string) string {
	return spec.Ident(spec.Camel(name), "_", paramReserved)
}

// opIdent is the name of an operation's client method.
func opIdent(name string) string {
	return spec.Ident(spec.Camel(name), "_", methodReserved)
}

// modelIdent is the TypeScript name of a model.
func modelIdent(name string) string {
	return spec.Ident(spec.Pascal(name), "Model", typeReserved)
}

// pairs returns the JavaScript array of the names and values of params:
// on one line when there is one, else one a line.
func pairs(params []wire) string {
	if len(params) == 1 {
		return "[[" + params[0].Name + ", " + params[0].Expr + "]]"
	}
	var b strings.Builder
	b.WriteString("[\n")
	for _, p := range params {
		b.WriteString("        [" + p.Name + ", " + p.Expr + "],\n")
	}
	b.WriteString("      ]")
	return b.String()
}

// str returns s as a JavaScript string literal.
func str(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// comment returns text as a doc comment indented by indent, with its
// paragraphs (lines that are not empty) in order; "" for no text.
func comment(indent string, paragraphs ...string) string {
	text := strings.ReplaceAll(sdkdoc.JoinParagraphs(paragraphs...), "*/", "*\\/")
	if text == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
	if len(lines) == 1 {
		return indent + "/** " + lines[0] + " */\n"
	}
	var b strings.Builder
	b.WriteString(indent + "/**\n")
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			b.WriteString(indent + " *\n")
		} else {
			b.WriteString(indent + " * " + l + "\n")
		}
	}
	b.WriteString(indent + " */\n")
	return b.String()
}
