package stage_test

import (
	"fmt"
	"time"

	"github.com/gatekit/gatekit/stage"
)

// api stands for what a gateway deploys: a compiled API.
type api struct{ version string }

func ExampleStage() {
	var history stage.History[api]
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	v1 := history.Add(api{"1.0"}, "first release", now)
	v2 := history.Add(api{"2.0"}, "new pets endpoint", now.Add(time.Hour))

	vars := stage.Variables{"backend": "pets-v1.internal"}
	st1, err := stage.NewState(v1, vars, nil)
	if err != nil {
		panic(err)
	}
	prod, err := stage.New("prod", st1)
	if err != nil {
		panic(err)
	}
	serve := func() {
		d, vars, _ := prod.Load().Pick(0.5)
		fmt.Printf("%s serves %s (%s) with backend=%s\n", prod.Name(), d.Value.version, d.Description, vars["backend"])
	}
	serve()

	// Deploy 2.0: one atomic switch.
	st2, err := stage.NewState(v2, stage.Variables{"backend": "pets-v2.internal"}, nil)
	if err != nil {
		panic(err)
	}
	inFlight := prod.Load()
	prod.Store(st2)
	serve()
	fmt.Println("a request that started before the switch still has", inFlight.Deployment.Value.version)

	// Roll back: serve the first deployment again, found in the history.
	first := history.List()[0]
	back, err := stage.NewState(first, vars, nil)
	if err != nil {
		panic(err)
	}
	prod.Store(back)
	serve()
	// Output:
	// prod serves 1.0 (first release) with backend=pets-v1.internal
	// prod serves 2.0 (new pets endpoint) with backend=pets-v2.internal
	// a request that started before the switch still has 1.0
	// prod serves 1.0 (first release) with backend=pets-v1.internal
}

func ExampleDomains() {
	var domains stage.Domains[string]
	for _, m := range []struct{ domain, basePath, target string }{
		{"api.example.com", "", "site API, prod"},
		{"api.example.com", "v1", "pets API v1, prod"},
		{"api.example.com", "v1/admin", "admin API, prod"},
		{"*.example.com", "", "tenant API, prod"},
	} {
		if err := domains.Add(m.domain, m.basePath, m.target); err != nil {
			panic(err)
		}
	}
	for _, r := range []struct{ host, path string }{
		{"api.example.com", "/v1/pets/1"},
		{"API.Example.com:8443", "/v1/admin/users"},
		{"api.example.com", "/v10/pets"},
		{"acme.example.com", "/orders"},
		{"a.b.example.com", "/orders"},
	} {
		target, rest, ok := domains.Lookup(r.host, r.path)
		if !ok {
			fmt.Printf("%s%s: no mapping\n", r.host, r.path)
			continue
		}
		fmt.Printf("%s%s: %s, path %s\n", r.host, r.path, target, rest)
	}
	// Output:
	// api.example.com/v1/pets/1: pets API v1, prod, path /pets/1
	// API.Example.com:8443/v1/admin/users: admin API, prod, path /users
	// api.example.com/v10/pets: site API, prod, path /v10/pets
	// acme.example.com/orders: tenant API, prod, path /orders
	// a.b.example.com/orders: no mapping
}

func ExampleTemplate() {
	tmpl, err := stage.ParseTemplate("https://${stageVariables.host}/${stageVariables.version}/pets")
	if err != nil {
		panic(err)
	}
	fmt.Println(tmpl.Names())

	vars := stage.Variables{"host": "pets.internal"}
	if missing := tmpl.Missing(vars); missing != nil {
		fmt.Println("missing:", missing)
	}
	vars["version"] = "v2"
	fmt.Println(tmpl.Expand(vars))

	_, err = stage.ParseTemplate("https://${stageVariables.host/pets")
	fmt.Println(err)
	// Output:
	// [host version]
	// missing: [version]
	// https://pets.internal/v2/pets
	// stage: template "https://${stageVariables.host/pets": offset 8: unclosed "${"
}
