package spec

import (
	"errors"
	"reflect"
	"testing"
)

func TestPathParts(t *testing.T) {
	op := &Operation{Path: "/pets/{id}/files/{path+}", Params: []Param{
		{Name: "id", In: InQuery}, {Name: "id", In: InPath}, {Name: "path", In: InPath, Greedy: true},
	}}
	parts, err := op.PathParts()
	want := []PathPart{{Text: "/pets/", Param: -1}, {Param: 1}, {Text: "/files/", Param: -1}, {Param: 2, Plus: true}}
	if err != nil || !reflect.DeepEqual(parts, want) {
		t.Errorf("PathParts() = %+v, %v; want %+v", parts, err, want)
	}
	for path, want := range map[string]PathError{
		"/pets/{id":     {Path: "/pets/{id"},
		"/pets/{petId}": {Path: "/pets/{petId}", Param: "petId"},
	} {
		op.Path = path
		var pe *PathError
		if _, err := op.PathParts(); !errors.As(err, &pe) || *pe != want {
			t.Errorf("%s: error %v, want %v", path, err, &want)
		}
	}
}

func TestEndpoint(t *testing.T) {
	for _, tt := range []struct{ base, stage, want string }{
		{"http://h/prod/", "prod", "http://h"},
		{"http://h/prod", "", "http://h/prod"},
		{"http://h", "prod", "http://h"},
	} {
		a := &API{BaseURL: tt.base, Stage: tt.stage}
		if got := a.Endpoint(); got != tt.want {
			t.Errorf("Endpoint(%q, %q) = %q, want %q", tt.base, tt.stage, got, tt.want)
		}
	}
}

func TestInnermost(t *testing.T) {
	pet := Type{Kind: Ref, Ref: "Pet"}
	nested := Type{Kind: Map, Elem: &Type{Kind: Array, Elem: &pet}}
	if got := nested.Innermost(); got.Kind != Ref || got.Ref != "Pet" || !nested.HoldsModel() {
		t.Errorf("Innermost() = %v", got)
	}
	if bare := (Type{Kind: Array}); bare.Innermost().Kind != Any || bare.HoldsModel() {
		t.Errorf("an Array without Elem holds %v", bare.Innermost())
	}
}
