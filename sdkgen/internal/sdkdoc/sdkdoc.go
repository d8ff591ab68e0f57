// Package sdkdoc writes what the SDK generators say in the same words
// whatever the language: the prose of doc comments (an operation's route
// and credentials, a parameter's or a field's description), the README's
// table of operations and examples, and what the files say of the API
// (About: its title, versions and the client's defaults).
package sdkdoc

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// Title names the API in prose: "the Pet Store API" (its title, or its
// name when it has none, with "API" added unless it ends with it).
func Title(api *spec.API) string {
	t := strings.Join(strings.Fields(api.Title), " ")
	if t == "" {
		t = api.Name
	}
	if w := spec.Words(t); len(w) == 0 || w[len(w)-1] != "api" {
		t += " API"
	}
	return "the " + t
}

// FirstLine is the first line of doc, after trimming its white space.
func FirstLine(doc string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(doc), "\n")
	return line
}

// Auth says what credentials an operation sends: "the API key, the
// bearer token and a SigV4 signature", or "" for none.
func Auth(a spec.Auth) string {
	return List(a.Kinds("the API key", "the bearer token", "a SigV4 signature"))
}

// List joins items as prose: "a", "a and b", "a, b and c"; "" for none.
func List(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// Operation describes op: its doc, if any, then a paragraph of its
// route and credentials ("Calls GET /pets/{id}; sends the API key.").
func Operation(op *spec.Operation) string {
	route := "Calls " + op.Method + " " + op.Path
	if a := Auth(op.Auth); a != "" {
		route += "; sends " + a
	}
	return JoinParagraphs(op.Doc, route+".")
}

// JoinParagraphs joins the paragraphs that are not blank, trimmed, with an
// empty line between each two.
func JoinParagraphs(paragraphs ...string) string {
	var out []string
	for _, p := range paragraphs {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// Arg describes an argument of op's method.
func Arg(op *spec.Operation, a spec.Arg) string {
	switch {
	case a.Param >= 0:
		return Param(op.Params[a.Param])
	case a.Ident == "method":
		return `The HTTP method to send ("GET", "POST", ...).`
	}
	return "The request body."
}

// Param describes a parameter: its doc, or where it goes.
func Param(p spec.Param) string {
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

// Model describes a model: its doc, or "The Pet model.".
func Model(m *spec.Model) string {
	if d := strings.TrimSpace(m.Doc); d != "" {
		return d
	}
	return "The " + m.Name + " model."
}

// Field describes a field: its doc, or its JSON name and format.
func Field(f spec.Field) string {
	if d := strings.TrimSpace(f.Doc); d != "" {
		return d
	}
	if f.Type.Format != "" {
		return fmt.Sprintf("The %q property (%s).", f.Name, f.Type.Format)
	}
	return fmt.Sprintf("The %q property.", f.Name)
}
