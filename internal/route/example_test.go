package route_test

import (
	"fmt"

	"github.com/gatekit/gatekit/internal/route"
)

func ExampleTable() {
	var t route.Table[string]
	for _, s := range []string{
		"GET /pets",
		"GET /pets/{id}",
		"POST /pets/{petId}",
		"ANY /files/{proxy+}",
		"$default",
	} {
		k, err := route.ParseKey(s)
		if err != nil {
			panic(err)
		}
		if err := t.Add(k, s); err != nil {
			panic(err)
		}
	}

	var p route.Params
	for _, req := range [][2]string{
		{"GET", "/pets/"},
		{"GET", "/pets/7"},
		{"POST", "/pets/7"},
		{"PUT", "/files/a/b%2Fc"},
		{"DELETE", "/pets/7"},
	} {
		v, _ := t.Match(req[0], req[1], &p)
		fmt.Printf("%s %s -> %s", req[0], req[1], v)
		for i := range p.Len() {
			fmt.Printf(" %s=%s", p.Name(i), p.Value(i))
		}
		fmt.Println()
	}
	// Output:
	// GET /pets/ -> GET /pets
	// GET /pets/7 -> GET /pets/{id} id=7
	// POST /pets/7 -> POST /pets/{petId} petId=7
	// PUT /files/a/b%2Fc -> ANY /files/{proxy+} proxy=a/b%2Fc
	// DELETE /pets/7 -> $default
}

func ExampleParseKey() {
	_, err := route.ParseKey("GET /a/{id")
	fmt.Println(err)
	k, _ := route.ParseKey("GET /pets/{id}/{proxy+}")
	fmt.Println(k.Method, k.Path, k.Params())
	// Output:
	// route: "GET /a/{id": unclosed "{"
	// GET /pets/{id}/{proxy+} [id proxy]
}
