package ruby

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// model renders the class of m.
func (g *generator) model(m *spec.Model) string {
	name := g.Models[m.Name]
	idents := g.Fields[m.Name]
	var b strings.Builder
	b.WriteString(comment(sdkdoc.Model(m), "  "))
	b.WriteString("  class " + name + "\n")
	for i, f := range m.Fields {
		b.WriteString(comment(hang("@return ["+g.yardArg(f.Type, f.Required)+"] "+sdkdoc.Field(f)), "    "))
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
			if required {
				params = append(params, idents[i]+":")
			} else {
				params = append(params, idents[i]+": nil")
			}
			tags = append(tags, "@param "+idents[i]+" ["+g.yardArg(f.Type, required)+"]")
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

// yardArg is the YARD type of an argument or attribute of type t: nil
// too when it is not required.
func (g *generator) yardArg(t spec.Type, required bool) string {
	if required {
		return g.yardType(t)
	}
	return g.yardType(t) + ", nil"
}

// yardType is the YARD type of t.
func (g *generator) yardType(t spec.Type) string {
	return spec.TypeNames{
		String: "String", Integer: "Integer", Number: "Float", Boolean: "Boolean", Any: "Object",
		Array:  func(elem string) string { return "Array<" + elem + ">" },
		Map:    func(elem string) string { return "Hash{String => " + elem + "}" },
		Models: g.Models,
	}.Name(t)
}

// fromJSON returns the expression that turns expr, decoded JSON of type
// t, into t's Ruby value; nilable says expr may be nil (from_h takes
// nil); depth numbers the blocks' parameters.
func (g *generator) fromJSON(t spec.Type, expr string, nilable bool, depth int) string {
	if !t.HoldsModel() {
		return expr
	}
	call := dot(nilable)
	switch t.Kind {
	case spec.Array:
		item := spec.Numbered("item", depth)
		return expr + call + "map { |" + item + "| " + g.fromJSON(t.Element(), item, false, depth+1) + " }"
	case spec.Map:
		value := spec.Numbered("value", depth)
		return expr + call + "transform_values { |" + value + "| " + g.fromJSON(t.Element(), value, false, depth+1) + " }"
	}
	return g.Models[t.Ref] + ".from_h(" + expr + ")"
}

// toJSON returns the expression that turns expr, a Ruby value of type t,
// into what JSON.generate encodes; nilable says expr may be nil.
func toJSON(t spec.Type, expr string, nilable bool, depth int) string {
	if !t.HoldsModel() {
		return expr
	}
	call := dot(nilable)
	switch t.Kind {
	case spec.Array, spec.Map:
		fn := "map"
		if t.Kind == spec.Map {
			fn = "transform_values"
		}
		if t.Element().Kind == spec.Ref {
			return expr + call + fn + "(&:to_h)"
		}
		item := spec.Numbered("item", depth)
		return expr + call + fn + " { |" + item + "| " + toJSON(t.Element(), item, false, depth+1) + " }"
	}
	return expr + call + "to_h"
}

// dot is the operator that calls a method: "&." when the receiver may
// be nil.
func dot(nilable bool) string {
	if nilable {
		return "&."
	}
	return "."
}
