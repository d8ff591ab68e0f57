package stage

import (
	"cmp"
	"strings"
	"testing"
)

// FuzzParseTemplate parses arbitrary text. A failure names the template;
// a success expands, with every name defined, to exactly what replacing
// each reference in the source gives, and leaves no reference behind.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{
		"",
		"https://api.example.com/pets",
		"https://${stageVariables.host}/pets/${stageVariables.v}",
		"${stageVariables.a}${stageVariables.b}${stageVariables.a}",
		"$${stageVariables.x}$",
		"${stageVariables.}",
		"${stageVariables.a-b}",
		"${context.id}",
		"${stageVariables.a",
		"${${stageVariables.a}}",
		"}{$",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := ParseTemplate(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "stage: template ") || !strings.Contains(err.Error(), ": offset ") {
				t.Fatalf("ParseTemplate(%q) error %q does not name the template and offset", s, err)
			}
			if !strings.Contains(s, "${") {
				t.Fatalf("ParseTemplate(%q) failed without any \"${\": %v", s, err)
			}
			return
		}
		if tmpl.String() != s {
			t.Fatalf("String() = %q; want %q", tmpl.String(), s)
		}
		if tmpl.IsLiteral() != !strings.Contains(s, "${") {
			t.Fatalf("ParseTemplate(%q).IsLiteral() = %v", s, tmpl.IsLiteral())
		}
		names := tmpl.Names()
		vars := make(Variables, len(names))
		want := s
		for _, name := range names {
			vars[name] = "=" + name + ","
			want = strings.ReplaceAll(want, "${stageVariables."+name+"}", vars[name])
		}
		if err := vars.Validate(); err != nil {
			t.Fatalf("Names() returned an invalid name: %v", err)
		}
		got := tmpl.Expand(vars)
		if got != want {
			t.Fatalf("ParseTemplate(%q).Expand = %q; want %q", s, got, want)
		}
		if strings.Contains(got, "${stageVariables.") {
			t.Fatalf("ParseTemplate(%q).Expand = %q: a reference is left", s, got)
		}
		if m := tmpl.Missing(vars); m != nil {
			t.Fatalf("Missing = %q with every name defined", m)
		}
		if m := tmpl.Missing(nil); len(m) != len(names) {
			t.Fatalf("Missing(nil) = %q; want %q", m, names)
		}
	})
}

// fuzzMapping is one mapping a fuzzed Domains holds, normalized.
type fuzzMapping struct {
	name     string // lower case, no "*." or trailing dot
	wildcard bool
	key      string // base path without slashes
}

// FuzzDomainsLookup looks up arbitrary hosts and paths in a Domains that
// holds fixed mappings plus one fuzzed one, and checks the answer against
// a brute-force reference: the rest starts with '/', and the base path
// that matched is a whole-segment prefix of the path.
func FuzzDomainsLookup(f *testing.F) {
	f.Add("api.example.com", "/v1/pets/1", "x.example.org", "v1")
	f.Add("API.EXAMPLE.COM:8443", "/v1/admin/", "*.example.org", "")
	f.Add("a.example.com", "/beta", "*.example.com", "beta/x")
	f.Add("[::1]:8080", "/", "localhost", "/a/")
	f.Add("a.b.example.com", "//v1", "b.example.com", "v1")
	f.Add("api.example.com.", "/v10/x", "api.example.com", "v10")
	f.Add("q.example.net", "v1", "*.example.net", "v1")
	f.Add("Q.example.net", "", "*.example.net", "")
	f.Add("many.example.com", "/a/b/c/d", "many.example.com", "a/b/c/d")
	f.Add("MANY.example.com", "/v10/", "*.example.com", "v10")
	f.Fuzz(func(t *testing.T, host, path, domain, basePath string) {
		var d Domains[int]
		var mappings []fuzzMapping
		add := func(domain, basePath string) {
			if d.Add(domain, basePath, len(mappings)) != nil {
				return
			}
			name, wildcard, err := parseDomain(domain)
			if err != nil {
				t.Fatalf("Add(%q) succeeded but parseDomain failed: %v", domain, err)
			}
			key, _, err := parseBasePath(basePath)
			if err != nil {
				t.Fatalf("Add(%q, %q) succeeded but parseBasePath failed: %v", domain, basePath, err)
			}
			mappings = append(mappings, fuzzMapping{name, wildcard, key})
		}
		add("api.example.com", "")
		add("api.example.com", "v1")
		add("api.example.com", "v1/admin")
		add("*.example.com", "beta")
		add("*.example.net", "v1")
		for _, bp := range manyBasePaths {
			add("many.example.com", bp)
		}
		add(domain, basePath)

		got, rest, ok := d.Lookup(host, path)
		want, wantRest, wantOK, wantDomain := refLookup(mappings, host, path)
		if has := d.HasDomain(host); has != wantDomain {
			t.Fatalf("mappings %+v: HasDomain(%q) = %v; reference %v", mappings, host, has, wantDomain)
		}
		if got != want || rest != wantRest || ok != wantOK {
			t.Fatalf("mappings %+v: Lookup(%q, %q) = %d, %q, %v; reference %d, %q, %v",
				mappings, host, path, got, rest, ok, want, wantRest, wantOK)
		}
		if !ok {
			return
		}
		if !strings.HasPrefix(rest, "/") {
			t.Fatalf("Lookup(%q, %q) rest %q does not start with '/'", host, path, rest)
		}
		base := "/" + mappings[got].key
		if mappings[got].key == "" {
			base = ""
		}
		p := cmp.Or(path, "/")
		if !strings.HasPrefix(p, base) || (len(p) > len(base) && p[len(base)] != '/') {
			t.Fatalf("Lookup(%q, %q) matched base path %q, not a whole-segment prefix", host, path, base)
		}
	})
}

// refLookup is a brute-force Lookup over mappings; the target is the
// mapping's index. known is what HasDomain should report.
func refLookup(mappings []fuzzMapping, host, path string) (target int, rest string, ok, known bool) {
	h, _, _ := strings.Cut(host, ":")
	h = strings.TrimSuffix(h, ".")
	h = asciiLower(h)
	if h == "" || len(h) > maxDomainLen {
		return 0, "", false, false
	}
	var candidates []int
	for i, m := range mappings {
		if !m.wildcard && m.name == h {
			candidates = append(candidates, i)
		}
	}
	if candidates == nil {
		if first, suffix, found := strings.Cut(h, "."); found && first != "" {
			for i, m := range mappings {
				if m.wildcard && m.name == suffix {
					candidates = append(candidates, i)
				}
			}
		}
	}
	known = candidates != nil
	path = cmp.Or(path, "/")
	if path[0] != '/' {
		return 0, "", false, known
	}
	best, bestLen := -1, -1
	for _, i := range candidates {
		k := mappings[i].key
		prefix := k == "" || path == "/"+k || strings.HasPrefix(path, "/"+k+"/")
		if prefix && len(k) > bestLen {
			best, bestLen = i, len(k)
		}
	}
	if best < 0 {
		return 0, "", false, known
	}
	if mappings[best].key == "" {
		return best, path, true, known
	}
	return best, cmp.Or(path[1+bestLen:], "/"), true, known
}

// asciiLower lower-cases the ASCII letters of s only, as Lookup does.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
