package stage

import (
	"maps"
	"strings"
	"testing"
)

func TestVariablesValidate(t *testing.T) {
	tests := []struct {
		name string
		vars Variables
		// want lists substrings of the error, one per expected problem;
		// nil means valid.
		want []string
	}{
		{name: "nil", vars: nil},
		{name: "empty", vars: Variables{}},
		{name: "simple", vars: Variables{"host": "api.example.com", "Stage_2": "prod"}},
		{name: "every allowed value character", vars: Variables{
			"v": "azAZ09-._~:/?#&=,",
		}},
		{name: "url", vars: Variables{"url": "https://backend.example.com:8443/v1/pets?x=1&y=2#frag"}},
		{name: "longest name", vars: Variables{strings.Repeat("n", maxVarNameLen): "x"}},
		{name: "longest value", vars: Variables{"v": strings.Repeat("x", maxVarValueLen)}},
		{
			name: "empty name",
			vars: Variables{"": "x"},
			want: []string{`stage: variable "": name is empty`},
		},
		{
			name: "name too long",
			vars: Variables{strings.Repeat("n", maxVarNameLen+1): "x"},
			want: []string{"name is 65 characters; the limit is 64"},
		},
		{
			name: "hyphen in name",
			vars: Variables{"my-var": "x"},
			want: []string{`stage: variable "my-var": name has invalid character '-' at offset 2`},
		},
		{
			name: "dot in name",
			vars: Variables{"a.b": "x"},
			want: []string{`variable "a.b": name has invalid character '.'`},
		},
		{
			name: "non-ASCII name",
			vars: Variables{"café": "x"},
			want: []string{`variable "café": name has invalid character 'é' at offset 3`},
		},
		{
			name: "empty value",
			vars: Variables{"v": ""},
			want: []string{`stage: variable "v": value is empty`},
		},
		{
			name: "value too long",
			vars: Variables{"v": strings.Repeat("x", maxVarValueLen+1)},
			want: []string{`variable "v": value is 2049 bytes; the limit is 2048 characters`},
		},
		{
			name: "space in value",
			vars: Variables{"v": "a b"},
			want: []string{`variable "v": value has invalid character ' ' at offset 1`},
		},
		{
			name: "dollar and braces in value",
			vars: Variables{"a": "${x}", "b": "x}"},
			want: []string{
				`variable "a": value has invalid character '$' at offset 0`,
				`variable "b": value has invalid character '}' at offset 1`,
			},
		},
		{
			name: "percent in value",
			vars: Variables{"v": "a%20b"},
			want: []string{`invalid character '%'`},
		},
		{
			name: "every problem reported",
			vars: Variables{"ok": "fine", "bad-name": "bad value", "": ""},
			want: []string{
				`variable "": name is empty`,
				`variable "": value is empty`,
				`variable "bad-name": name has invalid character '-'`,
				`variable "bad-name": value has invalid character ' '`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.vars.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v; want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil; want %d problems", len(tt.want))
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("Validate() reported %d problems; want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], "stage: ") || !strings.Contains(lines[i], w) {
					t.Errorf("problem %d = %q; want it to start with \"stage: \" and contain %q", i, lines[i], w)
				}
			}
		})
	}
}

func TestVariablesMerge(t *testing.T) {
	tests := []struct {
		name    string
		v, over Variables
		want    Variables
	}{
		{name: "both nil", want: nil},
		{name: "both empty", v: Variables{}, over: Variables{}, want: nil},
		{name: "base only", v: Variables{"a": "1"}, want: Variables{"a": "1"}},
		{name: "override only", over: Variables{"b": "2"}, want: Variables{"b": "2"}},
		{
			name: "override wins",
			v:    Variables{"a": "1", "b": "2"},
			over: Variables{"b": "3", "c": "4"},
			want: Variables{"a": "1", "b": "3", "c": "4"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, over := maps.Clone(tt.v), maps.Clone(tt.over)
			got := v.Merge(over)
			if (got == nil) != (tt.want == nil) || !maps.Equal(got, tt.want) {
				t.Fatalf("Merge = %v; want %v", got, tt.want)
			}
			if !maps.Equal(v, tt.v) || !maps.Equal(over, tt.over) {
				t.Errorf("Merge modified its inputs: %v, %v", v, over)
			}
			if got != nil {
				got["new"] = "x"
				if _, ok := v["new"]; ok {
					t.Error("Merge returned the receiver's map, not a new one")
				}
				if _, ok := over["new"]; ok {
					t.Error("Merge returned the override map, not a new one")
				}
			}
		})
	}
}
