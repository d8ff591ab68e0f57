package javascript

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/sdkdoc"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// model is an interface in index.d.ts.
type model struct {
	Name, Doc string
	Fields    []field
}

// field is a property of a model: Key is the property name as written in
// TypeScript (quoted when it is not an identifier).
type field struct {
	Key, Type, Doc string
	Optional       bool
}

// newModel returns the interface of m.
func newModel(m spec.Model, api *spec.API) (model, error) {
	mv := model{Name: modelIdent(m.Name), Doc: m.Doc}
	fields := make([]string, len(m.Fields))
	for i, f := range m.Fields {
		fields[i] = f.Name
	}
	// Properties keep their JSON names: only a repeated name can clash.
	if err := spec.Distinct("javascript", "model "+m.Name+": fields", fields, func(s string) string { return s }); err != nil {
		return model{}, err
	}
	for _, f := range m.Fields {
		t, err := tsType(f.Type, api)
		if err != nil {
			return model{}, fmt.Errorf("sdkgen: javascript: model %s: field %s: %w", m.Name, f.Name, err)
		}
		key := f.Name
		if !identifier.MatchString(key) {
			key = str(key)
		}
		mv.Fields = append(mv.Fields, field{Key: key, Type: t, Doc: withFormat(f.Doc, f.Type), Optional: !f.Required})
	}
	return mv, nil
}

// withFormat adds what a string's format means to its doc.
func withFormat(doc string, t spec.Type) string {
	var note string
	switch t.Format {
	case "date-time":
		note = "A date and time (RFC 3339), such as 2006-01-02T15:04:05Z."
	case "date":
		note = "A date (RFC 3339), such as 2006-01-02."
	default:
		return doc
	}
	if doc == "" {
		return note
	}
	return strings.TrimRight(doc, "\n") + "\n\n" + note
}

// identifier matches the property names that need no quotes.
var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// tsType returns the TypeScript type of t.
func tsType(t spec.Type, api *spec.API) (string, error) {
	switch t.Kind {
	case spec.String:
		return "string", nil
	case spec.Integer, spec.Number:
		return "number", nil
	case spec.Boolean:
		return "boolean", nil
	case spec.Array, spec.Map:
		if t.Elem == nil {
			return "", fmt.Errorf("%v has no element type", t)
		}
		elem, err := tsType(*t.Elem, api)
		if err != nil {
			return "", err
		}
		if t.Kind == spec.Map {
			return "Record<string, " + elem + ">", nil
		}
		if strings.Contains(elem, " ") {
			return "Array<" + elem + ">", nil
		}
		return elem + "[]", nil
	case spec.Ref:
		if api.Model(t.Ref) == nil {
			return "", fmt.Errorf("no model %q", t.Ref)
		}
		return modelIdent(t.Ref), nil
	}
	return jsonValue, nil
}

// sample returns a JavaScript value of type t for the README's examples.
func sample(t spec.Type, name string, api *spec.API) string {
	switch t.Kind {
	case spec.String:
		return str(name)
	case spec.Integer, spec.Number, spec.Boolean:
		return sdkdoc.Placeholder(t, "true")
	case spec.Array:
		return "[" + sample(*t.Elem, name, api) + "]"
	case spec.Ref:
		m := api.Model(t.Ref)
		var props []string
		for _, f := range m.Fields {
			if f.Required && f.Type.Kind != spec.Ref && f.Type.Kind != spec.Array {
				key := f.Name
				if !identifier.MatchString(key) {
					key = str(key)
				}
				props = append(props, key+": "+sample(f.Type, f.Name, api))
			}
		}
		if len(props) == 0 {
			return "{}"
		}
		return "{ " + strings.Join(props, ", ") + " }"
	}
	return "{}"
}
