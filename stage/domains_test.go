package stage

import (
	"strings"
	"sync"
	"testing"
)

// testDomains returns the mappings most Lookup tests use; each target
// names its domain and base path.
func testDomains(t testing.TB) *Domains[string] {
	t.Helper()
	var d Domains[string]
	for _, m := range [][2]string{
		{"api.example.com", ""},
		{"api.example.com", "v1"},
		{"api.example.com", "v1/admin"},
		{"api.example.com", "v2"},
		{"API.Other.org", "/shop/"},
		{"*.example.com", ""},
		{"*.example.com", "beta"},
		{"*.apps.example.net", "x"},
		{"localhost", "a.b~c-d_e"},
	} {
		if err := d.Add(m[0], m[1], m[0]+"|"+m[1]); err != nil {
			t.Fatal(err)
		}
	}
	// More base paths than match scans one by one.
	if len(manyBasePaths) <= linearMax {
		t.Fatalf("many.example.com has %d base paths; want more than linearMax (%d)", len(manyBasePaths), linearMax)
	}
	for _, bp := range manyBasePaths {
		if err := d.Add("many.example.com", bp, "many|"+bp); err != nil {
			t.Fatal(err)
		}
	}
	return &d
}

// manyBasePaths are the base paths of many.example.com.
var manyBasePaths = []string{"a", "b", "c", "d", "e", "f", "g", "h", "a/b", "a/b/c", "v1", "v10"}

