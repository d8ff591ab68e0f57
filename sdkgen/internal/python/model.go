package python

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// model renders the dataclass of m.
func (g *generator) model(m *spec.Model) string {
	name := g.models[m.Name]
	idents := g.fields[m.Name]
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
	doc := strings.TrimSpace(m.Doc)
	if doc == "" {
		doc = "The " + m.Name + " model."
	}
	if len(m.Fields) > 0 {
		var attrs []string
		for _, i := range order {
			attrs = append(attrs, idents[i]+": "+fieldDoc(m.Fields[i]))
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
		case !needsConversion(f.Type):
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

// typ is the type hint of t.
func (g *generator) typ(t spec.Type) string {
	switch t.Kind {
	case spec.String:
		return "str"
	case spec.Integer:
		return "int"
	case spec.Number:
		return "float"
	case spec.Boolean:
		return "bool"
	case spec.Array:
		return "list[" + g.typ(elem(t)) + "]"
	case spec.Map:
		return "dict[str, " + g.typ(elem(t)) + "]"
	case spec.Ref:
		return g.models[t.Ref]
	}
	return "Any"
}

// optional is the type hint of an optional value of type hint t.
func optional(t string) string {
	if t == "Any" {
		return t
	}
	return "Optional[" + t + "]"
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

// pyExpr is an expression: a comprehension, open + elem + " " + clause +
// close, or when open is "" the expression elem.
type pyExpr struct{ open, elem, clause, close string }

func (e pyExpr) String() string {
	if e.open == "" {
		return e.elem
	}
	return e.open + e.elem + " " + e.clause + e.close
}

// fromJSON returns the expression that turns expr, decoded JSON of type
// t, into t's Python value; depth numbers the comprehensions' variables.
func (g *generator) fromJSON(t spec.Type, expr string, depth int) pyExpr {
	return convert(t, expr, depth, func(v string) string { return g.models[t.Ref] + ".from_dict(" + v + ")" }, g.fromJSON)
}

// toJSON returns the expression that turns expr, a Python value of type
// t, into what json.dumps encodes.
func toJSON(t spec.Type, expr string, depth int) pyExpr {
	return convert(t, expr, depth, func(v string) string { return v + ".to_dict()" }, toJSON)
}

// convert returns the expression that converts expr of type t: model
// converts a model, and inner converts the elements of arrays and maps.
func convert(t spec.Type, expr string, depth int, model func(string) string, inner func(spec.Type, string, int) pyExpr) pyExpr {
	if !needsConversion(t) {
		return pyExpr{elem: expr}
	}
	switch t.Kind {
	case spec.Array:
		item := numbered("item", depth)
		return pyExpr{"[", inner(elem(t), item, depth+1).String(), "for " + item + " in " + expr, "]"}
	case spec.Map:
		key, value := numbered("key", depth), numbered("value", depth)
		return pyExpr{"{", key + ": " + inner(elem(t), value, depth+1).String(),
			"for " + key + ", " + value + " in " + expr + ".items()", "}"}
	}
	return pyExpr{elem: model(expr)}
}

// numbered names the variable of a comprehension nested depth deep:
// item, item2, item3.
func numbered(name string, depth int) string {
	if depth == 0 {
		return name
	}
	return name + strconv.Itoa(depth+1)
}
