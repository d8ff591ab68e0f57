package stage

import (
	"slices"
	"strings"
	"testing"
)

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		names   []string // want Names()
		wantErr string   // substring of the error; "" means success
	}{
		{name: "empty", src: ""},
		{name: "literal only", src: "https://api.example.com/pets"},
		{name: "dollar not followed by brace", src: "price: $5, $ and $$"},
		{name: "closing brace alone", src: "a}b{c"},
		{name: "dollar at end", src: "cost$"},
		{name: "one reference", src: "https://${stageVariables.host}/pets", names: []string{"host"}},
		{name: "whole string", src: "${stageVariables.url}", names: []string{"url"}},
		{
			name:  "adjacent references",
			src:   "${stageVariables.a}${stageVariables.b}",
			names: []string{"a", "b"},
		},
		{
			name:  "repeated reference",
			src:   "${stageVariables.b}/${stageVariables.a}/${stageVariables.b}",
			names: []string{"b", "a"},
		},
		{name: "dollar before reference", src: "$${stageVariables.x}", names: []string{"x"}},
		{name: "longest name", src: "${stageVariables." + strings.Repeat("n", maxVarNameLen) + "}", names: []string{strings.Repeat("n", maxVarNameLen)}},
		{
			name:    "unclosed",
			src:     "https://${stageVariables.host/pets",
			wantErr: `stage: template "https://${stageVariables.host/pets": offset 8: unclosed "${"`,
		},
		{
			name:    "unclosed at end",
			src:     "a${",
			wantErr: `offset 1: unclosed "${"`,
		},
		{
			name:    "unclosed after a good reference",
			src:     "${stageVariables.a}${stageVariables.b",
			wantErr: `offset 19: unclosed "${"`,
		},
		{
			name:    "unknown prefix",
			src:     "x${context.requestId}",
			wantErr: `offset 1: unknown reference "${context.requestId}"; only ${stageVariables.NAME} is supported`,
		},
		{
			name:    "wrong case prefix",
			src:     "${StageVariables.x}",
			wantErr: `offset 0: unknown reference "${StageVariables.x}"`,
		},
		{
			name:    "prefix without dot",
			src:     "${stageVariables}",
			wantErr: `unknown reference "${stageVariables}"`,
		},
		{
			name:    "empty reference",
			src:     "${}",
			wantErr: `unknown reference "${}"`,
		},
		{
			name:    "empty name",
			src:     "${stageVariables.}",
			wantErr: `offset 0: stage variable name "" is empty`,
		},
		{
			name:    "bad name",
			src:     "/a/${stageVariables.my-var}",
			wantErr: `offset 3: stage variable name "my-var" has invalid character '-'`,
		},
		{
			name:    "nested reference",
			src:     "${stageVariables.${stageVariables.a}}",
			wantErr: `stage variable name "${stageVariables.a" has invalid character '$'`,
		},
		{
			name:    "name too long",
			src:     "${stageVariables." + strings.Repeat("n", maxVarNameLen+1) + "}",
			wantErr: "is 65 characters; the limit is 64",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tt.src)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseTemplate(%q) error = %v; want it to contain %q", tt.src, err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "stage: template ") {
					t.Errorf("error %q does not name the template", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTemplate(%q) = %v", tt.src, err)
			}
			if got := tmpl.String(); got != tt.src {
				t.Errorf("String() = %q; want %q", got, tt.src)
			}
			if got := tmpl.Names(); !slices.Equal(got, tt.names) {
				t.Errorf("Names() = %q; want %q", got, tt.names)
			}
			if got, want := tmpl.IsLiteral(), len(tt.names) == 0; got != want {
				t.Errorf("IsLiteral() = %v; want %v", got, want)
			}
		})
	}
}

func TestTemplateExpand(t *testing.T) {
	vars := Variables{"host": "api.example.com", "v": "v2"}
	tests := []struct {
		name    string
		src     string
		vars    Variables
		want    string
		missing []string
	}{
		{name: "literal", src: "https://example.com/", vars: vars, want: "https://example.com/"},
		{name: "empty template", src: "", vars: vars, want: ""},
		{name: "one", src: "https://${stageVariables.host}/pets", vars: vars, want: "https://api.example.com/pets"},
		{
			name: "adjacent",
			src:  "${stageVariables.host}${stageVariables.v}",
			vars: vars,
			want: "api.example.comv2",
		},
		{
			name: "repeated",
			src:  "/${stageVariables.v}/${stageVariables.v}/",
			vars: vars,
			want: "/v2/v2/",
		},
		{name: "dollars kept", src: "$${stageVariables.v}$", vars: vars, want: "$v2$"},
		{
			name:    "missing expands to empty",
			src:     "https://${stageVariables.host}/${stageVariables.nope}/${stageVariables.gone}/${stageVariables.nope}",
			vars:    vars,
			want:    "https://api.example.com///",
			missing: []string{"nope", "gone"},
		},
		{
			name:    "nil variables",
			src:     "a${stageVariables.host}b",
			vars:    nil,
			want:    "ab",
			missing: []string{"host"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := tmpl.Expand(tt.vars); got != tt.want {
				t.Errorf("Expand = %q; want %q", got, tt.want)
			}
			if got := tmpl.Missing(tt.vars); !slices.Equal(got, tt.missing) {
				t.Errorf("Missing = %q; want %q", got, tt.missing)
			}
		})
	}
}

func TestTemplateZero(t *testing.T) {
	var tmpl Template
	if tmpl.String() != "" || !tmpl.IsLiteral() || tmpl.Names() != nil || tmpl.Expand(nil) != "" || tmpl.Missing(nil) != nil {
		t.Errorf("zero Template is not the empty literal: %#v", tmpl)
	}
}

func TestTemplateNamesIsACopy(t *testing.T) {
	tmpl, err := ParseTemplate("${stageVariables.a}")
	if err != nil {
		t.Fatal(err)
	}
	tmpl.Names()[0] = "changed"
	if got := tmpl.Names(); got[0] != "a" {
		t.Errorf("Names()[0] = %q after changing a returned slice; want %q", got[0], "a")
	}
}

func TestTemplateExpandAllocs(t *testing.T) {
	vars := Variables{"host": "api.example.com"}
	tests := []struct {
		name string
		src  string
		max  float64
	}{
		{name: "literal", src: "https://api.example.com/pets", max: 0},
		{name: "references", src: "https://${stageVariables.host}/pets/${stageVariables.host}", max: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := testing.AllocsPerRun(100, func() { _ = tmpl.Expand(vars) }); got > tt.max {
				t.Errorf("Expand allocates %v times; want at most %v", got, tt.max)
			}
		})
	}
}
