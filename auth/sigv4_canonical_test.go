package auth

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSigV4CanonicalURI(t *testing.T) {
	tests := []struct {
		name, path      string
		normalized, raw string
	}{
		{name: "root", path: "/", normalized: "/", raw: "/"},
		{name: "empty", path: "", normalized: "/", raw: "/"},
		{name: "plain", path: "/pets/42", normalized: "/pets/42", raw: "/pets/42"},
		{name: "trailing slash kept", path: "/pets/", normalized: "/pets/", raw: "/pets/"},
		{name: "double slashes", path: "//pets//42//", normalized: "/pets/42/", raw: "//pets//42//"},
		{name: "dot", path: "/./pets/.", normalized: "/pets", raw: "/./pets/."},
		{name: "dot dot", path: "/a/b/../c", normalized: "/a/c", raw: "/a/b/../c"},
		{name: "dot dot at end", path: "/a/b/..", normalized: "/a", raw: "/a/b/.."},
		{name: "dot dot past root", path: "/../../a", normalized: "/a", raw: "/../../a"},
		{name: "only dot dot", path: "/a/..", normalized: "/", raw: "/a/.."},
		{name: "dotted names are names", path: "/.well-known/a..b", normalized: "/.well-known/a..b", raw: "/.well-known/a..b"},
		// The client's own encoding is encoded again: "%20" → "%2520".
		{name: "escaped space", path: "/a%20b", normalized: "/a%2520b", raw: "/a%2520b"},
		{name: "escaped dot dot is no segment", path: "/a/%2E%2E", normalized: "/a/%252E%252E", raw: "/a/%252E%252E"},
		{name: "raw space", path: "/a b", normalized: "/a%20b", raw: "/a%20b"},
		{name: "raw UTF-8", path: "/\xe1\x88\xb4", normalized: "/%E1%88%B4", raw: "/%E1%88%B4"},
		{name: "reserved", path: "/a:b@c!$&'()*+,;=", normalized: "/a%3Ab%40c%21%24%26%27%28%29%2A%2B%2C%3B%3D", raw: "/a%3Ab%40c%21%24%26%27%28%29%2A%2B%2C%3B%3D"},
		{name: "unreserved", path: "/-._~AZaz09", normalized: "/-._~AZaz09", raw: "/-._~AZaz09"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sigv4CanonicalURI(tt.path, true); got != tt.normalized {
				t.Errorf("normalized: got %q, want %q", got, tt.normalized)
			}
			if got := sigv4CanonicalURI(tt.path, false); got != tt.raw {
				t.Errorf("as sent: got %q, want %q", got, tt.raw)
			}
		})
	}
}

func TestSigV4CanonicalQuery(t *testing.T) {
	tests := []struct {
		name, raw, want string
		omit            []string
		wantErr         bool
	}{
		{name: "empty", raw: "", want: ""},
		{name: "sorted by name", raw: "b=2&a=1&c=3", want: "a=1&b=2&c=3"},
		{name: "then by value", raw: "a=2&a=10&a=1", want: "a=1&a=10&a=2"},
		{name: "upper case before lower", raw: "a=1&B=2", want: "B=2&a=1"},
		{name: "no value", raw: "a&b=", want: "a=&b="},
		{name: "empty pieces skipped", raw: "&a=1&&b=2&", want: "a=1&b=2"},
		{name: "plus is a space", raw: "q=a+b", want: "q=a%20b"},
		{name: "escaped plus", raw: "q=a%2Bb", want: "q=a%2Bb"},
		{name: "lower-case escapes normalized", raw: "q=%2f%3a", want: "q=%2F%3A"},
		{name: "needless escapes removed", raw: "%61=%7E", want: "a=~"},
		{name: "raw UTF-8 encoded", raw: "\xe1\x88\xb4=bar", want: "%E1%88%B4=bar"},
		{name: "reserved encoded", raw: "a=b/c:d;e", want: "a=b%2Fc%3Ad%3Be"},
		{name: "equals in value", raw: "a=b=c", want: "a=b%3Dc"},
		// Sorting happens after encoding: "-" (0x2D) sorts after "%" (0x25).
		{name: "sorted after encoding", raw: "k=a-b&k=a/b", want: "k=a%2Fb&k=a-b"},
		{name: "omitted", raw: "X-Amz-Signature=abc&a=1", omit: []string{"X-Amz-Signature"}, want: "a=1"},
		{name: "bad escape", raw: "a=%zz", wantErr: true},
		{name: "truncated escape", raw: "a%2=1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pairs, err := sigv4ParseQuery(tt.raw)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("sigv4ParseQuery(%q): no error", tt.raw)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sigv4CanonicalQuery(pairs, tt.omit...); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSigV4CanonicalHeaders(t *testing.T) {
	tests := []struct {
		name    string
		headers http.Header
		host    string
		length  int64
		signed  []string
		want    string
	}{
		{name: "host from Host", host: "api.example.com", signed: []string{"host"}, want: "host:api.example.com\n"},
		{name: "trimmed and collapsed", headers: http.Header{"X-A": {"  a   b \t c  "}}, signed: []string{"x-a"}, want: "x-a:a b \t c\n"},
		{name: "repeated joined in order", headers: http.Header{"X-A": {"2", " 1 ", "2"}}, signed: []string{"x-a"}, want: "x-a:2,1,2\n"},
		{name: "commas kept", headers: http.Header{"X-A": {"a, b"}}, signed: []string{"x-a"}, want: "x-a:a, b\n"},
		{name: "missing is empty", signed: []string{"x-a"}, want: "x-a:\n"},
		{name: "content-length from header", headers: http.Header{"Content-Length": {"13"}}, length: 13, signed: []string{"content-length"}, want: "content-length:13\n"},
		{name: "content-length from request", length: 13, signed: []string{"content-length"}, want: "content-length:13\n"},
		{
			name:    "several",
			host:    "h",
			headers: http.Header{"X-Amz-Date": {"20150830T123600Z"}, "Content-Type": {"text/plain"}},
			signed:  []string{"content-type", "host", "x-amz-date"},
			want:    "content-type:text/plain\nhost:h\nx-amz-date:20150830T123600Z\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header, r.Host, r.ContentLength = tt.headers, tt.host, tt.length
			if r.Header == nil {
				r.Header = http.Header{}
			}
			if got := sigv4CanonicalHeaders(r, tt.signed); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSigV4Target(t *testing.T) {
	tests := []struct {
		name, path, query string
		r                 func() *http.Request
	}{
		{name: "request URI", path: "/a%20b/c", query: "x=1&y", r: func() *http.Request {
			return httptest.NewRequest("GET", "/a%20b/c?x=1&y", nil)
		}},
		{name: "absolute form", path: "/a", query: "x=1", r: func() *http.Request {
			return httptest.NewRequest("GET", "http://h.example/a?x=1", nil)
		}},
		{name: "no request URI", path: "/a%2Fb", query: "x=1", r: func() *http.Request {
			r, _ := http.NewRequest("GET", "http://h.example/a%2Fb?x=1", nil)
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, query := sigv4Target(tt.r())
			if path != tt.path || query != tt.query {
				t.Errorf("got %q, %q; want %q, %q", path, query, tt.path, tt.query)
			}
		})
	}
}