func TestDomainsLookup(t *testing.T) {
	d := testDomains(t)
	tests := []struct {
		name       string
		host, path string
		want       string // target; "" means a miss
		rest       string
	}{
		{name: "exact, empty base path", host: "api.example.com", path: "/pets/1", want: "api.example.com|", rest: "/pets/1"},
		{name: "exact, root path", host: "api.example.com", path: "/", want: "api.example.com|", rest: "/"},
		{name: "exact, empty path", host: "api.example.com", path: "", want: "api.example.com|", rest: "/"},
		{name: "base path", host: "api.example.com", path: "/v1/pets/1", want: "api.example.com|v1", rest: "/pets/1"},
		{name: "base path exactly", host: "api.example.com", path: "/v1", want: "api.example.com|v1", rest: "/"},
		{name: "base path with trailing slash", host: "api.example.com", path: "/v1/", want: "api.example.com|v1", rest: "/"},
		{name: "longest base path", host: "api.example.com", path: "/v1/admin/users", want: "api.example.com|v1/admin", rest: "/users"},
		{name: "longest base path exactly", host: "api.example.com", path: "/v1/admin", want: "api.example.com|v1/admin", rest: "/"},
		{name: "segment boundary", host: "api.example.com", path: "/v10/x", want: "api.example.com|", rest: "/v10/x"},
		{name: "segment boundary in second segment", host: "api.example.com", path: "/v1/administrators", want: "api.example.com|v1", rest: "/administrators"},
		{name: "base paths are case sensitive", host: "api.example.com", path: "/V1/pets", want: "api.example.com|", rest: "/V1/pets"},
		{name: "empty segment", host: "api.example.com", path: "/v1//admin", want: "api.example.com|v1", rest: "//admin"},
		{name: "upper-case host", host: "API.EXAMPLE.COM", path: "/v2/x", want: "api.example.com|v2", rest: "/x"},
		{name: "host with port", host: "api.example.com:8443", path: "/v1/a", want: "api.example.com|v1", rest: "/a"},
		{name: "mixed case host with port", host: "Api.Example.Com:443", path: "/", want: "api.example.com|", rest: "/"},
		{name: "host with trailing dot", host: "api.example.com.", path: "/v2", want: "api.example.com|v2", rest: "/"},
		{name: "domain added in upper case", host: "api.other.org", path: "/shop/cart", want: "API.Other.org|/shop/", rest: "/cart"},
		{name: "no empty base path", host: "api.other.org", path: "/cart"},
		{name: "no empty base path, root", host: "api.other.org", path: "/"},
		{name: "wildcard", host: "a.example.com", path: "/pets", want: "*.example.com|", rest: "/pets"},
		{name: "wildcard base path", host: "Tenant-7.Example.com:8080", path: "/beta/pets", want: "*.example.com|beta", rest: "/pets"},
		{name: "wildcard does not match the bare domain", host: "example.com", path: "/"},
		{name: "wildcard matches one label only", host: "a.b.example.com", path: "/"},
		{name: "wildcard with empty first label", host: ".example.com", path: "/"},
		{name: "exact beats wildcard", host: "api.example.com", path: "/beta/pets", want: "api.example.com|", rest: "/beta/pets"},
		{name: "deeper wildcard", host: "q.apps.example.net", path: "/x/y", want: "*.apps.example.net|x", rest: "/y"},
		{name: "deeper wildcard, no base path", host: "q.apps.example.net", path: "/y"},
		{name: "single-label domain", host: "localhost:8080", path: "/a.b~c-d_e/z", want: "localhost|a.b~c-d_e", rest: "/z"},
		{name: "many, one segment", host: "many.example.com", path: "/h/x", want: "many|h", rest: "/x"},
		{name: "many, longest", host: "many.example.com", path: "/a/b/c/d", want: "many|a/b/c", rest: "/d"},
		{name: "many, middle", host: "many.example.com", path: "/a/b/x", want: "many|a/b", rest: "/x"},
		{name: "many, exactly", host: "many.example.com", path: "/a/b", want: "many|a/b", rest: "/"},
		{name: "many, trailing slash", host: "many.example.com", path: "/a/b/c/", want: "many|a/b/c", rest: "/"},
		{name: "many, shortest", host: "many.example.com", path: "/a/c", want: "many|a", rest: "/c"},
		{name: "many, segment boundary", host: "many.example.com", path: "/v10/x", want: "many|v10", rest: "/x"},
		{name: "many, no prefix", host: "many.example.com", path: "/v100"},
		{name: "many, no root", host: "many.example.com", path: "/"},
		{name: "many, empty first segment", host: "many.example.com", path: "//a"},
		{name: "unknown host", host: "nope.org", path: "/"},
		{name: "unknown upper-case host", host: "NOPE.org", path: "/"},
		{name: "unknown upper-case single label", host: "NOPE:80", path: "/"},
		{name: "empty host", host: "", path: "/"},
		{name: "port only", host: ":8080", path: "/"},
		{name: "IPv6 literal", host: "[::1]:8080", path: "/"},
		{name: "IPv6 literal without port", host: "[::1]", path: "/"},
		{name: "IPv4", host: "127.0.0.1:8080", path: "/"},
		{name: "path without leading slash", host: "api.example.com", path: "v1/pets"},
		{name: "host too long", host: strings.Repeat("a.", 127) + "example.com", path: "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rest, ok := d.Lookup(tt.host, tt.path)
			if tt.want == "" {
				if ok || got != "" || rest != "" {
					t.Fatalf("Lookup(%q, %q) = %q, %q, %v; want a miss", tt.host, tt.path, got, rest, ok)
				}
				return
			}
			if !ok || got != tt.want || rest != tt.rest {
				t.Fatalf("Lookup(%q, %q) = %q, %q, %v; want %q, %q, true", tt.host, tt.path, got, rest, ok, tt.want, tt.rest)
			}
		})
	}
}

func TestDomainsHasDomain(t *testing.T) {
	d := testDomains(t)
	tests := []struct {
		name string
		host string
		want bool
	}{
		{name: "exact", host: "api.example.com", want: true},
		{name: "exact without root base path", host: "api.other.org", want: true},
		{name: "upper case with port", host: "API.OTHER.ORG:443", want: true},
		{name: "trailing dot", host: "localhost.", want: true},
		{name: "wildcard", host: "x.example.com", want: true},
		{name: "wildcard upper case", host: "X.APPS.EXAMPLE.NET", want: true},
		{name: "bare wildcard domain", host: "example.com"},
		{name: "two labels under wildcard", host: "a.b.example.com"},
		{name: "unknown", host: "example.org"},
		{name: "empty", host: ""},
		{name: "IPv6 literal", host: "[::1]:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.HasDomain(tt.host); got != tt.want {
				t.Errorf("HasDomain(%q) = %v; want %v", tt.host, got, tt.want)
			}
		})
	}
}

