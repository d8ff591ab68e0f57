package urlpath

import (
	"errors"
	"strings"
	"testing"
	"unsafe"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" when an error is expected
	}{
		// Already canonical: returned as is.
		{"root", "/", "/"},
		{"one segment", "/a", "/a"},
		{"trailing slash kept", "/a/b/", "/a/b/"},
		{"typical", "/v1/pets/123/toys", "/v1/pets/123/toys"},
		{"dot prefix is no dot segment", "/.well-known/openid-configuration", "/.well-known/openid-configuration"},
		{"dots inside segments", "/a/.b/..c/d./e../...", "/a/.b/..c/d./e../..."},
		{"sub-delims colon at", "/a;b=c,d/!$&'()*+/x:y@z", "/a;b=c,d/!$&'()*+/x:y@z"},
		{"tilde", "/~user", "/~user"},
		{"kept escapes", "/a%2Fb%3F%C3%A9", "/a%2Fb%3F%C3%A9"},

		// Empty segments.
		{"double slash at start", "//admin", "/admin"},
		{"double slash inside", "/a//b", "/a/b"},
		{"only slashes", "///", "/"},
		{"double slash at end", "/a//", "/a/"},
		{"many slashes", "//a///b////", "/a/b/"},

		// Dot segments.
		{"dot", "/a/./b", "/a/b"},
		{"dot dot", "/a/b/../c", "/a/c"},
		{"above root", "/a/b/../../../c", "/c"},
		{"leading dot dot", "/../a", "/a"},
		{"only dot dot", "/..", "/"},
		{"only dot", "/.", "/"},
		{"ends in dot dot", "/a/b/..", "/a/"},
		{"ends in dot", "/a/b/.", "/a/b/"},
		{"ends in dot and slash", "/a/b/./", "/a/b/"},
		{"mixed", "/a/../b/./c/", "/b/c/"},
		{"dots and empty segments", "/a/.//..//b", "/b"},

		// Attacks on path-based policy.
		{"encoded dot dot", "/public/%2e%2e/admin", "/admin"},
		{"encoded dot dot upper", "/public/%2E%2E/admin", "/admin"},
		{"half encoded dot dot", "/public/.%2e/admin", "/admin"},
		{"encoded dot", "/public/%2e/admin", "/public/admin"},
		{"double slash admin", "//admin", "/admin"},
		{"encoded slash is data", "/files/a%2fb", "/files/a%2Fb"},
		{"encoded backslash is data", "/files/a%5cb", "/files/a%5Cb"},
		{"semicolon is data", "/a;v=1/b;..", "/a;v=1/b;.."},
		{"raw backslash", "/a\\b", "/a%5Cb"},
		{"dots beside an encoded slash", "/a/.x%2F..y", "/a/.x%2F..y"},

		// Rule 6: dot segments hidden behind encoded slashes or ';'.
		{"hidden behind encoded slash", "/public/..%2Fadmin", ""},
		{"hidden behind lower-case encoded slash", "/public/..%2fadmin", ""},
		{"fully encoded traversal", "/public/%2e%2e%2fadmin", ""},
		{"encoded traversal chain", "/%2e%2e%2f%2e%2e/etc/passwd", ""},
		{"hidden behind encoded backslash", "/a/..%5cadmin", ""},
		{"hidden behind raw backslash", "/a\\..\\admin", ""},
		{"hidden before semicolon", "/public/..;/admin", ""},
		{"single dot before semicolon", "/public/.;x/admin", ""},
		{"dot after encoded slash", "/a/x%2F.", ""},
		{"dot dot above root encoded", "/%2e%2e/%2e%2e/admin", "/admin"},

		// Unreserved escapes are decoded, others upper-cased.
		{"decode letters", "/%41%42c", "/ABc"},
		{"decode marks", "/%7e%2D%5f%2E", "/~-_."},
		{"mixed case hex", "/a%2fb%2F%c3%A9", "/a%2Fb%2F%C3%A9"},
		{"reserved stays escaped", "/%3a%40%24%3b", "/%3A%40%24%3B"},

		// Raw bytes outside pchar are escaped.
		{"space", "/a b", "/a%20b"},
		{"quote and angles", "/a\"<>", "/a%22%3C%3E"},
		{"query and fragment bytes", "/a?b#c", "/a%3Fb%23c"},
		{"brackets braces", "/[a]{b}|^`", "/%5Ba%5D%7Bb%7D%7C%5E%60"},
		{"utf-8 raw", "/café", "/caf%C3%A9"},
		{"utf-8 escaped", "/caf%c3%a9", "/caf%C3%A9"},
		{"utf-8 cjk", "/日本", "/%E6%97%A5%E6%9C%AC"},
		{"invalid utf-8 byte", "/a\xffb", "/a%FFb"},

		// Errors.
		{"empty", "", ""},
		{"relative", "a/b", ""},
		{"star", "*", ""},
		{"raw NUL", "/a\x00b", ""},
		{"raw newline", "/a\nb", ""},
		{"raw tab", "/a\tb", ""},
		{"raw DEL", "/a\x7f", ""},
		{"invalid hex", "/%zz", ""},
		{"invalid second hex", "/%4g", ""},
		{"short escape at end", "/a%4", ""},
		{"lone percent at end", "/a%", ""},
		{"short escape before slash", "/a%4/b", ""},
		{"encoded NUL", "/a%00", ""},
		{"encoded newline", "/a%0a", ""},
		{"encoded unit separator", "/%1F", ""},
		{"encoded DEL", "/%7f", ""},
		{"error after dot segment", "/../%00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Canonical(%q) = %q, want an error", tt.in, got)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("Canonical(%q) error %v does not wrap ErrInvalid", tt.in, err)
				}
				if !strings.HasPrefix(err.Error(), "urlpath: ") {
					t.Errorf("Canonical(%q) error %q lacks the urlpath: prefix", tt.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Canonical(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again, err := Canonical(got); again != got || err != nil {
				t.Errorf("Canonical(%q) = %q, %v; want it unchanged", got, again, err)
			}
		})
	}
}

