package route

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// FuzzMatch builds a table from routeSpec and checks Match against a
// brute-force reference on a canonical path built from pathSpec, and
// against the general properties of a match on the arbitrary path raw.
func FuzzMatch(f *testing.F) {
	f.Add([]byte{0, 2, 0, 3, 1, 1, 3, 5, 2, 0}, []byte{0, 1}, uint8(0), "/a/b")
	f.Add([]byte{8, 0, 1, 1, 5, 2, 2, 0, 3}, []byte{0, 0x81}, uint8(1), "//a/%2F/")
	f.Add([]byte{2, 3, 3, 4, 5, 0, 3, 3, 4, 0}, []byte{3, 2, 1, 0, 4}, uint8(2), "")
	f.Fuzz(func(t *testing.T, routeSpec, pathSpec []byte, m uint8, raw string) {
		var tab Table[Key]
		var keys []Key
		for _, r := range genRoutes(routeSpec) {
			k, err := ParseKey(r)
			if err != nil {
				continue
			}
			if tab.Add(k, k) == nil {
				keys = append(keys, k)
			}
		}
		method := fuzzMethods[int(m)%len(fuzzMethods)]

		path := genPath(pathSpec)
		var p Params
		got, ok := tab.Match(method, path, &p)
		want, wantValues, wantOK := refMatch(keys, method, path)
		if got != want || ok != wantOK {
			t.Fatalf("routes %q: Match(%q, %q) = %q, %v; reference %q, %v", keys, method, path, got, ok, want, wantOK)
		}
		checkParams(t, got, ok, method, path, &p)
		if values := paramValues(&p); !slices.Equal(values, wantValues) {
			t.Fatalf("routes %q: Match(%q, %q) values %q; reference %q", keys, method, path, values, wantValues)
		}

		got, ok = tab.Match(method, raw, &p)
		checkParams(t, got, ok, method, raw, &p)
	})
}

var fuzzMethods = []string{"GET", "POST", "DELETE", "ANY", "get", "PROPFIND"}

// genRoutes returns route keys described by spec: per route, a method
// byte, a segment count and that many segment bytes.
func genRoutes(spec []byte) []string {
	methods := []string{"GET", "POST", "ANY", "DELETE"}
	segs := []string{"a", "b", "c", "{p%d}", "{p%d}", "{g%d+}", "a:b", "{p}"}
	var routes []string
	for len(spec) >= 2 && len(routes) < 64 {
		mb, n := spec[0], int(spec[1]%5)
		spec = spec[2:]
		if mb%9 == 8 {
			routes = append(routes, "$default")
			continue
		}
		var b strings.Builder
		b.WriteString(methods[int(mb)%len(methods)])
		b.WriteString(" ")
		for i := 0; i < n && len(spec) > 0; i++ {
			b.WriteString("/")
			s := segs[int(spec[0])%len(segs)]
			if strings.Contains(s, "%d") {
				s = fmt.Sprintf(s, i)
			}
			b.WriteString(s)
			spec = spec[1:]
		}
		if n == 0 {
			b.WriteString("/")
		}
		routes = append(routes, b.String())
	}
	return routes
}

// genPath returns a canonical path described by spec: one segment per
// byte, and a trailing slash if the last byte has its high bit set.
func genPath(spec []byte) string {
	segs := []string{"a", "b", "c", "d", "%2F", "a:b"}
	var b strings.Builder
	for i, c := range spec {
		if i == 8 {
			break
		}
		b.WriteString("/")
		b.WriteString(segs[int(c&0x7f)%len(segs)])
	}
	if len(spec) > 0 && spec[min(len(spec), 8)-1]&0x80 != 0 || b.Len() == 0 {
		b.WriteString("/")
	}
	return b.String()
}

