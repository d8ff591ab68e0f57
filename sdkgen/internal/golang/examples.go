package golang

import (
	"slices"
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// examples are the README's code: statements that use client and ctx.
// Each is "" when the API has no operation to show it with.
type examples struct {
	// Call calls the simplest operation and prints its result.
	Call string
	// APIKey, Bearer and SigV4 call an operation that needs each.
	APIKey, Bearer, SigV4 string
	// Error checks an operation's *APIError.
	Error string
}

// examples picks an operation for each example: the simplest (fewest
// arguments, no body, a result) of those that show it.
func (g *generator) examples() examples {
	pick := func(ok func(*spec.Operation) bool, withError bool) string {
		var best *opData
		for i := range g.Ops {
			if d := &g.Ops[i]; ok(d.Op) && (best == nil || simpler(d.Op, best.Op) < 0) {
				best = d
			}
		}
		if best == nil {
			return ""
		}
		return g.call(best, withError)
	}
	return examples{
		Call:   pick(func(*spec.Operation) bool { return true }, false),
		APIKey: pick(func(op *spec.Operation) bool { return op.Auth.APIKey }, false),
		Bearer: pick(func(op *spec.Operation) bool { return op.Auth.Bearer }, false),
		SigV4:  pick(func(op *spec.Operation) bool { return op.Auth.SigV4 }, false),
		Error:  pick(func(op *spec.Operation) bool { return len(positional(op)) > 0 && op.Method != "ANY" }, true),
	}
}

// simpler orders operations simplest first: without auth, body and
// arguments, with a JSON result.
func simpler(a, b *spec.Operation) int {
	score := func(op *spec.Operation) []int {
		auth := op.Auth.APIKey || op.Auth.Bearer || op.Auth.SigV4
		return []int{b2i(auth), b2i(op.Method == "ANY"), b2i(op.Body != nil), len(positional(op)), b2i(op.Result == nil), b2i(op.TextResult)}
	}
	return slices.Compare(score(a), score(b))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// call returns statements that call d's method with sample arguments and
// print its result, or (withError) check its *APIError.
func (g *generator) call(d *opData, withError bool) string {
	op := d.Op
	args := []string{"ctx"}
	if op.Method == "ANY" {
		args = append(args, `"GET"`)
	}
	for _, p := range positional(op) {
		s := sample(p.Type, p.Name)
		if p.Type.Kind == spec.Array {
			s = paramType(p.Type) + "{" + sample(p.Type.RepeatedElem(), p.Name) + "}"
		}
		args = append(args, s)
	}
	if op.Body != nil {
		args = append(args, g.sampleBody(*op.Body))
	}
	if d.Options != nil {
		args = append(args, "nil")
	}
	call := "client." + d.Name + "(" + strings.Join(args, ", ") + ")"
	hasResult := op.TextResult || op.Result != nil
	switch {
	case withError && hasResult:
		call = "_, err := " + call
	case withError:
		call = "err := " + call
	case hasResult:
		return "result, err := " + call + "\nif err != nil {\n\tlog.Fatal(err)\n}\nfmt.Println(result)"
	default:
		return "if err := " + call + "; err != nil {\n\tlog.Fatal(err)\n}"
	}
	return call + "\nvar apiErr *" + g.Package + ".APIError\nif errors.As(err, &apiErr) {\n" +
		"\tfmt.Println(apiErr.StatusCode, apiErr.Message)\n}"
}

// sampleBody returns a body of type t for examples: a model with its
// required scalar fields set.
func (g *generator) sampleBody(t spec.Type) string {
	if t.Kind != spec.Ref {
		if scalar(t) {
			return sample(t, "body")
		}
		return "nil"
	}
	m := g.API.Model(t.Ref)
	var fields []string
	for _, f := range m.Fields {
		if f.Required && scalar(f.Type) && f.Type.Format != "date-time" {
			fields = append(fields, exported(f.Name)+": "+sample(f.Type, f.Name))
		}
	}
	return "&" + g.Package + "." + typeName(m.Name) + "{" + strings.Join(fields, ", ") + "}"
}
