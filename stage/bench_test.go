package stage

import (
	"fmt"
	"testing"
)

// benchDomains maps 20 domains with four base paths each, and a wildcard
// domain with two.
func benchDomains(b *testing.B) *Domains[int] {
	var d Domains[int]
	n := 0
	add := func(domain, basePath string) {
		if err := d.Add(domain, basePath, n); err != nil {
			b.Fatal(err)
		}
		n++
	}
	for i := range 20 {
		domain := fmt.Sprintf("svc%d.example.com", i)
		for _, bp := range []string{"", "v1", "v2", "v1/admin"} {
			add(domain, bp)
		}
	}
	add("*.tenants.example.com", "")
	add("*.tenants.example.com", "api")
	return &d
}

func BenchmarkLookup(b *testing.B) {
	d := benchDomains(b)
	benchmarks := []struct {
		name       string
		host, path string
		ok         bool
	}{
		{name: "exact", host: "svc7.example.com", path: "/v1/pets/123", ok: true},
		{name: "exact root", host: "svc7.example.com", path: "/pets/123", ok: true},
		{name: "exact upper case port", host: "SVC7.Example.com:8443", path: "/v1/admin/users", ok: true},
		{name: "wildcard", host: "acme.tenants.example.com", path: "/api/orders/9", ok: true},
		{name: "miss host", host: "unknown.example.org", path: "/v1/pets", ok: false},
		{name: "miss IPv6", host: "[::1]:8080", path: "/v1/pets", ok: false},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			if _, _, ok := d.Lookup(bm.host, bm.path); ok != bm.ok {
				b.Fatalf("Lookup(%q, %q) ok = %v; want %v", bm.host, bm.path, ok, bm.ok)
			}
			b.ReportAllocs()
			for b.Loop() {
				d.Lookup(bm.host, bm.path)
			}
		})
	}
}

func BenchmarkPick(b *testing.B) {
	d := deployments(2)
	s := mustState(b, d[0], Variables{"host": "a"}, &Canary[string]{Deployment: d[1], Percent: 10, Variables: Variables{"host": "b"}})
	for _, bm := range []struct {
		name string
		u    float64
	}{
		{name: "stage", u: 0.5},
		{name: "canary", u: 0.05},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Pick(bm.u)
			}
		})
	}
}

func BenchmarkStageLoad(b *testing.B) {
	d := deployments(1)
	st, err := New("prod", mustState(b, d[0], nil, nil))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st.Load()
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				st.Load()
			}
		})
	})
}

func BenchmarkExpand(b *testing.B) {
	vars := Variables{"host": "backend.internal", "v": "v2"}
	for _, bm := range []struct{ name, src string }{
		{name: "literal", src: "https://backend.internal/v2/pets"},
		{name: "references", src: "https://${stageVariables.host}/${stageVariables.v}/pets"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			tmpl, err := ParseTemplate(bm.src)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				tmpl.Expand(vars)
			}
		})
	}
}
