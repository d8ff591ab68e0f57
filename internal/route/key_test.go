package route

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseKey(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   Key
		params []string
	}{
		{"default", "$default", Key{}, nil},
		{"root", "GET /", Key{"GET", "/"}, nil},
		{"literal", "GET /pets", Key{"GET", "/pets"}, nil},
		{"param", "GET /pets/{id}", Key{"GET", "/pets/{id}"}, []string{"id"}},
		{"greedy", "ANY /{proxy+}", Key{"ANY", "/{proxy+}"}, []string{"proxy"}},
		{"params and greedy", "DELETE /a/{x}/b/{y}/{rest+}", Key{"DELETE", "/a/{x}/b/{y}/{rest+}"}, []string{"x", "y", "rest"}},
		{"name characters", "PATCH /{A-z_0.9}", Key{"PATCH", "/{A-z_0.9}"}, []string{"A-z_0.9"}},
		{"every method", "OPTIONS /x", Key{"OPTIONS", "/x"}, nil},
		{"head", "HEAD /x", Key{"HEAD", "/x"}, nil},
		{"put post", "PUT /x", Key{"PUT", "/x"}, nil},
		{"post", "POST /x", Key{"POST", "/x"}, nil},
		{"pchar literals", "GET /a:b@c/!$&'()*+,;=/-._~", Key{"GET", "/a:b@c/!$&'()*+,;=/-._~"}, nil},
		{"dots in literal", "GET /.well-known/a..b/...", Key{"GET", "/.well-known/a..b/..."}, nil},
		{"max params", "GET " + paramPath(MaxParams), Key{"GET", paramPath(MaxParams)}, paramNames(MaxParams)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.in)
			if err != nil {
				t.Fatalf("ParseKey(%q) error: %v", tt.in, err)
			}
			if k != tt.want {
				t.Errorf("ParseKey(%q) = %#v, want %#v", tt.in, k, tt.want)
			}
			if s := k.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
			if got := k.Params(); !slices.Equal(got, tt.params) {
				t.Errorf("Params() = %q, want %q", got, tt.params)
			}
			if got, want := k.IsDefault(), tt.in == "$default"; got != want {
				t.Errorf("IsDefault() = %v, want %v", got, want)
			}
		})
	}
}

// paramPath returns a path template with n parameters.
func paramPath(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "/{p%d}", i)
	}
	return b.String()
}

// paramNames returns the parameter names of paramPath(n).
func paramNames(n int) []string {
	var names []string
	for i := range n {
		names = append(names, fmt.Sprintf("p%d", i))
	}
	return names
}

func TestParseKeyErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `want "METHOD /path" or "$default"`},
		{"method only", "GET", `want "METHOD /path"`},
		{"path only", "/pets", `want "METHOD /path"`},
		{"default with path", "$default /", `nothing may follow "$default"`},
		{"default with space", "$default ", `nothing may follow "$default"`},
		{"default suffix", "$defaultx", `want "METHOD /path"`},
		{"lower-case method", "get /pets", `method "get" must be upper-case`},
		{"mixed-case method", "Get /pets", `must be upper-case`},
		{"lower-case any", "any /pets", `must be upper-case`},
		{"unknown method", "FETCH /pets", `unknown method "FETCH"`},
		{"missing method", " /pets", "missing method"},
		{"space only", " ", "missing method"},
		{"missing path", "GET ", "missing path"},
		{"two spaces", "GET  /pets", "exactly one space"},
		{"tab", "GET\t/pets", `want "METHOD /path"`},
		{"relative path", "GET pets", `path must start with "/"`},
		{"trailing slash", "GET /pets/", `trailing "/"`},
		{"empty segment", "GET /a//b", `empty path segment`},
		{"leading empty segment", "GET //a", `empty path segment`},
		{"dot segment", "GET /a/./b", `dot segment "."`},
		{"dot dot segment", "GET /a/..", `dot segment ".."`},
		{"percent", "GET /a%2Fb", `"%" not allowed`},
		{"query", "GET /a?b=1", `'?' not allowed`},
		{"fragment", "GET /a#b", `'#' not allowed`},
		{"space in path", "GET /a b", `whitespace or control character ' '`},
		{"trailing space", "GET /a ", "whitespace or control"},
		{"newline", "GET /a\n", "whitespace or control"},
		{"NUL", "GET /a\x00", "whitespace or control"},
		{"DEL", "GET /a\x7f", "whitespace or control"},
		{"non-ASCII", "GET /café", `character 'é' not allowed in a literal segment`},
		{"backslash", `GET /a\b`, `character '\\' not allowed`},
		{"quote", `GET /a"b`, `character '"' not allowed`},
		{"unclosed", "GET /a/{id", `unclosed "{"`},
		{"unclosed greedy", "GET /a/{id+", `unclosed "{"`},
		{"unopened", "GET /a/id}", "a parameter must be a whole segment"},
		{"suffix after param", "GET /a/{id}.json", `segment "{id}.json": a parameter must be a whole segment`},
		{"prefix before param", "GET /a/v{id}", "a parameter must be a whole segment"},
		{"empty name", "GET /a/{}", `invalid parameter name ""`},
		{"empty greedy name", "GET /a/{+}", `invalid parameter name ""`},
		{"bad name", "GET /a/{i:d}", `invalid parameter name "i:d"`},
		{"plus inside name", "GET /a/{a+b}", `invalid parameter name "a+b"`},
		{"two plus", "GET /a/{a++}", `invalid parameter name "a+"`},
		{"greedy not last", "GET /{proxy+}/a", `greedy parameter "{proxy+}" must be the last segment`},
		{"duplicate name", "GET /{id}/{id}", `parameter name "id" used twice`},
		{"duplicate greedy name", "GET /{id}/{id+}", `parameter name "id" used twice`},
		{"too many params", "GET " + paramPath(MaxParams+1), "more than 16 parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.in)
			if err == nil {
				t.Fatalf("ParseKey(%q) = %#v, want an error", tt.in, k)
			}
			msg := err.Error()
			if prefix := fmt.Sprintf("route: %q: ", tt.in); !strings.HasPrefix(msg, prefix) {
				t.Errorf("error %q does not start with %q", msg, prefix)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
		})
	}
}

func TestKeyDefault(t *testing.T) {
	var k Key
	if !k.IsDefault() || k.String() != "$default" || k.Params() != nil {
		t.Errorf("zero Key: IsDefault %v, String %q, Params %q", k.IsDefault(), k, k.Params())
	}
	if (Key{Method: "GET"}).IsDefault() || (Key{Path: "/"}).IsDefault() {
		t.Error("a half-empty Key reports IsDefault")
	}
}

func FuzzParseKey(f *testing.F) {
	for _, s := range []string{
		"$default", "GET /", "GET /pets/{id}", "ANY /{proxy+}", "get /a",
		"GET /a/{id", "GET /{a}/{b+}", "GET /a//b", "GET /a/{id}.json",
		"POST /a:b@c/{x.y-z_}", "GET  /a", "$default /",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("route: %q: ", s)) {
				t.Fatalf("ParseKey(%q) error %q lacks the prefix", s, err)
			}
			return
		}
		if k.String() != s {
			t.Fatalf("ParseKey(%q).String() = %q", s, k)
		}
		again, err := ParseKey(k.String())
		if err != nil || again != k {
			t.Fatalf("ParseKey(%q) = %#v; re-parsing its String gives %#v, %v", s, k, again, err)
		}
		if n := len(k.Params()); n > MaxParams {
			t.Fatalf("ParseKey(%q) accepted %d parameters", s, n)
		}
		var tab Table[int]
		if err := tab.Add(k, 1); err != nil {
			t.Fatalf("Add(%q) of a parsed key: %v", s, err)
		}
	})
}
