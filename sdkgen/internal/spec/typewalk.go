package spec

import "fmt"

// Element returns the element type of an Array or a Map: Any when it has
// none.
func (t Type) Element() Type {
	if t.Elem == nil {
		return Type{Kind: Any}
	}
	return *t.Elem
}

// Innermost returns what t holds at the bottom of its Arrays and Maps:
// the element type of the element type (and so on) of an Array or a Map,
// or t itself for any other kind.
func (t Type) Innermost() Type {
	for t.Kind == Array || t.Kind == Map {
		t = t.Element()
	}
	return t
}

// HoldsModel says whether t is a model (a Ref) or an Array or Map of
// them, however nested: whether its values differ from decoded JSON.
func (t Type) HoldsModel() bool { return t.Innermost().Kind == Ref }

// CheckType checks that the model t refers to, if any, is one of the
// API's; lang names the language for the error, and place says where t
// is ("model Pet: field owner").
func (a *API) CheckType(lang, place string, t Type) error {
	if in := t.Innermost(); in.Kind == Ref && a.Model(in.Ref) == nil {
		return fmt.Errorf("sdkgen: %s: %s: no model %q", lang, place, in.Ref)
	}
	return nil
}

// TypeNames say how a language writes types: the names of the scalars
// and of any JSON value, how it writes an array and a map of an element
// type, and the names of the models by their spec names.
type TypeNames struct {
	String, Integer, Number, Boolean, Any string
	Array, Map                            func(elem string) string
	Models                                map[string]string
}

// Name writes t in the language.
func (n TypeNames) Name(t Type) string {
	switch t.Kind {
	case String:
		return n.String
	case Integer:
		return n.Integer
	case Number:
		return n.Number
	case Boolean:
		return n.Boolean
	case Array:
		return n.Array(n.Name(t.Element()))
	case Map:
		return n.Map(n.Name(t.Element()))
	case Ref:
		return n.Models[t.Ref]
	}
	return n.Any
}
