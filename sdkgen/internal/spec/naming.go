package spec

import (
	"fmt"
	"regexp"
	"strconv"
)

// Namers make a language's identifiers of an API's names: of a model, a
// field, an operation (the client's method) and a parameter. Each is
// typically Ident of a recased name.
type Namers struct {
	Model, Field, Method, Param func(name string) string
}

// Names are the identifiers Namers chose for an API.
type Names struct {
	// Models maps each model's name to its identifier, and Fields to
	// those of its fields, in order.
	Models map[string]string
	Fields map[string][]string
	// Methods are the identifiers of the operations, in order, and
	// Params those of each one's parameters.
	Methods []string
	Params  [][]string
}

// SnakeCase returns the Namers of a language that writes models in upper
// camel case and everything else in snake case, as Python and Ruby do:
// each set holds the words the identifiers of its kind may not be (they
// get a trailing "_"), and an identifier starting with a digit gets the
// prefix Model, field_, op_ or param_.
func SnakeCase(models, fields, methods, params map[string]bool) Namers {
	return Namers{
		Model:  func(name string) string { return Ident(Pascal(name), "Model", models) },
		Field:  func(name string) string { return Ident(Snake(name), "field_", fields) },
		Method: func(name string) string { return Ident(Snake(name), "op_", methods) },
		Param:  func(name string) string { return Ident(Snake(name), "param_", params) },
	}
}

// distName is what the name of a Python distribution (PEP 508) or of a
// Ruby gem may be.
var distName = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$`)

// DistName returns the name a Python or Ruby SDK is distributed under:
// cfg.Package, or the API's name in snake case when that is empty. It
// must be letters, digits, '.', '_' and '-', starting and ending with a
// letter or digit; kind names what it is in errors ("distribution",
// "gem"). An API without a name is an error too: the SDK's other names
// come from it.
func DistName(lang, kind string, api *API, cfg Config) (string, error) {
	if Snake(api.Name) == "" {
		return "", fmt.Errorf("sdkgen: %s: the API has no name to name the %s after", lang, kind)
	}
	name := cfg.Package
	if name == "" {
		name = Snake(api.Name)
	}
	if !distName.MatchString(name) {
		return "", fmt.Errorf("sdkgen: %s: package %q is not a %s name (letters, digits, . _ -)", lang, name, kind)
	}
	return name, nil
}

// Name names api's models, fields, operations and parameters, and checks
// the API as it goes: that every model a type refers to exists
// (CheckType), that each operation's path splits (PathParts), and that no
// two models, fields of a model, operations or parameters of an operation
// get one identifier (Distinct). lang names the language in errors.
func (n Namers) Name(lang string, api *API) (*Names, error) {
	out := &Names{Models: map[string]string{}, Fields: map[string][]string{}}
	models := make([]string, len(api.Models))
	for i, m := range api.Models {
		models[i] = m.Name
	}
	idents, err := identify(lang, "models", models, n.Model)
	if err != nil {
		return nil, err
	}
	for i, m := range api.Models {
		out.Models[m.Name] = idents[i]
	}
	for _, m := range api.Models {
		var fields []string
		for _, f := range m.Fields {
			if err := api.CheckType(lang, "model "+m.Name+": field "+f.Name, f.Type); err != nil {
				return nil, err
			}
			fields = append(fields, f.Name)
		}
		if out.Fields[m.Name], err = identify(lang, "model "+m.Name+": fields", fields, n.Field); err != nil {
			return nil, err
		}
	}

	ops := make([]string, len(api.Operations))
	for i, op := range api.Operations {
		ops[i] = op.Name
		var params []string
		for _, p := range op.Params {
			if err := api.CheckType(lang, "operation "+op.Name+": parameter "+p.Name, p.Type); err != nil {
				return nil, err
			}
			params = append(params, p.Name)
		}
		idents, err := identify(lang, "operation "+op.Name+": parameters", params, n.Param)
		if err != nil {
			return nil, err
		}
		out.Params = append(out.Params, idents)
		for _, t := range []struct {
			what string
			t    *Type
		}{{"body", op.Body}, {"result", op.Result}} {
			if t.t != nil {
				if err := api.CheckType(lang, "operation "+op.Name+": "+t.what, *t.t); err != nil {
					return nil, err
				}
			}
		}
		if _, err := op.PathParts(); err != nil {
			return nil, fmt.Errorf("sdkgen: %s: operation %s: %w", lang, op.Name, err)
		}
	}
	if out.Methods, err = identify(lang, "operations", ops, n.Method); err != nil {
		return nil, err
	}
	return out, nil
}

// identify returns the identifier ident makes of each of names, after
// checking that no two get the same one (see Distinct).
func identify(lang, place string, names []string, ident func(string) string) ([]string, error) {
	if err := Distinct(lang, place, names, ident); err != nil {
		return nil, err
	}
	var out []string
	for _, name := range names {
		out = append(out, ident(name))
	}
	return out, nil
}

// Union returns a set of the words of every one of sets.
func Union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		for w := range s {
			out[w] = true
		}
	}
	return out
}

// Numbered names a variable of a loop, block or comprehension nested
// depth deep, so that it does not hide the one outside: item, item2,
// item3.
func Numbered(name string, depth int) string {
	if depth == 0 {
		return name
	}
	return name + strconv.Itoa(depth+1)
}