func TestDomainsLookupAllocs(t *testing.T) {
	d := testDomains(t)
	tests := []struct {
		name       string
		host, path string
	}{
		{name: "exact hit", host: "api.example.com", path: "/v1/admin/users"},
		{name: "exact miss on path", host: "api.other.org", path: "/cart"},
		{name: "upper case with port", host: "API.EXAMPLE.COM:8443", path: "/v2/x"},
		{name: "wildcard hit", host: "Tenant.example.com", path: "/beta/x"},
		{name: "unknown host", host: "unknown.example.org:80", path: "/"},
		{name: "many base paths", host: "many.example.com", path: "/a/b/c/d"},
		{name: "IPv6 literal", host: "[::1]:8080", path: "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(100, func() { d.Lookup(tt.host, tt.path) }); got != 0 {
				t.Errorf("Lookup(%q, %q) allocates %v times; want 0", tt.host, tt.path, got)
			}
			if got := testing.AllocsPerRun(100, func() { d.HasDomain(tt.host) }); got != 0 {
				t.Errorf("HasDomain(%q) allocates %v times; want 0", tt.host, got)
			}
		})
	}
}

func TestDomainsZero(t *testing.T) {
	var d Domains[int]
	if got, rest, ok := d.Lookup("api.example.com", "/"); ok || got != 0 || rest != "" {
		t.Errorf("Lookup on the zero Domains = %v, %q, %v", got, rest, ok)
	}
	if d.HasDomain("api.example.com") {
		t.Error("HasDomain on the zero Domains = true")
	}
	if d.Len() != 0 {
		t.Errorf("Len() = %d; want 0", d.Len())
	}
}

func TestDomainsLen(t *testing.T) {
	if got, want := testDomains(t).Len(), 9+len(manyBasePaths); got != want {
		t.Errorf("Len() = %d; want %d", got, want)
	}
}

