package sdkdoc

import (
	"testing"

	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

func TestProse(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{List(nil), ""},
		{List([]string{"a"}), "a"},
		{List([]string{"a", "b"}), "a and b"},
		{List([]string{"a", "b", "c"}), "a, b and c"},
		{Title(&spec.API{Title: " Pet  Store "}), "the Pet Store API"},
		{Title(&spec.API{Title: "Pets API"}), "the Pets API"},
		{Title(&spec.API{Name: "pets"}), "the pets API"},
		{JoinParagraphs(" a ", "", "b\nc"), "a\n\nb\nc"},
		{Operation(&spec.Operation{Method: "GET", Path: "/p", Doc: "Lists.\n", Auth: spec.Auth{APIKey: true, SigV4: true}}),
			"Lists.\n\nCalls GET /p; sends the API key and a SigV4 signature."},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestExample(t *testing.T) {
	body := &spec.Type{Kind: spec.String}
	ops := []spec.Operation{{Method: "POST", Body: body, BodyRequired: true}, {Method: "ANY", Params: []spec.Param{
		{Name: "n", Type: spec.Type{Kind: spec.Integer}, Required: true}, {Name: "q", Type: spec.Type{Kind: spec.Boolean}},
	}}}
	if i := ExampleOp(ops); i != 1 {
		t.Errorf("ExampleOp() = %d, want 1", i)
	}
	if i := ExampleOp(nil); i != -1 {
		t.Errorf("ExampleOp(nil) = %d, want -1", i)
	}
	if got := ExampleArgs(&ops[1], "true", nil); len(got) != 2 || got[0] != `"GET"` || got[1] != "1" {
		t.Errorf("ExampleArgs() = %q", got)
	}
}
