package python

import (
	"strconv"
	"strings"
)

// maxWidth is the line length generated code keeps to where it can: black's.
const maxWidth = 88

// layout renders head + e + tail at indent, splitting a comprehension
// that does not fit on one line (with room for a trailing comma) as black
// does: its element and clause on a line of their own, or on two. The
// first line is not indented.
func layout(indent, head string, e pyExpr, tail string) string {
	if one := head + e.String() + tail; e.open == "" || width(indent+one) < maxWidth {
		return one
	}
	in := indent + "    "
	if body := e.elem + " " + e.clause; width(in+body) <= maxWidth {
		return head + e.open + "\n" + in + body + "\n" + indent + e.close + tail
	}
	return head + e.open + "\n" + in + e.elem + "\n" + in + e.clause + "\n" + indent + e.close + tail
}

// quote returns s as a Python string literal.
func quote(s string) string {
	// Go's escapes (\n, \t, \xNN, \uNNNN, \UNNNNNNNN) mean the same in
	// Python for valid UTF-8.
	return strconv.Quote(strings.ToValidUTF8(s, "\uFFFD"))
}

// docstring renders doc as a docstring at indent: on one line when doc
// is one line, else with the closing quotes on a line of their own, as
// PEP 257 has it.
func docstring(doc, indent string) string {
	doc = strings.NewReplacer(`\`, `\\`, `"""`, `\"\"\"`).Replace(doc)
	if strings.HasSuffix(doc, `"`) {
		doc += " "
	}
	if !strings.Contains(doc, "\n") {
		return indent + `"""` + doc + `"""` + "\n"
	}
	return indent + `"""` + indentLines(doc, "", indent) + "\n" + indent + `"""` + "\n"
}

// section renders the entries of a docstring's section (Args:,
// Attributes:), each "name: text", indented under the heading.
func section(entries []string) string {
	for i, e := range entries {
		entries[i] = indentLines(e, "    ", "        ")
	}
	return strings.Join(entries, "\n")
}

// indentLines indents every line of s but the first by rest (and the
// first by first), leaving empty lines empty.
func indentLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		switch {
		case strings.TrimSpace(l) == "":
			lines[i] = ""
		case i == 0:
			lines[i] = first + l
		default:
			lines[i] = rest + l
		}
	}
	return strings.Join(lines, "\n")
}

// conditional renders the item head + "a if cond else b" at indent: on one
// line when it fits, else parenthesized over several, as black does.
func conditional(head, a, cond, b, indent string) string {
	one := head + a + " if " + cond + " else " + b
	if width(indent+one+",") <= maxWidth {
		return one
	}
	in := indent + "    "
	return head + "(\n" + in + a + "\n" + in + "if " + cond + "\n" + in + "else " + b + "\n" + indent + ")"
}

// wrap lays out head, items and tail as black does: on one line when it
// fits in maxWidth; else the items on one line of their own between head
// and tail; else one item a line, each with a trailing comma.
func wrap(indent, head string, items []string, tail string) string {
	one := indent + head + strings.Join(items, ", ") + tail
	multiline := strings.Contains(one, "\n")
	if len(items) == 0 || width(one) <= maxWidth && !multiline {
		return one + "\n"
	}
	inner := indent + "    " + strings.Join(items, ", ")
	if width(inner) <= maxWidth && !multiline {
		return indent + head + "\n" + inner + "\n" + indent + tail + "\n"
	}
	var b strings.Builder
	b.WriteString(indent + head + "\n")
	for _, it := range items {
		b.WriteString(indent + "    " + it + ",\n")
	}
	b.WriteString(indent + tail + "\n")
	return b.String()
}

// width is how many columns s takes: its runes.
func width(s string) int { return len([]rune(s)) }
