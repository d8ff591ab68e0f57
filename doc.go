// Package gatekit is an embeddable library for building API gateways in
// Go: the features of a managed API gateway (HTTP and REST APIs, routes,
// integrations, gateway responses, CORS, deployments and stages, canary
// releases, custom domains, authorizers and API keys, usage plans and
// throttling, response caching, WebSocket APIs, monitoring, request
// validation, OpenAPI import and export, and client SDK generation) as Go
// values that serve as a plain http.Handler.
//
// # Packages
//
//   - gateway: the Gateway (an http.Handler), APIs, routes, integrations,
//     deployments, stages, custom domains, gateway responses and CORS.
//     Start here.
//   - gateway/gatewaytest: in-process testing without a socket: a client,
//     a recording integration, a fake clock.
//   - auth: authorizers (JWT, SigV4, custom authorizers as Go functions,
//     client certificates), policies and API keys.
//   - stage: the generic parts of stages (deployment history, atomic
//     switch-over, canary split, stage variables, domain mappings).
//   - throttle, throttle/redisstore: rate limits, quotas and usage plans,
//     in memory or shared on Redis.
//   - cache, cache/rediscache: response caching, in memory or on Redis.
//   - ws, ws/redisws: WebSocket APIs and the connections API, across
//     instances on Redis.
//   - console: a management console with a live dashboard.
//   - sdkgen/openapi: OpenAPI 3.0 export of a stage, and import of OpenAPI
//     3.0 and Swagger 2.0 documents with the managed service's extensions.
//   - sdkgen: client SDKs in JavaScript, Java, Android Java, Swift,
//     Objective-C, Ruby, Python and Go (and cmd/gatekit-sdkgen).
//   - examples/petstore: a runnable gateway that shows every integration.
//
// # Quick start
//
// Build an API, mount it, serve it:
//
//	gw := gateway.New()
//	err := gw.Mount("/", &gateway.API{
//		Name: "pets",
//		Routes: []gateway.Route{
//			{Key: "GET /pets/{id}", Integration: gateway.Function(getPet)},
//			{Key: "ANY /legacy/{proxy+}", Integration: &gateway.HTTPProxy{URL: "http://127.0.0.1:9000/{proxy}"}},
//			{Key: "GET /health", Integration: &gateway.Mock{Body: "ok"}},
//		},
//	})
//	if err != nil {
//		log.Fatal(err) // names the route that is wrong
//	}
//	log.Fatal(http.ListenAndServe("127.0.0.1:8080", gw))
//
// where getPet is an ordinary Lambda handler:
//
//	func getPet(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)
//
// The package example below runs this without a socket.
package gatekit
