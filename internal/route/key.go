package route

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// defaultKey is the route key of the catch-all route.
const defaultKey = "$default"

// Each node of a Table has one slot per method a route key may name; ANY
// is the last.
const (
	methodAny  = 7
	numMethods = 8
)

// methodIndex returns the slot of a request or route-key method, or -1 when
// it has none. Request methods are case-sensitive (RFC 9110 §9.1).
func methodIndex(m string) int {
	switch m {
	case "GET":
		return 0
	case "POST":
		return 1
	case "PUT":
		return 2
	case "DELETE":
		return 3
	case "PATCH":
		return 4
	case "HEAD":
		return 5
	case "OPTIONS":
		return 6
	case "ANY":
		return methodAny
	}
	return -1
}

// Key is a parsed route key: a method and a path template, such as
// "GET /pets/{id}", or the catch-all "$default", whose Key is the zero
// value. Build one with [ParseKey]; [Table.Add] checks a Key built as a
// literal the same way.
type Key struct {
	Method string // upper-case method, or "ANY"; "" for $default
	Path   string // path template such as "/pets/{id}"; "" for $default
}

// ParseKey parses a route key: "$default", or a method (GET, POST, PUT,
// DELETE, PATCH, HEAD, OPTIONS or ANY, upper-case), exactly one space and a
// path template. See the package documentation for the rules a path
// template follows. Every error message starts with "route:" and quotes s.
func ParseKey(s string) (Key, error) {
	if s == defaultKey {
		return Key{}, nil
	}
	method, path, ok := strings.Cut(s, " ")
	if !ok {
		return Key{}, keyError(s, `want "METHOD /path" or "$default"`)
	}
	switch method {
	case defaultKey:
		return Key{}, keyError(s, `nothing may follow "$default"`)
	case "":
		return Key{}, keyError(s, "missing method") // not Key{}, which is $default
	}
	k := Key{Method: method, Path: path}
	if _, err := k.check(); err != nil {
		return Key{}, err
	}
	return k, nil
}

// IsDefault reports whether k is the catch-all route key "$default".
func (k Key) IsDefault() bool {
	return k == Key{}
}

// String returns the route key as ParseKey reads it: "GET /pets/{id}" or
// "$default".
func (k Key) String() string {
	if k.IsDefault() {
		return defaultKey
	}
	return k.Method + " " + k.Path
}

// Params returns the names of the path parameters of k in the order they
// appear, without the '+' of a greedy parameter: ["id", "proxy"] for
// "GET /pets/{id}/{proxy+}". It returns nil when there are none.
func (k Key) Params() []string {
	var names []string
	for seg := range strings.SplitSeq(k.Path, "/") {
		if name, _, ok := ParamName(seg); ok {
			names = append(names, name)
		}
	}
	return names
}

// paramName returns the name in a segment "{name}" or "{name+}" and
// whether it is greedy; ok is false when seg is not a parameter.
func ParamName(seg string) (name string, greedy, ok bool) {
	if len(seg) < 2 || seg[0] != '{' || seg[len(seg)-1] != '}' {
		return "", false, false
	}
	name = seg[1 : len(seg)-1]
	if n, found := strings.CutSuffix(name, "+"); found {
		return n, true, true
	}
	return name, false, true
}

// check validates k and returns its parameter names.
func (k Key) check() ([]string, error) {
	if k.IsDefault() {
		return nil, nil
	}
	if methodIndex(k.Method) < 0 {
		switch {
		case k.Method == "":
			return nil, keyError(k.String(), "missing method")
		case methodIndex(strings.ToUpper(k.Method)) >= 0:
			return nil, keyError(k.String(), fmt.Sprintf("method %q must be upper-case", k.Method))
		default:
			return nil, keyError(k.String(), fmt.Sprintf("unknown method %q (want GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY)", k.Method))
		}
	}
	names, msg := checkPath(k.Path)
	if msg != "" {
		return nil, keyError(k.String(), msg)
	}
	return names, nil
}

// checkPath validates a path template and returns its parameter names, or
// the reason it is invalid.
func checkPath(path string) (names []string, msg string) {
	switch {
	case path == "":
		return nil, "missing path"
	case path[0] == ' ':
		return nil, "want exactly one space between method and path"
	case path[0] != '/':
		return nil, `path must start with "/"`
	case path == "/":
		return nil, ""
	case path[len(path)-1] == '/':
		return nil, `trailing "/" (only the root path "/" ends with "/")`
	}
	if msg := checkBytes(path); msg != "" {
		return nil, msg
	}
	rest := path[1:]
	for rest != "" {
		seg, next, more := strings.Cut(rest, "/")
		rest = next
		switch {
		case seg == "":
			return nil, `empty path segment ("//")`
		case seg == "." || seg == "..":
			return nil, fmt.Sprintf("dot segment %q", seg)
		}
		name, greedy, ok := ParamName(seg)
		if !ok {
			if msg := checkLiteral(seg); msg != "" {
				return nil, msg
			}
			continue
		}
		switch {
		case !validName(name):
			return nil, fmt.Sprintf("invalid parameter name %q (want letters, digits, '.', '_' or '-')", name)
		case greedy && more:
			return nil, fmt.Sprintf("greedy parameter %q must be the last segment", seg)
		case len(names) == MaxParams:
			return nil, fmt.Sprintf("more than %d parameters", MaxParams)
		}
		for _, n := range names {
			if n == name {
				return nil, fmt.Sprintf("parameter name %q used twice", name)
			}
		}
		names = append(names, name)
	}
	return names, ""
}

// checkBytes reports the first byte of a path template that no segment may
// contain.
func checkBytes(path string) string {
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '%':
			return `"%" not allowed (write literal segments unescaped)`
		case c == '?' || c == '#':
			return fmt.Sprintf("%q not allowed (a route matches the path only)", c)
		case c <= ' ' || c == 0x7f:
			return fmt.Sprintf("whitespace or control character %q not allowed", c)
		}
	}
	return ""
}

// checkLiteral reports why seg, which is not a parameter, cannot be a
// literal segment. A literal is compared with the canonical escaped path
// (package urlpath), so it may hold only bytes that stay raw there: any
// other byte would be escaped in every request path, and the route would
// never match.
func checkLiteral(seg string) string {
	if strings.HasPrefix(seg, "{") {
		if !strings.Contains(seg, "}") {
			return `unclosed "{"`
		}
		return fmt.Sprintf("segment %q: a parameter must be a whole segment", seg)
	}
	for i := 0; i < len(seg); i++ {
		switch c := seg[i]; {
		case c == '{' || c == '}':
			return fmt.Sprintf("segment %q: a parameter must be a whole segment", seg)
		case !isPchar(c):
			r, _ := utf8.DecodeRuneInString(seg[i:])
			return fmt.Sprintf("character %q not allowed in a literal segment (it is always escaped in a canonical request path)", r)
		}
	}
	return ""
}

// isPchar reports whether c may appear unescaped in a canonical path
// segment: an RFC 3986 unreserved character, a sub-delim, ':' or '@'.
func isPchar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}

// validName reports whether name matches [A-Za-z0-9._-]+.
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// keyError returns an error about the route key s.
func keyError(s, msg string) error {
	return fmt.Errorf("route: %q: %s", s, msg)
}
