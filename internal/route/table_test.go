package route

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// matchCase is a request and the route it must match: want is the route
// key, or "" for no match; params lists "name=value" pairs.
type matchCase struct {
	method, path string
	want         string
	params       []string
}

func TestMatch(t *testing.T) {
	scenarios := []struct {
		name   string
		routes []string
		cases  []matchCase
	}{
		{
			name: "pets",
			routes: []string{
				"GET /pets",
				"POST /pets",
				"GET /pets/{id}",
				"ANY /pets/{id}",
				"DELETE /pets/{petId}",
				"GET /pets/mine",
				"GET /pets/{id}/toys",
				"GET /pets/{id}/toys/{toyId}",
				"ANY /pets/{proxy+}",
				"GET /{proxy+}",
				"GET /",
				"$default",
			},
			cases: []matchCase{
				{"GET", "/pets", "GET /pets", nil},
				{"GET", "/pets/", "GET /pets", nil},
				{"POST", "/pets", "POST /pets", nil},
				{"PUT", "/pets", "$default", nil},
				{"GET", "/pets/mine", "GET /pets/mine", nil},
				{"GET", "/pets/mine/", "GET /pets/mine", nil},
				{"POST", "/pets/mine", "ANY /pets/{id}", []string{"id=mine"}},
				{"GET", "/pets/1", "GET /pets/{id}", []string{"id=1"}},
				{"GET", "/pets/1/", "GET /pets/{id}", []string{"id=1"}},
				{"PUT", "/pets/1", "ANY /pets/{id}", []string{"id=1"}},
				{"DELETE", "/pets/1", "DELETE /pets/{petId}", []string{"petId=1"}},
				{"PROPFIND", "/pets/1", "ANY /pets/{id}", []string{"id=1"}},
				{"get", "/pets/1", "ANY /pets/{id}", []string{"id=1"}},
				{"get", "/pets", "$default", nil},
				{"GET", "/pets/mine/toys", "GET /pets/{id}/toys", []string{"id=mine"}},
				{"GET", "/pets/1/toys/2", "GET /pets/{id}/toys/{toyId}", []string{"id=1", "toyId=2"}},
				{"GET", "/pets/1/toys/2/", "GET /pets/{id}/toys/{toyId}", []string{"id=1", "toyId=2"}},
				{"GET", "/pets/1/other", "ANY /pets/{proxy+}", []string{"proxy=1/other"}},
				{"GET", "/pets/1/other/", "ANY /pets/{proxy+}", []string{"proxy=1/other/"}},
				{"POST", "/pets/1/toys", "ANY /pets/{proxy+}", []string{"proxy=1/toys"}},
				{"GET", "/pets/1/toys/2/3", "ANY /pets/{proxy+}", []string{"proxy=1/toys/2/3"}},
				{"GET", "/other/x", "GET /{proxy+}", []string{"proxy=other/x"}},
				{"GET", "/Pets", "GET /{proxy+}", []string{"proxy=Pets"}},
				{"POST", "/other", "$default", nil},
				{"GET", "/", "GET /", nil},
				{"POST", "/", "$default", nil},
				{"GET", "/pets/a%2Fb", "GET /pets/{id}", []string{"id=a%2Fb"}},
				{"GET", "/pets%2Fmine", "GET /{proxy+}", []string{"proxy=pets%2Fmine"}},
				{"GET", "", "$default", nil},
				{"GET", "pets", "$default", nil},
			},
		},
		{
			name:   "backtrack to a less specific path",
			routes: []string{"POST /pets/{id}", "GET /{proxy+}"},
			cases: []matchCase{
				{"GET", "/pets/1", "GET /{proxy+}", []string{"proxy=pets/1"}},
				{"POST", "/pets/1", "POST /pets/{id}", []string{"id=1"}},
				{"DELETE", "/pets/1", "", nil},
				{"GET", "", "", nil},
			},
		},
		{
			name:   "each route names its parameters",
			routes: []string{"GET /pets/{id}", "POST /pets/{petId}", "PUT /pets/{x}/{proxy+}"},
			cases: []matchCase{
				{"GET", "/pets/7", "GET /pets/{id}", []string{"id=7"}},
				{"POST", "/pets/7", "POST /pets/{petId}", []string{"petId=7"}},
				{"PUT", "/pets/7/a/b", "PUT /pets/{x}/{proxy+}", []string{"x=7", "proxy=a/b"}},
				{"PATCH", "/pets/7", "", nil},
			},
		},
		{
			name:   "greedy needs a segment",
			routes: []string{"GET /{all+}", "GET /pets/{proxy+}"},
			cases: []matchCase{
				{"GET", "/pets/a", "GET /pets/{proxy+}", []string{"proxy=a"}},
				{"GET", "/pets", "GET /{all+}", []string{"all=pets"}},
				{"GET", "/pets/", "GET /{all+}", []string{"all=pets/"}},
				{"GET", "/", "", nil},
			},
		},
		{
			name:   "parameters are reset on backtracking",
			routes: []string{"GET /{a}/{b}/c", "ANY /{x}/{rest+}", "GET /{all+}"},
			cases: []matchCase{
				{"GET", "/1/2/c", "GET /{a}/{b}/c", []string{"a=1", "b=2"}},
				{"GET", "/1/2/d", "ANY /{x}/{rest+}", []string{"x=1", "rest=2/d"}},
				{"GET", "/1", "GET /{all+}", []string{"all=1"}},
				{"POST", "/1", "", nil},
			},
		},
		{
			name:   "literal first at every segment",
			routes: []string{"GET /a/b/c", "GET /a/{x}/d", "GET /{y}/b/d", "GET /{y}/{z}/{w}"},
			cases: []matchCase{
				{"GET", "/a/b/c", "GET /a/b/c", nil},
				{"GET", "/a/b/d", "GET /a/{x}/d", []string{"x=b"}},
				{"GET", "/z/b/d", "GET /{y}/b/d", []string{"y=z"}},
				{"GET", "/a/b/e", "GET /{y}/{z}/{w}", []string{"y=a", "z=b", "w=e"}},
				{"GET", "/a/b", "", nil},
				{"GET", "/a/b/c/d", "", nil},
			},
		},
		{
			name:   "path specificity before method",
			routes: []string{"ANY /pets/{id}", "GET /pets/{proxy+}", "GET /{x}/{id}"},
			cases: []matchCase{
				{"GET", "/pets/1", "ANY /pets/{id}", []string{"id=1"}},
				{"GET", "/pets/1/2", "GET /pets/{proxy+}", []string{"proxy=1/2"}},
				{"GET", "/dogs/1", "GET /{x}/{id}", []string{"x=dogs", "id=1"}},
			},
		},
		{
			name:   "root",
			routes: []string{"ANY /", "GET /{p}"},
			cases: []matchCase{
				{"DELETE", "/", "ANY /", nil},
				{"GET", "/x", "GET /{p}", []string{"p=x"}},
				{"GET", "/x/", "GET /{p}", []string{"p=x"}},
			},
		},
		{
			name:   "default only",
			routes: []string{"$default"},
			cases: []matchCase{
				{"GET", "/", "$default", nil},
				{"OPTIONS", "/a/b/", "$default", nil},
			},
		},
		{
			name:   "empty",
			routes: nil,
			cases: []matchCase{
				{"GET", "/", "", nil},
			},
		},
		{
			name:   "many literal children",
			routes: manyLiterals(3 * maxScan),
			cases: []matchCase{
				{"GET", "/r0", "GET /r0", nil},
				{"GET", "/r13", "GET /r13", nil},
				{"GET", "/r13/x", "GET /r13/x", nil},
				{"GET", "/r99", "GET /{x}", []string{"x=r99"}},
				{"GET", "/r13/y", "", nil},
			},
		},
	}
	for _, sc := range scenarios {
		for _, order := range orders(sc.routes) {
			tab := newTable(t, order.routes)
			for _, c := range sc.cases {
				name := fmt.Sprintf("%s/%s/%s_%s", sc.name, order.name, c.method, c.path)
				t.Run(name, func(t *testing.T) {
					checkMatch(t, tab, c)
				})
			}
		}
	}
}