func TestDomainsAddErrors(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	tests := []struct {
		name, domain, basePath string
		wantErr                string // "" means success
	}{
		{name: "name", domain: "api.example.com"},
		{name: "upper case", domain: "API.Example.COM"},
		{name: "trailing dot", domain: "api.example.com."},
		{name: "wildcard", domain: "*.example.com"},
		{name: "single label", domain: "localhost"},
		{name: "hyphen inside", domain: "my-api.example.com"},
		{name: "digits", domain: "api2.3com.example"},
		{name: "longest label", domain: long63 + ".com"},
		{name: "longest name", domain: strings.Repeat(long63+".", 3) + strings.Repeat("a", 61)},
		{name: "base path with slashes", domain: "a.com", basePath: "/v1/admin/"},
		{name: "base path root slash", domain: "a.com", basePath: "/"},
		{name: "base path characters", domain: "a.com", basePath: "A-z_0.9~"},

		{name: "empty", domain: "", wantErr: `stage: domain "": is empty`},
		{name: "scheme", domain: "https://api.example.com", wantErr: "has a scheme"},
		{name: "port", domain: "api.example.com:8443", wantErr: `stage: domain "api.example.com:8443": has a port`},
		{name: "path", domain: "api.example.com/v1", wantErr: "has a path"},
		{name: "IPv6", domain: "[::1]", wantErr: "is an IP address"},
		{name: "IPv4", domain: "10.0.0.1", wantErr: "is an IP address"},
		{name: "wildcard alone", domain: "*.", wantErr: `has no name after "*."`},
		{name: "star alone", domain: "*", wantErr: `has no name after "*."`},
		{name: "inner wildcard", domain: "a.*.com", wantErr: "allowed only as the whole first label"},
		{name: "partial wildcard", domain: "a*.example.com", wantErr: "allowed only as the whole first label"},
		{name: "double wildcard", domain: "*.*.example.com", wantErr: "allowed only as the whole first label"},
		{name: "empty label", domain: "api..example.com", wantErr: "has an empty label"},
		{name: "leading dot", domain: ".example.com", wantErr: "has an empty label"},
		{name: "leading hyphen", domain: "-api.example.com", wantErr: `label "-api" starts or ends with '-'`},
		{name: "trailing hyphen", domain: "api-.example.com", wantErr: "starts or ends with '-'"},
		{name: "underscore", domain: "my_api.example.com", wantErr: `label "my_api" has invalid character '_'`},
		{name: "non-ASCII", domain: "café.example.com", wantErr: `has invalid character 'é'`},
		{name: "label too long", domain: long63 + "a.com", wantErr: "is longer than 63 characters"},
		{name: "name too long", domain: strings.Repeat(long63+".", 3) + strings.Repeat("a", 62), wantErr: "is longer than 253 characters"},

		{name: "base path empty segment", domain: "a.com", basePath: "v1//admin", wantErr: `stage: domain "a.com": base path "v1//admin": empty segment`},
		{name: "base path dot segment", domain: "a.com", basePath: "v1/../admin", wantErr: `dot segment ".."`},
		{name: "base path single dot", domain: "a.com", basePath: ".", wantErr: `dot segment "."`},
		{name: "base path space", domain: "a.com", basePath: "v 1", wantErr: `invalid character ' '`},
		{name: "base path percent", domain: "a.com", basePath: "v%31", wantErr: `invalid character '%'`},
		{name: "base path brace", domain: "a.com", basePath: "{stage}", wantErr: `invalid character '{'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Domains[int]
			err := d.Add(tt.domain, tt.basePath, 1)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Add(%q, %q) = %v", tt.domain, tt.basePath, err)
				}
				if d.Len() != 1 {
					t.Errorf("Len() = %d after one Add; want 1", d.Len())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Add(%q, %q) error = %v; want it to contain %q", tt.domain, tt.basePath, err, tt.wantErr)
			}
			if d.Len() != 0 {
				t.Errorf("Len() = %d after a failed Add; want 0", d.Len())
			}
		})
	}
}

func TestDomainsAddDuplicate(t *testing.T) {
	tests := []struct {
		name    string
		first   [2]string
		second  [2]string
		wantErr string // "" means both succeed
	}{
		{name: "same base path", first: [2]string{"api.example.com", "v1"}, second: [2]string{"api.example.com", "v1"},
			wantErr: `stage: domain "api.example.com": base path "v1" is already mapped`},
		{name: "same after normalizing", first: [2]string{"api.example.com", "v1/admin"}, second: [2]string{"API.example.com.", "/v1/admin/"},
			wantErr: `stage: domain "API.example.com.": base path "v1/admin" is already mapped`},
		{name: "empty base path", first: [2]string{"api.example.com", ""}, second: [2]string{"api.example.com", "/"},
			wantErr: `stage: domain "api.example.com": the empty base path is already mapped`},
		{name: "same wildcard", first: [2]string{"*.example.com", "x"}, second: [2]string{"*.EXAMPLE.com", "x"},
			wantErr: "already mapped"},
		{name: "other base path", first: [2]string{"api.example.com", "v1"}, second: [2]string{"api.example.com", "v2"}},
		{name: "other domain", first: [2]string{"api.example.com", "v1"}, second: [2]string{"web.example.com", "v1"}},
		{name: "exact and wildcard", first: [2]string{"example.com", ""}, second: [2]string{"*.example.com", ""}},
		{name: "base paths differ in case", first: [2]string{"a.com", "v1"}, second: [2]string{"a.com", "V1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Domains[int]
			if err := d.Add(tt.first[0], tt.first[1], 1); err != nil {
				t.Fatal(err)
			}
			err := d.Add(tt.second[0], tt.second[1], 2)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("second Add = %v", err)
				}
				if d.Len() != 2 {
					t.Errorf("Len() = %d; want 2", d.Len())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("second Add error = %v; want it to contain %q", err, tt.wantErr)
			}
			if d.Len() != 1 {
				t.Errorf("Len() = %d after a duplicate; want 1", d.Len())
			}
			// The first mapping still wins.
			host := strings.Replace(strings.TrimSuffix(tt.first[0], "."), "*", "x", 1)
			if got, _, ok := d.Lookup(host, "/"+tt.first[1]); !ok || got != 1 {
				t.Errorf("Lookup after a refused duplicate = %d, %v; want 1, true", got, ok)
			}
		})
	}
}

func TestDomainsConcurrentLookup(t *testing.T) {
	d := testDomains(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				if got, _, ok := d.Lookup("API.example.com:443", "/v1/x"); !ok || got != "api.example.com|v1" {
					t.Errorf("Lookup = %q, %v", got, ok)
					return
				}
			}
		})
	}
	wg.Wait()
}
