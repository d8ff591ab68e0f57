package sdkdoc

import (
	"strings"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// Readme is what a README shows of the operations: a table of them and
// the methods its examples call.
type Readme struct {
	// Operations are the rows of the table, one an operation.
	Operations []Row
	Example    Examples
}

// Row is a row of a README's table of operations: the route, the method
// that calls it and the first line of its doc, with "|" escaped.
type Row struct{ Method, Path, Name, Doc string }

// Examples name what a README's examples call.
type Examples struct {
	// Call is a call of an operation (client.get_pet(1)), which each
	// language writes itself: see ExampleOp.
	Call string
	// APIKey, Bearer and SigV4 name the method of the first operation
	// that sends each kind of credentials, or "".
	APIKey, Bearer, SigV4 string
}

// NewReadme returns the table of ops and the methods its examples of
// credentials call; methods[i] names the method of ops[i]. Example.Call is
// left empty.
func NewReadme(ops []spec.Operation, methods []string) Readme {
	var r Readme
	for i, op := range ops {
		name := methods[i]
		r.Operations = append(r.Operations, Row{
			Method: op.Method, Path: op.Path, Name: name,
			Doc: strings.ReplaceAll(FirstLine(op.Doc), "|", "\\|"),
		})
		if op.Auth.APIKey && r.Example.APIKey == "" {
			r.Example.APIKey = name
		}
		if op.Auth.Bearer && r.Example.Bearer == "" {
			r.Example.Bearer = name
		}
		if op.Auth.SigV4 && r.Example.SigV4 == "" {
			r.Example.SigV4 = name
		}
	}
	return r
}

// ExampleOp returns the index of the operation a README's example calls:
// the first without a body, or the first at all; -1 when there is none.
func ExampleOp(ops []spec.Operation) int {
	if len(ops) == 0 {
		return -1
	}
	for i, op := range ops {
		if op.Body == nil {
			return i
		}
	}
	return 0
}

// ExampleArgs returns the arguments of an example call of op: "GET" for
// the method of an ANY operation, a Placeholder for each required
// parameter (boolean is the language's true) and body(t) for a required
// body of type t.
func ExampleArgs(op *spec.Operation, boolean string, body func(spec.Type) string) []string {
	var args []string
	if op.Method == "ANY" {
		args = append(args, `"GET"`)
	}
	for _, p := range op.RequiredParams() {
		args = append(args, Placeholder(p.Type, boolean))
	}
	if op.Body != nil && op.BodyRequired {
		args = append(args, body(*op.Body))
	}
	return args
}

// Placeholder is an example literal of a parameter of type t: 1, 1.5,
// boolean (the language's true), [] or "example".
func Placeholder(t spec.Type, boolean string) string {
	switch t.Kind {
	case spec.Integer:
		return "1"
	case spec.Number:
		return "1.5"
	case spec.Boolean:
		return boolean
	case spec.Array:
		return "[]"
	}
	return `"example"`
}
