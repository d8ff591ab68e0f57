package stage

import (
	"fmt"
	"slices"
	"strings"
)

// refPrefix opens a reference to a stage variable.
const refPrefix = "stageVariables."

// Template is a string with ${stageVariables.name} references, parsed
// once by [ParseTemplate] and expanded per request by [Template.Expand].
//
// Every "${" in a template opens a reference; there is no escape for a
// literal "${", as in the managed service. A '$' not followed by '{', and
// a '}' outside a reference, are literal text.
//
// The zero Template is the empty literal. A Template is immutable and
// safe for concurrent use.
type Template struct {
	src     string
	lits    []string // the literal text around refs: len(refs)+1 pieces
	refs    []string // referenced names in order, repeats included
	names   []string // refs without duplicates, in order of first use
	litSize int      // total length of lits
}

// ParseTemplate parses s. It fails on an unclosed "${", on a reference
// other than ${stageVariables.NAME}, and on an invalid NAME (see
// [Variables]); the error names the offset of the "${" and the template.
func ParseTemplate(s string) (Template, error) {
	t := Template{src: s}
	if !strings.Contains(s, "${") {
		return t, nil
	}
	rest, off := s, 0
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			break
		}
		at := off + i
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return Template{}, fmt.Errorf("stage: template %q: offset %d: unclosed \"${\"", s, at)
		}
		ref := rest[i+2 : i+j]
		name, ok := strings.CutPrefix(ref, refPrefix)
		if !ok {
			return Template{}, fmt.Errorf("stage: template %q: offset %d: unknown reference \"${%s}\"; only ${stageVariables.NAME} is supported", s, at, ref)
		}
		if why := checkName(name); why != "" {
			return Template{}, fmt.Errorf("stage: template %q: offset %d: stage variable name %q %s", s, at, name, why)
		}
		t.lits = append(t.lits, rest[:i])
		t.refs = append(t.refs, name)
		if !slices.Contains(t.names, name) {
			t.names = append(t.names, name)
		}
		off += i + j + 1
		rest = rest[i+j+1:]
	}
	t.lits = append(t.lits, rest)
	for _, l := range t.lits {
		t.litSize += len(l)
	}
	return t, nil
}

// String returns the template's source text.
func (t Template) String() string { return t.src }

// Names returns the names the template references, in order of first
// use, without duplicates: a new slice, nil for a literal.
func (t Template) Names() []string { return slices.Clone(t.names) }

// IsLiteral reports whether the template has no references.
func (t Template) IsLiteral() bool { return len(t.refs) == 0 }

// Expand returns the template with each reference replaced by its
// variable's value. A name missing from vars expands to ""; callers check
// with [Template.Missing] first, once, when they bind the template to a
// stage. Expanding a literal template returns its source and allocates
// nothing; otherwise Expand allocates the result once.
func (t Template) Expand(vars Variables) string {
	if len(t.refs) == 0 {
		return t.src
	}
	n := t.litSize
	for _, name := range t.refs {
		n += len(vars[name])
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(t.lits[0])
	for i, name := range t.refs {
		b.WriteString(vars[name])
		b.WriteString(t.lits[i+1])
	}
	return b.String()
}

// Missing returns the referenced names that vars does not define, in
// order of first use, or nil when vars defines them all.
func (t Template) Missing(vars Variables) []string {
	var missing []string
	for _, name := range t.names {
		if _, ok := vars[name]; !ok {
			missing = append(missing, name)
		}
	}
	return missing
}
