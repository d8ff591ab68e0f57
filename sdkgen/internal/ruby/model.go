package ruby

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// model renders the class of m.
func (g *generator) model(m *spec.Model) string {
	name := g.models[m.Name]
	idents := g.fields[m.Name]
	var b strings.Builder
	doc := strings.TrimSpace(m.Doc)
	if doc == "" {
		doc = "The " + m.Name + " model."
	}
	b.WriteString(comment(doc, "  "))
	b.WriteString("  class " + name + "\n")
	for i, f := range m.Fields {
		typ := g.yardType(f.Type)
		if !f.Required {
			typ += ", nil"
		}
		b.WriteString(comment(hang("@return ["+typ+"] "+fieldDoc(f)), "    "))
		b.WriteString("    attr_accessor :" + idents[i] + "\n")
		b.WriteString("\n")
	}

	// initialize: required fields are required keywords.
	var params, tags []string
	for _, required := range []bool{true, false} {
		for i, f := range m.Fields {
			if f.Required != required {
				continue
			}
			typ := g.yardType(f.Type)
			if required {
				params = append(params, idents[i]+":")
			} else {
				params = append(params, idents[i]+": nil")
				typ += ", nil"
			}
			tags = append(tags, "@param "+idents[i]+" ["+typ+"]")
		}
	}
	if len(params) > 0 {
		b.WriteString(comment("Creates "+article(name)+" "+name+".\n\n"+strings.Join(tags, "\n"), "    "))
		b.WriteString(wrap("    ", "def initialize(", params, ")"))
		for i := range m.Fields {
			b.WriteString("      @" + idents[i] + " = " + idents[i] + "\n")
		}
		b.WriteString("    end\n\n")
	}

	// from_h
	var kwargs []string
	for i, f := range m.Fields {
		kwargs = append(kwargs, idents[i]+": "+g.fromJSON(f.Type, "hash["+quote(f.Name)+"]", !f.Required, 0))
	}
	b.WriteString(comment("Returns the "+name+" in hash, a decoded JSON object, or nil for nil.\n\n"+
		"@param hash [Hash{String => Object}, nil]\n@return ["+name+", nil]", "    "))
	b.WriteString("    def self.from_h(hash)\n")
	b.WriteString("      return if hash.nil?\n\n")
	if len(kwargs) == 0 {
		b.WriteString("      new\n")
	} else {
		b.WriteString(wrap("      ", "new(", kwargs, ")"))
	}
	b.WriteString("    end\n\n")

	// to_h
	var required []string
	var optionals []string
	for i, f := range m.Fields {
		value := toJSON(f.Type, "@"+idents[i], false, 0)
		if f.Required {
			required = append(required, quote(f.Name)+" => "+value)
			continue
		}
		optionals = append(optionals, "      hash["+quote(f.Name)+"] = "+value+" unless @"+idents[i]+".nil?\n")
	}
	if len(optionals) == 0 {
		b.WriteString(comment("Returns the JSON object.\n\n@return [Hash{String => Object}]", "    "))
		b.WriteString("    def to_h\n")
		b.WriteString(hashLiteral("      ", "", required))
	} else {
		b.WriteString(comment("Returns the JSON object, without the optional attributes that are nil.\n\n"+
			"@return [Hash{String => Object}]", "    "))
		b.WriteString("    def to_h\n")
		b.WriteString(hashLiteral("      ", "hash = ", required))
		for _, o := range optionals {
			b.WriteString(o)
		}
		b.WriteString("      hash\n")
	}
	b.WriteString("    end\n\n")

	b.WriteString(comment("Returns the JSON text.\n\n@return [String]", "    "))
	b.WriteString("    def to_json(*args)\n")
	b.WriteString("      to_h.to_json(*args)\n")
	b.WriteString("    end\n\n")

	b.WriteString(comment("Two "+name+"s are equal when their JSON objects are.\n\n@return [Boolean]", "    "))
	b.WriteString("    def ==(other)\n")
	b.WriteString("      other.is_a?(" + name + ") && other.to_h == to_h\n")
	b.WriteString("    end\n")
	b.WriteString("  end\n")
	return b.String()
}

