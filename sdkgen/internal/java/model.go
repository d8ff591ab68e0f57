package java

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// model is a model class.
type model struct {
	Package, Class string
	Doc            []string
	Fields         []*field
	Required       []*field
	Imports        []string
	// CtorDoc is the Javadoc of the constructor of the required fields.
	CtorDoc string
}

// field is a property of a model.
type field struct {
	spec.Field
	Ident, Type, CtorType, Getter, Setter string
	// GetterDoc and SetterDoc are the first paragraphs of their Javadoc.
	GetterDoc, SetterDoc string
	// Decode is the expression that reads it from object; Encode the one
	// that writes this.Ident.
	Decode, Encode string
}

// model makes the class of m.
func (g *gen) model(m *spec.Model, pkg string) (*model, error) {
	out := &model{Package: pkg, Class: g.types[m.Name], Doc: paragraphs(m.Doc)}
	if len(out.Doc) == 0 {
		out.Doc = []string{"The " + codeSpan(m.Name) + " model."}
	}
	imports := map[string]bool{"java.util.LinkedHashMap": true, "java.util.Map": true, "java.util.Objects": true}
	for _, f := range m.Fields {
		typ, err := g.javaType(f.Type, false)
		if err != nil {
			return nil, fmt.Errorf("sdkgen: java: model %s: field %q: %w", m.Name, f.Name, err)
		}
		ctor, _ := g.javaType(f.Type, true)
		if f.Type.Kind == spec.Array || hasList(f.Type) {
			imports["java.util.List"] = true
		}
		getter, setter := "get"+spec.Pascal(f.Name), "set"+spec.Pascal(f.Name)
		if getter == "getClass" {
			getter, setter = getter+"_", setter+"_"
		}
		id := fieldIdent(f.Name)
		about := " the " + codeSpan(f.Name) + " field"
		if f.Type.Format != "" {
			about += " (" + escape(f.Type.Format) + ")"
		}
		if f.Required {
			about += ", which is required"
		}
		about += "."
		if doc := escape(strings.Join(strings.Fields(f.Doc), " ")); doc != "" {
			about += " " + doc
		}
		fd := &field{
			Field:     f,
			Ident:     id,
			Type:      typ,
			CtorType:  ctor,
			Getter:    getter,
			Setter:    setter,
			GetterDoc: "Returns" + about,
			SetterDoc: "Sets" + about,
			Decode:    g.decode(f.Type, "object.get("+javaString(f.Name)+")"),
			Encode:    g.encode(f.Type, "this."+id),
		}
		out.Fields = append(out.Fields, fd)
		if f.Required {
			out.Required = append(out.Required, fd)
		}
	}
	out.Imports = sortedKeys(imports)
	if len(out.Required) > 0 {
		var tags []string
		for _, f := range out.Required {
			tags = append(tags, "@param "+f.Ident+" the "+codeSpan(f.Name)+" field")
		}
		out.CtorDoc = javadoc("    ", []string{"Makes a " + out.Class + " with its required fields set."}, tags)
	}
	return out, nil
}
