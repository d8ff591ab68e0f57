// Package apple holds what the Swift and the Objective-C SDK generators
// share: a writer of source lines and /// doc comments, how they name an
// API and check it, their doc comments' words for parameters and
// credentials, and the parts of their READMEs that say the same thing.
package apple

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// Writer builds a source file line by line.
type Writer struct{ bytes.Buffer }

// Line writes one line: format with args, and a newline.
func (w *Writer) Line(format string, args ...any) {
	if len(args) == 0 {
		w.WriteString(format)
	} else {
		fmt.Fprintf(w, format, args...)
	}
	w.WriteByte('\n')
}

// Doc writes text as a /// doc comment indented by indent; nothing when
// text is blank.
func (w *Writer) Doc(indent, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimRight(l, " \t\r"); l == "" {
			w.Line("%s///", indent)
		} else {
			w.Line("%s/// %s", indent, l)
		}
	}
}

// ClientDoc begins the doc comment of the client class, called client:
// "/// client calls the {title} API.", the API's description, and a
// blank comment line before the rest.
func (w *Writer) ClientDoc(client string, api *spec.API) {
	w.Line("/// %s calls the %s API.", client, api.TitleOrName())
	if api.Doc != "" {
		w.Line("///")
		w.Doc("", api.Doc)
	}
	w.Line("///")
}

// ModelDoc writes the doc comment of m's type, called name: m's doc, or
// "/// name is the m model.".
func (w *Writer) ModelDoc(m *spec.Model, name string) {
	if m.Doc != "" {
		w.Doc("", m.Doc)
	} else {
		w.Line("/// %s is the %s model.", name, m.Name)
	}
}

// Name names the API's models, fields, operations and parameters with
// namers and checks it, as namers.Name does; but an operation's body or
// result that refers to no model is an error of "operation getPet", as
// the Swift and Objective-C generators have always said.
func Name(lang string, api *spec.API, namers spec.Namers) (*spec.Names, error) {
	for _, op := range api.Operations {
		for _, t := range []*spec.Type{op.Body, op.Result} {
			if t != nil {
				if err := api.CheckType(lang, "operation "+op.Name, *t); err != nil {
					return nil, err
				}
			}
		}
	}
	return namers.Name(lang, api)
}

// ParamDoc describes a parameter on one line: its doc, or where it goes.
func ParamDoc(p spec.Param) string {
	if doc := strings.TrimSpace(p.Doc); doc != "" {
		return strings.ReplaceAll(doc, "\n", " ")
	}
	return "The " + p.Name + " " + string(p.In) + " parameter."
}

// OperationDoc begins the doc comment of op's method, indented by
// indent: op's doc, its route, and which of the client's credentials it
// sends, naming each's property between code and code ("Authenticates
// with the API key (`apiKey`).").
func (w *Writer) OperationDoc(indent string, op *spec.Operation, code string) {
	if op.Doc != "" {
		w.Doc(indent, op.Doc)
		w.Line("%s///", indent)
	}
	w.Line("%s/// `%s %s`", indent, op.Method, op.Path)
	uses := op.Auth.Kinds("the API key ("+code+"apiKey"+code+")",
		"the bearer token ("+code+"bearerToken"+code+")",
		"a SigV4 signature ("+code+"credentials"+code+")")
	if len(uses) > 0 {
		w.Line("%s///", indent)
		w.Line("%s/// Authenticates with %s.", indent, strings.Join(uses, " and "))
	}
}