// article is "a" or "an", for name.
func article(name string) string {
	if strings.ContainsRune("AEIOU", rune(name[0])) {
		return "an"
	}
	return "a"
}

// hashLiteral renders prefix + a hash literal of entries at indent: on
// one line when it fits, else one entry a line.
func hashLiteral(indent, prefix string, entries []string) string {
	if len(entries) == 0 {
		return indent + prefix + "{}\n"
	}
	one := indent + prefix + "{ " + strings.Join(entries, ", ") + " }"
	if width(one) <= maxWidth {
		return one + "\n"
	}
	return indent + prefix + "{\n" + indent + "  " + strings.Join(entries, ",\n"+indent+"  ") + "\n" + indent + "}\n"
}

// fieldDoc describes a field: its doc, or its JSON name and format.
func fieldDoc(f spec.Field) string {
	if d := strings.TrimSpace(f.Doc); d != "" {
		return d
	}
	if f.Type.Format != "" {
		return fmt.Sprintf("The %q property (%s).", f.Name, f.Type.Format)
	}
	return fmt.Sprintf("The %q property.", f.Name)
}

// yardType is the YARD type of t.
func (g *generator) yardType(t spec.Type) string {
	switch t.Kind {
	case spec.String:
		return "String"
	case spec.Integer:
		return "Integer"
	case spec.Number:
		return "Float"
	case spec.Boolean:
		return "Boolean"
	case spec.Array:
		return "Array<" + g.yardType(elem(t)) + ">"
	case spec.Map:
		return "Hash{String => " + g.yardType(elem(t)) + "}"
	case spec.Ref:
		return g.models[t.Ref]
	}
	return "Object"
}

// elem is the element type of an array or map: any when it has none.
func elem(t spec.Type) spec.Type {
	if t.Elem == nil {
		return spec.Type{Kind: spec.Any}
	}
	return *t.Elem
}

// needsConversion says whether a value of type t differs from its
// decoded JSON: whether it holds models.
func needsConversion(t spec.Type) bool {
	switch t.Kind {
	case spec.Ref:
		return true
	case spec.Array, spec.Map:
		return needsConversion(elem(t))
	}
	return false
}

// fromJSON returns the expression that turns expr, decoded JSON of type
// t, into t's Ruby value; nilable says expr may be nil (from_h takes
// nil); depth numbers the blocks' parameters.
func (g *generator) fromJSON(t spec.Type, expr string, nilable bool, depth int) string {
	if !needsConversion(t) {
		return expr
	}
	call := "."
	if nilable {
		call = "&."
	}
	switch t.Kind {
	case spec.Array:
		item := numbered("item", depth)
		return expr + call + "map { |" + item + "| " + g.fromJSON(elem(t), item, false, depth+1) + " }"
	case spec.Map:
		value := numbered("value", depth)
		return expr + call + "transform_values { |" + value + "| " + g.fromJSON(elem(t), value, false, depth+1) + " }"
	}
	return g.models[t.Ref] + ".from_h(" + expr + ")"
}

// toJSON returns the expression that turns expr, a Ruby value of type t,
// into what JSON.generate encodes; nilable says expr may be nil.
func toJSON(t spec.Type, expr string, nilable bool, depth int) string {
	if !needsConversion(t) {
		return expr
	}
	call := "."
	if nilable {
		call = "&."
	}
	switch t.Kind {
	case spec.Array, spec.Map:
		fn := "map"
		if t.Kind == spec.Map {
			fn = "transform_values"
		}
		if elem(t).Kind == spec.Ref {
			return expr + call + fn + "(&:to_h)"
		}
		item := numbered("item", depth)
		return expr + call + fn + " { |" + item + "| " + toJSON(elem(t), item, false, depth+1) + " }"
	}
	return expr + call + "to_h"
}

// numbered names the parameter of a block nested depth deep: item,
// item2, item3.
func numbered(name string, depth int) string {
	if depth == 0 {
		return name
	}
	return name + strconv.Itoa(depth+1)
}