// refMatch is a brute-force Match for a canonical path: of all routes that
// match, the one whose segments are most specific from the left (literal,
// then {param}, then {proxy+}), then an exact method before ANY.
func refMatch(keys []Key, method, path string) (Key, []string, bool) {
	var best, def *Key
	var bestRank []int
	var bestValues []string
	bestAny := false
	for i := range keys {
		k := &keys[i]
		if k.IsDefault() {
			def = k
			continue
		}
		if k.Method != method && k.Method != "ANY" {
			continue
		}
		rank, values, ok := refMatchPath(k.Path, path)
		if !ok {
			continue
		}
		isAny := k.Method == "ANY"
		c := slices.Compare(rank, bestRank)
		if best == nil || c < 0 || c == 0 && bestAny && !isAny {
			best, bestRank, bestValues, bestAny = k, rank, values, isAny
		}
	}
	switch {
	case best != nil:
		return *best, bestValues, true
	case def != nil:
		return *def, nil, true
	}
	return Key{}, nil, false
}

// refMatchPath matches a path template with a canonical path, returning
// the kind of each template segment (0 literal, 1 param, 2 greedy) and
// the parameter values.
func refMatchPath(tmpl, path string) (rank []int, values []string, ok bool) {
	body, trailing := strings.CutSuffix(path[1:], "/")
	var psegs []string
	if body != "" {
		psegs = strings.Split(body, "/")
	}
	var tsegs []string
	if tmpl != "/" {
		tsegs = strings.Split(tmpl[1:], "/")
	}
	for i, ts := range tsegs {
		_, greedy, isParam := ParamName(ts)
		switch {
		case greedy:
			if i >= len(psegs) {
				return nil, nil, false
			}
			v := strings.Join(psegs[i:], "/")
			if trailing {
				v += "/"
			}
			return append(rank, 2), append(values, v), true
		case i >= len(psegs):
			return nil, nil, false
		case isParam:
			rank, values = append(rank, 1), append(values, psegs[i])
		case ts != psegs[i]:
			return nil, nil, false
		default:
			rank = append(rank, 0)
		}
	}
	return rank, values, len(tsegs) == len(psegs)
}

// checkParams checks the general properties of a match of any path: the
// method fits, the names are the route's, and the template with the
// parameter values filled in gives back the path.
func checkParams(t *testing.T, k Key, ok bool, method, path string, p *Params) {
	t.Helper()
	if !ok || k.IsDefault() {
		if p.Len() != 0 {
			t.Fatalf("Match(%q, %q) = %q, %v with %d params", method, path, k, ok, p.Len())
		}
		return
	}
	if k.Method != method && k.Method != "ANY" {
		t.Fatalf("Match(%q, %q) = %q: wrong method", method, path, k)
	}
	names := k.Params()
	if p.Len() != len(names) {
		t.Fatalf("Match(%q, %q) = %q with %d params, want %d", method, path, k, p.Len(), len(names))
	}
	var b strings.Builder
	i := 0
	for seg := range strings.SplitSeq(k.Path[1:], "/") {
		if seg == "" {
			break // the root path
		}
		b.WriteString("/")
		name, greedy, isParam := ParamName(seg)
		if !isParam {
			b.WriteString(seg)
			continue
		}
		v := p.Value(i)
		switch {
		case p.Name(i) != name:
			t.Fatalf("Match(%q, %q) = %q: param %d named %q, want %q", method, path, k, i, p.Name(i), name)
		case v == "":
			t.Fatalf("Match(%q, %q) = %q: empty value of %q", method, path, k, name)
		case !greedy && strings.Contains(v, "/"):
			t.Fatalf("Match(%q, %q) = %q: value %q of {%s} has a '/'", method, path, k, v, name)
		}
		b.WriteString(v)
		i++
	}
	rebuilt := b.String()
	if rebuilt == "" {
		rebuilt = "/"
	}
	if rebuilt != path && (strings.HasSuffix(k.Path, "+}") || rebuilt+"/" != path) {
		t.Fatalf("Match(%q, %q) = %q with params %q: rebuilds %q", method, path, k, paramValues(p), rebuilt)
	}
}

// paramValues returns the values in p.
func paramValues(p *Params) []string {
	var values []string
	for i := range p.Len() {
		values = append(values, p.Value(i))
	}
	return values
}