func TestCanonicalNoAllocs(t *testing.T) {
	paths := []string{
		"/",
		"/v1/pets/123/toys",
		"/a/b/",
		"/.well-known/jwks.json",
		"/x:y@z;a=b/~u/!$&'()*+,",
		"/a%2Fb/caf%C3%A9/%3F",
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			var out string
			allocs := testing.AllocsPerRun(100, func() {
				out, _ = Canonical(p)
			})
			if allocs != 0 {
				t.Errorf("Canonical(%q) allocates %v times, want 0", p, allocs)
			}
			// The argument itself, not an equal copy.
			if out != p || unsafe.StringData(out) != unsafe.StringData(p) {
				t.Errorf("Canonical(%q) = %q, want the argument itself", p, out)
			}
		})
	}
}

func TestCanonicalSlowPathOneAlloc(t *testing.T) {
	p := "/v1//pets/%2e%2e/toys/%7euser/a%2fb"
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = Canonical(p)
	})
	if allocs > 1 {
		t.Errorf("Canonical(%q) allocates %v times, want at most 1", p, allocs)
	}
}

func TestCanonicalLong(t *testing.T) {
	// Longer than the stack buffer, with escapes that triple in size.
	in := "/" + strings.Repeat("é/", 200) + strings.Repeat("../", 199)
	got, err := Canonical(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/%C3%A9/"; got != want {
		t.Errorf("Canonical(long) = %q, want %q", got, want)
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "abc", "abc"},
		{"slash", "a%2Fb", "a/b"},
		{"lower hex", "a%2fb", "a/b"},
		{"utf-8", "caf%C3%A9", "café"},
		{"space", "%20", " "},
		{"invalid kept", "%zz%4", "%zz%4"},
		{"percent at end", "a%", "a%"},
		{"path", "/a%2Fb/c", "/a/b/c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unescape(tt.in); got != tt.want {
				t.Errorf("Unescape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestUnescapeNoAllocs(t *testing.T) {
	s := "pets"
	allocs := testing.AllocsPerRun(100, func() {
		_ = Unescape(s)
	})
	if allocs != 0 {
		t.Errorf("Unescape(%q) allocates %v times, want 0", s, allocs)
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		"/", "", "a", "//admin", "/public/%2e%2e/admin", "/public/..%2Fadmin",
		"/a/./b", "/a/b/../../../c", "/%41%2f%2E", "/café", "/a b\\c",
		"/%00", "/%", "/a/b/..", "/.well-known", "/%2e%2E/%2E./.%2e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Canonical(in)
		if err != nil {
			if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "urlpath: ") {
				t.Fatalf("Canonical(%q) error %q: not a urlpath ErrInvalid", in, err)
			}
			return
		}
		if isCanonical(in) && out != in {
			t.Fatalf("Canonical(%q) = %q, but the fast path found it canonical", in, out)
		}
		checkCanonical(t, in, out)
		if again, err := canonicalize(out); again != out || err != nil {
			t.Fatalf("Canonical(%q) = %q; slow path on it gives %q, %v", in, out, again, err)
		}
		if again, err := Canonical(out); again != out || err != nil {
			t.Fatalf("Canonical(%q) = %q; Canonical on it gives %q, %v", in, out, again, err)
		}
	})
}

// checkCanonical checks the properties of a canonical path out.
func checkCanonical(t *testing.T, in, out string) {
	t.Helper()
	if !strings.HasPrefix(out, "/") {
		t.Fatalf("Canonical(%q) = %q: no leading '/'", in, out)
	}
	if strings.Contains(out, "//") {
		t.Fatalf("Canonical(%q) = %q: empty segment", in, out)
	}
	for i := 0; i < len(out); i++ {
		c := out[i]
		switch {
		case c == '/' || class[c]&pchar != 0:
		case c == '%':
			if i+2 >= len(out) || !strings.ContainsRune(upperHex, rune(out[i+1])) || !strings.ContainsRune(upperHex, rune(out[i+2])) {
				t.Fatalf("Canonical(%q) = %q: bad escape at %d", in, out, i)
			}
			d := unhex(out[i+1])<<4 | unhex(out[i+2])
			if class[d]&(unreserved|control) != 0 {
				t.Fatalf("Canonical(%q) = %q: escape of %q at %d", in, out, d, i)
			}
			i += 2
		default:
			t.Fatalf("Canonical(%q) = %q: raw byte %q at %d", in, out, c, i)
		}
	}
	for _, seg := range strings.Split(out[1:], "/") {
		if dec := Unescape(seg); dec == "." || dec == ".." {
			t.Fatalf("Canonical(%q) = %q: dot segment %q", in, out, seg)
		}
	}
}

func BenchmarkCanonical(b *testing.B) {
	benchmarks := []struct {
		name, path string
	}{
		{"clean", "/v1/pets/123/toys"},
		{"dirty", "/v1//pets/%2e%2e/toys/%7euser/a%2fb"},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Canonical(bm.path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUnescape(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Unescape("caf%C3%A9")
	}
}