// manyLiterals returns n literal routes under the root and one parameter
// route beside them.
func manyLiterals(n int) []string {
	routes := []string{"GET /{x}"}
	for i := range n {
		routes = append(routes, fmt.Sprintf("GET /r%d", i), fmt.Sprintf("GET /r%d/x", i))
	}
	return routes
}

// orders returns routes in the given order, reversed and shuffled.
func orders(routes []string) []struct {
	name   string
	routes []string
} {
	type order = struct {
		name   string
		routes []string
	}
	rev := slices.Clone(routes)
	slices.Reverse(rev)
	all := []order{{"given", routes}, {"reversed", rev}}
	for seed := range uint64(3) {
		s := slices.Clone(routes)
		r := rand.New(rand.NewPCG(seed, 42))
		r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		all = append(all, order{fmt.Sprintf("shuffled%d", seed), s})
	}
	return all
}

// newTable returns a table whose values are the route keys.
func newTable(t testing.TB, routes []string) *Table[string] {
	t.Helper()
	var tab Table[string]
	for _, r := range routes {
		k, err := ParseKey(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := tab.Add(k, r); err != nil {
			t.Fatal(err)
		}
	}
	return &tab
}

func checkMatch(t *testing.T, tab *Table[string], c matchCase) {
	t.Helper()
	var p Params
	got, ok := tab.Match(c.method, c.path, &p)
	if ok != (c.want != "") || got != c.want {
		t.Fatalf("Match(%q, %q) = %q, %v; want %q", c.method, c.path, got, ok, c.want)
	}
	var params []string
	for i := range p.Len() {
		params = append(params, p.Name(i)+"="+p.Value(i))
	}
	if !slices.Equal(params, c.params) {
		t.Errorf("Match(%q, %q) params = %q, want %q", c.method, c.path, params, c.params)
	}
	for _, kv := range c.params {
		name, value, _ := strings.Cut(kv, "=")
		if v, ok := p.Get(name); !ok || v != value {
			t.Errorf("Get(%q) = %q, %v; want %q", name, v, ok, value)
		}
	}
	// Without Params, the same route.
	if got2, ok2 := tab.Match(c.method, c.path, nil); got2 != got || ok2 != ok {
		t.Errorf("Match(%q, %q, nil) = %q, %v; want %q, %v", c.method, c.path, got2, ok2, got, ok)
	}
}

func TestAddDuplicate(t *testing.T) {
	tests := []struct {
		name         string
		first, again string
		method, path string // a request that the first route matches
	}{
		{"same key", "GET /pets", "GET /pets", "GET", "/pets"},
		{"same shape", "GET /pets/{id}", "GET /pets/{name}", "GET", "/pets/1"},
		{"same greedy shape", "ANY /{a+}", "ANY /{b+}", "PUT", "/x/y"},
		{"root", "GET /", "GET /", "GET", "/"},
		{"default", "$default", "$default", "GET", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := newTable(t, []string{tt.first})
			err := tab.Add(mustParse(t, tt.again), "again")
			if err == nil {
				t.Fatalf("Add(%q) after Add(%q) succeeded", tt.again, tt.first)
			}
			want := fmt.Sprintf("route: %q: duplicates route %q", tt.again, tt.first)
			if err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
			if got, _ := tab.Match(tt.method, tt.path, nil); got != tt.first {
				t.Errorf("after the error, %s %s matches %q, want %q", tt.method, tt.path, got, tt.first)
			}
		})
	}
}

