package ruby

import (
	"fmt"
	"strings"
	"unicode"
)

// maxWidth is the line length generated code keeps to: RuboCop's.
const maxWidth = 120

// quote returns s as a double-quoted Ruby string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch r {
		case '"', '\\', '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if unicode.IsPrint(r) {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, `\u{%X}`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// comment renders text as comment lines at indent ("#" alone for an
// empty line).
func comment(text, indent string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			b.WriteString(indent + "#\n")
			continue
		}
		b.WriteString(indent + "# " + l + "\n")
	}
	return b.String()
}

// wrap lays out head, items and tail: on one line when it fits in
// maxWidth, else one item a line.
func wrap(indent, head string, items []string, tail string) string {
	one := indent + head + strings.Join(items, ", ") + tail
	if len(items) == 0 || width(one) <= maxWidth {
		return one + "\n"
	}
	return indent + head + "\n" + indent + "  " + strings.Join(items, ",\n"+indent+"  ") + "\n" + indent + tail + "\n"
}

// width is how many columns s takes: its runes.
func width(s string) int { return len([]rune(s)) }
