package console_test

import (
	"log"

	"github.com/gatekit/gatekit/console"
	"github.com/gatekit/gatekit/gateway"
)

// The console's JSON API, mounted on the gateway it manages behind one of
// its authorizers.
func ExampleHandler() {
	gw := gateway.New()
	defer gw.Close()
	// gw.RegisterAuthorizer("admin-jwt", …) first; here, an open route for
	// brevity.
	err := gw.Mount("/console", &gateway.API{Name: "console", Routes: []gateway.Route{
		{Key: "ANY /{proxy+}", Integration: gateway.Handler(console.Handler(gw))},
	}})
	if err != nil {
		log.Fatal(err)
	}
	// GET /console/api/apis, POST /console/api/apikeys, …
	// Output:
}
