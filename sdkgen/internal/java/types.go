package java

import (
	"fmt"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// javaType is t's Java type: boxed, or with primitive a primitive for
// the scalars that have one.
func (g *gen) javaType(t spec.Type, primitive bool) (string, error) {
	box := func(prim, boxed string) string {
		if primitive {
			return prim
		}
		return boxed
	}
	switch t.Kind {
	case spec.String:
		return "String", nil
	case spec.Integer:
		if t.Format == "int32" {
			return box("int", "Integer"), nil
		}
		return box("long", "Long"), nil
	case spec.Number:
		return box("double", "Double"), nil
	case spec.Boolean:
		return box("boolean", "Boolean"), nil
	case spec.Array, spec.Map:
		if t.Elem == nil {
			return "", fmt.Errorf("%s without an element type", t)
		}
		elem, err := g.javaType(*t.Elem, false)
		if t.Kind == spec.Array {
			return "List<" + elem + ">", err
		}
		return "Map<String, " + elem + ">", err
	case spec.Ref:
		id, ok := g.types[t.Ref]
		if !ok {
			return "", fmt.Errorf("unknown model %q", t.Ref)
		}
		return id, nil
	}
	return "Object", nil
}

// decoder is the Json.Decoder expression for t.
func (g *gen) decoder(t spec.Type) string {
	switch t.Kind {
	case spec.String:
		return "Json::string"
	case spec.Integer:
		if t.Format == "int32" {
			return "Json::int32"
		}
		return "Json::int64"
	case spec.Number:
		return "Json::number"
	case spec.Boolean:
		return "Json::bool"
	case spec.Array:
		return "Json.listOf(" + g.decoder(*t.Elem) + ")"
	case spec.Map:
		return "Json.mapOf(" + g.decoder(*t.Elem) + ")"
	case spec.Ref:
		return g.types[t.Ref] + "::fromJson"
	}
	return "Json::any"
}

// decode is the expression that reads JSON value x as a t.
func (g *gen) decode(t spec.Type, x string) string {
	switch t.Kind {
	case spec.Array:
		return "Json.list(" + x + ", " + g.decoder(*t.Elem) + ")"
	case spec.Map:
		return "Json.map(" + x + ", " + g.decoder(*t.Elem) + ")"
	case spec.Ref:
		return g.types[t.Ref] + ".fromJson(" + x + ")"
	case spec.Any:
		return x
	}
	// A scalar: Json::string is Json.string(x).
	return strings.Replace(g.decoder(t), "::", ".", 1) + "(" + x + ")"
}

// hasRef says whether t holds a model, which must be turned into JSON.
func hasRef(t spec.Type) bool {
	switch t.Kind {
	case spec.Ref:
		return true
	case spec.Array, spec.Map:
		return hasRef(*t.Elem)
	}
	return false
}

// encoder is the Json.Encoder expression for t, which holds a model.
func (g *gen) encoder(t spec.Type) string {
	switch t.Kind {
	case spec.Array:
		return "Json.listEncoder(" + g.encoder(*t.Elem) + ")"
	case spec.Map:
		return "Json.mapEncoder(" + g.encoder(*t.Elem) + ")"
	}
	return g.types[t.Ref] + "::toJson"
}

// encode is the expression that turns x, a non-null t, into JSON.
func (g *gen) encode(t spec.Type, x string) string {
	if !hasRef(t) {
		return x
	}
	switch t.Kind {
	case spec.Array:
		return "Json.encodeList(" + x + ", " + g.encoder(*t.Elem) + ")"
	case spec.Map:
		return "Json.encodeMap(" + x + ", " + g.encoder(*t.Elem) + ")"
	}
	return x + ".toJson()"
}

// hasList says whether t is or holds a list, which its class imports.
func hasList(t spec.Type) bool {
	switch t.Kind {
	case spec.Array:
		return true
	case spec.Map:
		return hasList(*t.Elem)
	}
	return false
}
