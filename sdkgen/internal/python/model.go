package python

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// model renders the dataclass of m.
func (g *generator) model(m *spec.Model) string {
	name := g.Models[m.Name]
	idents := g.Fields[m.Name]
	// Dataclass fields with defaults must come last: required ones first.
	var order []int
	for _, required := range []bool{true, false} {
		for i, f := range m.Fields {
			if f.Required == required {
				order = append(order, i)
			}
		}
	}

	var b strings.Builder
	b.WriteString("@dataclass\nclass " + name + ":\n")
	doc := sdkdoc.Model(m)
	if len(m.Fields) > 0 {
		var attrs []string
		for _, i := range order {
			attrs = append(attrs, idents[i]+": "+sdkdoc.Field(m.Fields[i]))
		}
		doc += "\n\nAttributes:\n" + section(attrs)
	}
	b.WriteString(docstring(doc, "    ") + "\n")
	for _, i := range order {
		f := m.Fields[i]
		if f.Required {
			b.WriteString("    " + idents[i] + ": " + g.typ(f.Type) + "\n")
		} else {
			b.WriteString("    " + idents[i] + ": " + optional(g.typ(f.Type)) + " = None\n")
		}
	}
	if len(m.Fields) > 0 {
		b.WriteString("\n")
	}

	var kwargs []string
	for _, i := range order {
		f := m.Fields[i]
		key := "data[" + quote(f.Name) + "]"
		value := g.fromJSON(f.Type, key, 0)
		switch {
		case f.Required:
			kwargs = append(kwargs, layout("            ", idents[i]+"=", value, ""))
		case !f.Type.HoldsModel():
			kwargs = append(kwargs, idents[i]+"=data.get("+quote(f.Name)+")")
		default:
			cond := "data.get(" + quote(f.Name) + ") is None"
			kwargs = append(kwargs, conditional(idents[i]+"=", "None", cond, value.String(), "            "))
		}
	}
	b.WriteString("    @classmethod\n")
	b.WriteString("    def from_dict(cls, data: dict[str, Any]) -> " + name + ":\n")
	b.WriteString(`        """Returns the ` + name + ` in data, a decoded JSON object."""` + "\n")
	b.WriteString(wrap("        ", "return cls(", kwargs, ")"))

	b.WriteString("\n    def to_dict(self) -> dict[str, Any]:\n")
	var required, optionals []string
	for _, i := range order {
		f := m.Fields[i]
		value := toJSON(f.Type, "self."+idents[i], 0)
		if f.Required {
			required = append(required, layout("            ", quote(f.Name)+": ", value, ""))
			continue
		}
		optionals = append(optionals,
			"        if self."+idents[i]+" is not None:\n"+
				"            "+layout("            ", "data["+quote(f.Name)+"] = ", value, "")+"\n")
	}
	if len(optionals) == 0 {
		b.WriteString(`        """Returns the JSON object."""` + "\n")
		b.WriteString(wrap("        ", "return {", required, "}"))
		return b.String()
	}
	b.WriteString(`        """Returns the JSON object, without the optional fields that are None."""` + "\n")
	b.WriteString(wrap("        ", "data: dict[str, Any] = {", required, "}"))
	for _, o := range optionals {
		b.WriteString(o)
	}
	b.WriteString("        return data\n")
	return b.String()
}

// typ is the type hint of t.
func (g *generator) typ(t spec.Type) string {
	return spec.TypeNames{
		String: "str", Integer: "int", Number: "float", Boolean: "bool", Any: "Any",
		Array:  func(elem string) string { return "list[" + elem + "]" },
		Map:    func(elem string) string { return "dict[str, " + elem + "]" },
		Models: g.Models,
	}.Name(t)
}

// optional is the type hint of an optional value of type hint t.
func optional(t string) string {
	if t == "Any" {
		return t
	}
	return "Optional[" + t + "]"
}

// pyExpr is an expression: a comprehension, open + elem + " " + clause +
// close, or when open is "" the expression elem.
type pyExpr struct{ open, elem, clause, close string }

// String returns the expression as Python source.
func (e pyExpr) String() string {
	if e.open == "" {
		return e.elem
	}
	return e.open + e.elem + " " + e.clause + e.close
}

// fromJSON returns the expression that turns expr, decoded JSON of type
// t, into t's Python value; depth numbers the comprehensions' variables.
func (g *generator) fromJSON(t spec.Type, expr string, depth int) pyExpr {
	return convert(t, expr, depth, func(v string) string { return g.Models[t.Ref] + ".from_dict(" + v + ")" }, g.fromJSON)
}

// toJSON returns the expression that turns expr, a Python value of type
// t, into what json.dumps encodes.
func toJSON(t spec.Type, expr string, depth int) pyExpr {
	return convert(t, expr, depth, func(v string) string { return v + ".to_dict()" }, toJSON)
}

// convert returns the expression that converts expr of type t: model
// converts a model, and inner converts the elements of arrays and maps.
func convert(t spec.Type, expr string, depth int, model func(string) string, inner func(spec.Type, string, int) pyExpr) pyExpr {
	if !t.HoldsModel() {
		return pyExpr{elem: expr}
	}
	switch t.Kind {
	case spec.Array:
		item := spec.Numbered("item", depth)
		return pyExpr{"[", inner(t.Element(), item, depth+1).String(), "for " + item + " in " + expr, "]"}
	case spec.Map:
		key, value := spec.Numbered("key", depth), spec.Numbered("value", depth)
		return pyExpr{"{", key + ": " + inner(t.Element(), value, depth+1).String(),
			"for " + key + ", " + value + " in " + expr + ".items()", "}"}
	}
	return pyExpr{elem: model(expr)}
}