func TestAddNotDuplicate(t *testing.T) {
	newTable(t, []string{
		"GET /pets/{id}", "ANY /pets/{id}", "GET /pets/{id+}", "GET /pets/id",
		"GET /", "GET /{p+}", "$default", "POST /pets/{name}",
	})
}

func TestAddInvalidKey(t *testing.T) {
	tests := []struct {
		name string
		key  Key
		want string
	}{
		{"lower-case method", Key{Method: "get", Path: "/"}, `route: "get /": method "get" must be upper-case`},
		{"no path", Key{Method: "GET"}, `route: "GET ": missing path`},
		{"no method", Key{Path: "/a"}, `route: " /a": missing method`},
		{"bad path", Key{Method: "GET", Path: "/a/"}, `route: "GET /a/": trailing "/"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tab Table[int]
			err := tab.Add(tt.key, 1)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Add(%#v) error %v, want %q", tt.key, err, tt.want)
			}
			if _, ok := tab.Match("GET", "/", nil); ok {
				t.Error("the table is not empty after a failed Add")
			}
		})
	}
}

func mustParse(t testing.TB, s string) Key {
	t.Helper()
	k, err := ParseKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestMatchNoAllocs(t *testing.T) {
	tables := map[string]*Table[string]{
		"without default": newTable(t, benchRoutes),
		"with default":    newTable(t, append(slices.Clone(benchRoutes), "$default")),
	}
	for name, tab := range tables {
		for _, c := range benchCases {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				var p Params
				allocs := testing.AllocsPerRun(100, func() {
					tab.Match(c.method, c.path, &p)
				})
				if allocs != 0 {
					t.Errorf("Match(%q, %q) allocates %v times, want 0", c.method, c.path, allocs)
				}
				allocs = testing.AllocsPerRun(100, func() {
					tab.Match(c.method, c.path, nil)
				})
				if allocs != 0 {
					t.Errorf("Match(%q, %q, nil) allocates %v times, want 0", c.method, c.path, allocs)
				}
			})
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	tab := newTable(t, benchRoutes)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var p Params
			for range 200 {
				for _, c := range benchCases {
					got, ok := tab.Match(c.method, c.path, &p)
					if got != c.want || ok != (c.want != "") {
						t.Errorf("Match(%q, %q) = %q, %v; want %q", c.method, c.path, got, ok, c.want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestParams(t *testing.T) {
	tab := newTable(t, []string{"GET /a/{x}/{y+}"})
	var p Params
	if _, ok := tab.Match("GET", "/a/1/2/3", &p); !ok {
		t.Fatal("no match")
	}
	if p.Len() != 2 || p.Name(0) != "x" || p.Value(0) != "1" || p.Name(1) != "y" || p.Value(1) != "2/3" {
		t.Errorf("params %d: %q=%q %q=%q", p.Len(), p.Name(0), p.Value(0), p.Name(1), p.Value(1))
	}
	if v, ok := p.Get("z"); ok || v != "" {
		t.Errorf(`Get("z") = %q, %v`, v, ok)
	}
	for _, f := range []func(){func() { p.Name(2) }, func() { p.Value(2) }, func() { p.Value(-1) }} {
		if !panics(f) {
			t.Error("an index out of range does not panic")
		}
	}
	p.Reset()
	if p.Len() != 0 || p.path != "" {
		t.Errorf("after Reset: Len %d, path %q", p.Len(), p.path)
	}
	if _, ok := p.Get("x"); ok || !panics(func() { p.Value(0) }) {
		t.Error("after Reset, a parameter remains")
	}
	// A miss empties p.
	tab.Match("GET", "/a/1/2", &p)
	if _, ok := tab.Match("GET", "/b", &p); ok || p.Len() != 0 {
		t.Errorf("after a miss: ok %v, Len %d", ok, p.Len())
	}
}

func panics(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}
