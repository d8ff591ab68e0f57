package gateway

import (
	"fmt"
	"testing"
)

// resolveGateway has three APIs with stages, a canary, and custom domains.
func resolveGateway(tb testing.TB) *Gateway {
	tb.Helper()
	g := New()
	for i, base := range []string{"/", "/v1", "/v1/admin"} {
		name := fmt.Sprintf("api%d", i)
		api := &API{Name: name, Routes: []Route{{Key: "GET /pets/{id}", Integration: &Mock{}}}}
		if err := g.AddAPI(base, api); err != nil {
			tb.Fatal(err)
		}
		d, err := g.Deploy(name, "")
		if err != nil {
			tb.Fatal(err)
		}
		for _, st := range []string{"$default", "prod", "beta"} {
			cfg := Stage{Name: st, DeploymentID: d.ID, Variables: map[string]string{"a": "b"}}
			if st == "beta" {
				cfg.Canary = &Canary{DeploymentID: d.ID, Percent: 10, Variables: map[string]string{"a": "c"}}
			}
			if err := g.PutStage(name, cfg); err != nil {
				tb.Fatal(err)
			}
		}
		for j := range 5 {
			m := DomainMapping{Domain: fmt.Sprintf("api%d.example%d.com", i, j), BasePath: "v1", API: name, Stage: "prod"}
			if err := g.MapDomain(m); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := g.MapDomain(DomainMapping{Domain: "*.tenants.example.com", API: "api0", Stage: "beta"}); err != nil {
		tb.Fatal(err)
	}
	return g
}

var resolveCases = []struct{ name, host, path, stage string }{
	{"default stage at root", "localhost:8080", "/pets/1", "$default"},
	{"named stage", "localhost", "/prod/pets/1", "prod"},
	{"nested base path", "localhost", "/v1/admin/beta/pets/1", "beta"},
	{"custom domain", "API1.example3.com:443", "/v1/pets/1", "prod"},
	{"wildcard domain", "acme.tenants.example.com", "/pets/1", "beta"},
}

func TestResolve(t *testing.T) {
	g := resolveGateway(t)
	for _, c := range resolveCases {
		t.Run(c.name, func(t *testing.T) {
			tbl := g.table.Load()
			se, rest := tbl.resolve(c.host, c.path)
			if se == nil || se.name != c.stage || rest != "/pets/1" {
				t.Fatalf("resolve = %v, %q", se, rest)
			}
			allocs := testing.AllocsPerRun(100, func() {
				se, _ := tbl.resolve(c.host, c.path)
				se.pick()
			})
			if allocs != 0 {
				t.Errorf("%v allocations", allocs)
			}
		})
	}
}

// BenchmarkResolve measures what stages and domains add to a request:
// finding the stage for a host and path, loading its state, and picking
// the deployment (canary or not).
func BenchmarkResolve(b *testing.B) {
	g := resolveGateway(b)
	for _, c := range resolveCases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				se, _ := g.table.Load().resolve(c.host, c.path)
				se.pick()
			}
		})
	}
}
