package golang

import (
	"fmt"
	"strconv"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// goType returns the Go type of a value of type t: a model is its struct
// (callers add the pointer), a date-time string a time.Time.
func (g *generator) goType(t spec.Type) (string, error) {
	switch t.Kind {
	case spec.String:
		if t.Format == "date-time" {
			return "time.Time", nil
		}
		return "string", nil
	case spec.Integer, spec.Number, spec.Boolean:
		return scalarType(t), nil
	case spec.Array, spec.Map:
		elem := "any"
		if t.Elem != nil {
			var err error
			if elem, err = g.goType(*t.Elem); err != nil {
				return "", err
			}
		}
		if t.Kind == spec.Array {
			return "[]" + elem, nil
		}
		return "map[string]" + elem, nil
	case spec.Ref:
		if g.API.Model(t.Ref) == nil {
			return "", fmt.Errorf("model %q is not defined", t.Ref)
		}
		return typeName(t.Ref), nil
	}
	return "any", nil
}

// scalar reports whether t is a string, a number or a boolean.
func scalar(t spec.Type) bool {
	return t.Kind == spec.String || t.Kind == spec.Integer || t.Kind == spec.Number || t.Kind == spec.Boolean
}

// nilable returns the type of a value of type t that may be absent: a
// pointer, unless nil already says so (slices, maps, any).
func (g *generator) nilable(t spec.Type) (string, error) {
	s, err := g.goType(t)
	if err != nil || (!scalar(t) && t.Kind != spec.Ref) {
		return s, err
	}
	return "*" + s, nil
}

// zero returns the zero value of goType(t), where a model is a pointer.
func zero(t spec.Type) string {
	switch {
	case t.Kind == spec.String && t.Format == "date-time":
		return "time.Time{}"
	case t.Kind == spec.String:
		return `""`
	case t.Kind == spec.Integer || t.Kind == spec.Number:
		return "0"
	case t.Kind == spec.Boolean:
		return "false"
	}
	return "nil"
}

// scalarType returns the Go type of a parameter's scalar: anything not a
// number or a boolean is sent as a string.
func scalarType(t spec.Type) string {
	switch t.Kind {
	case spec.Integer:
		if t.Format == "int32" {
			return "int32"
		}
		return "int64"
	case spec.Number:
		if t.Format == "float" {
			return "float32"
		}
		return "float64"
	case spec.Boolean:
		return "bool"
	}
	return "string"
}

// paramType returns the Go type of a parameter: a scalar or a slice of
// them.
func paramType(t spec.Type) string {
	if t.Kind == spec.Array {
		return "[]" + scalarType(t.RepeatedElem())
	}
	return scalarType(t)
}

// formatValue returns the Go expression that formats x, a scalar of type t,
// for a URL or a header.
func formatValue(t spec.Type, x string) string {
	switch scalarType(t) {
	case "int32":
		return "strconv.FormatInt(int64(" + x + "), 10)"
	case "int64":
		return "strconv.FormatInt(" + x + ", 10)"
	case "float32":
		return "strconv.FormatFloat(float64(" + x + "), 'g', -1, 32)"
	case "float64":
		return "strconv.FormatFloat(" + x + ", 'g', -1, 64)"
	case "bool":
		return "strconv.FormatBool(" + x + ")"
	}
	return x
}

// sample returns a Go literal of type t for examples: name for strings.
func sample(t spec.Type, name string) string {
	switch scalarType(t) {
	case "int32", "int64":
		return "1"
	case "float32", "float64":
		return "1.5"
	case "bool":
		return "true"
	}
	return strconv.Quote(name)
}
