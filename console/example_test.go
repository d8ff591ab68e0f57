package console_test

import (
	"log"

	"github.com/gatekit/gatekit/console"
	"github.com/gatekit/gatekit/gateway"
)

// The console, mounted on the gateway it manages, behind one of its
// authorizers.
func ExampleHandler() {
	gw := gateway.New()
	defer gw.Close()
	// gw.RegisterAuthorizer("admin-jwt", …) first; here, open routes for
	// brevity.
	c := gateway.Handler(console.Handler(gw))
	err := gw.Mount("/console", &gateway.API{Name: "console", Routes: []gateway.Route{
		{Key: "ANY /", Integration: c},         // the pages, at /console/
		{Key: "ANY /{proxy+}", Integration: c}, // their assets, and the JSON API
	}})
	if err != nil {
		log.Fatal(err)
	}
	// GET /console/ (the pages), GET /console/api/apis, POST /console/api/apikeys, …
	// Output:
}
