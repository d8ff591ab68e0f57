package java

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// escape makes text safe in a Javadoc comment: HTML's special characters
// are entities, and "@" (a tag), "\" (which could start a \u escape, even
// in a comment) and "*/" (the comment's end) are too.
func escape(text string) string {
	return strings.NewReplacer(
		"&", "&amp;", "<", "&lt;", ">", "&gt;", "@", "&#64;", `\`, "&#92;", "*/", "*&#47;",
	).Replace(text)
}

// codeSpan is text in <code>, escaped.
func codeSpan(text string) string { return "<code>" + escape(text) + "</code>" }

// paragraphs splits a description into escaped paragraphs at blank lines,
// each on one line.
func paragraphs(doc string) []string {
	var out []string
	for _, p := range spec.Paragraphs(doc) {
		out = append(out, escape(strings.Join(strings.Fields(p), " ")))
	}
	return out
}

// javadoc renders a Javadoc comment at indent: the paragraphs (Javadoc
// HTML, already escaped), "<p>" before each but the first, then the block
// tags, all wrapped at 100 columns.
func javadoc(indent string, paras, tags []string) string {
	if len(paras) == 1 && len(tags) == 0 && len(indent)+len(paras[0])+7 <= 100 {
		return indent + "/** " + paras[0] + " */"
	}
	var b strings.Builder
	b.WriteString(indent + "/**\n")
	line := func(text, cont string) {
		for _, l := range spec.Wrap(text, 100-len(indent)-3, cont) {
			b.WriteString(strings.TrimRight(indent+" * "+l, " ") + "\n")
		}
	}
	for i, p := range paras {
		if i > 0 {
			b.WriteString(indent + " *\n")
			p = "<p>" + p
		}
		line(p, "")
	}
	if len(tags) > 0 && len(paras) > 0 {
		b.WriteString(indent + " *\n")
	}
	for _, t := range tags {
		line(t, "    ")
	}
	b.WriteString(indent + " */")
	return b.String()
}

// mdCode is s as a Markdown code span that can be in a table cell.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + strings.ReplaceAll(s, "|", `\|`) + pad + fence
}
