package spec

import (
	"iter"
	"strings"
)

// TitleOrName is what docs call the API: its Title, or its Name when it
// has none.
func (a *API) TitleOrName() string {
	if a.Title != "" {
		return a.Title
	}
	return a.Name
}

// Types yields the type of every field of every model, then of every
// parameter, body and result of every operation, in order.
func (a *API) Types() iter.Seq[Type] {
	return func(yield func(Type) bool) {
		for _, m := range a.Models {
			for _, f := range m.Fields {
				if !yield(f.Type) {
					return
				}
			}
		}
		for _, op := range a.Operations {
			for _, p := range op.Params {
				if !yield(p.Type) {
					return
				}
			}
			for _, t := range []*Type{op.Body, op.Result} {
				if t != nil && !yield(*t) {
					return
				}
			}
		}
	}
}

// RepeatedElem returns the element type of an Array as a repeated
// parameter's values are sent: String when it has none.
func (t Type) RepeatedElem() Type {
	if t.Elem == nil {
		return Type{Kind: String}
	}
	return *t.Elem
}

// SubstitutePath returns op's path template with its literal text and
// its parameters rendered: literal(text) for each run of literal text,
// param(i) for the path parameter op.Params[i]. It renders nothing of a
// path that PathParts cannot split: check that first.
func (op *Operation) SubstitutePath(literal func(text string) string, param func(i int) string) string {
	parts, _ := op.PathParts()
	var b strings.Builder
	for _, part := range parts {
		if part.Param < 0 {
			b.WriteString(literal(part.Text))
		} else {
			b.WriteString(param(part.Param))
		}
	}
	return b.String()
}

// Kinds returns, of apiKey, bearer and sigV4 (a language's words for the
// API key, the bearer token and a SigV4 signature), those a requires, in
// that order; none when it requires nothing.
func (a Auth) Kinds(apiKey, bearer, sigV4 string) []string {
	var kinds []string
	if a.APIKey {
		kinds = append(kinds, apiKey)
	}
	if a.Bearer {
		kinds = append(kinds, bearer)
	}
	if a.SigV4 {
		kinds = append(kinds, sigV4)
	}
	return kinds
}

// Paragraphs splits doc at its empty lines into paragraphs, each with
// the white space around it trimmed, leaving out the blank ones.
func Paragraphs(doc string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(doc, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Wrap breaks text into lines of at most width bytes at white space (a
// longer word gets a line of its own); the lines after the first start
// with cont. Empty text is one empty line.
func Wrap(text string, width int, cont string) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(text) {
		switch {
		case cur == "":
			cur = w
			if len(lines) > 0 {
				cur = cont + w
			}
		case len(cur)+1+len(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = cont + w
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}
