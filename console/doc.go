// Package console is the management side of a gatekit gateway: web pages
// (a live dashboard, the APIs and their stages, API keys and usage
// plans) and the JSON API they use, which scripts can use too, in one
// http.Handler to mount where it is protected.
//
// Mount it behind an authorizer of the gateway, for example:
//
//	h := gateway.Handler(console.Handler(gw))
//	gw.Mount("/console", &gateway.API{Name: "console", Routes: []gateway.Route{
//		{Key: "ANY /", Integration: h, Authorizer: "admin-jwt"}, // the pages
//		{Key: "ANY /{proxy+}", Integration: h, Authorizer: "admin-jwt"},
//	}})
//
// It has no authorization of its own: whoever reaches it manages the
// gateway.
//
// # The JSON API
//
// Every path is relative to where the handler is mounted. Bodies are
// JSON; errors are {"message": "..."} with a 4xx or 5xx status.
//
//	GET    /api/apis                                      the APIs: name, kind, base path, stages, routes and their settings
//	GET    /api/apis/{api}/deployments                    the API's deployments, oldest first
//	POST   /api/apis/{api}/deployments                    deploy the API as it is now: {"description": "..."} → the deployment
//	GET    /api/apis/{api}/stages                         the stages: deployment, variables, canary, throttle, cache (with its hit and miss counts), tracing
//	PUT    /api/apis/{api}/stages/{stage}/deployment      point the stage at a deployment (deploy or roll back): {"deploymentId": "..."}
//	POST   /api/apis/{api}/stages/{stage}/cache/flush     empty the stage's cache
//	GET    /api/apikeys                                   the API keys (never their values)
//	POST   /api/apikeys                                   create a key: {"name": "...", "description": "..."} → the key and its value, shown once
//	PATCH  /api/apikeys/{id}                              enable or disable a key: {"enabled": false}
//	GET    /api/usageplans                                the usage plans, with the ids of their keys
//	POST   /api/usageplans/{plan}/keys                    attach a key: {"keyId": "..."}
//	DELETE /api/usageplans/{plan}/keys/{id}               detach a key
//	GET    /api/usageplans/{plan}/keys/{id}/usage         the key's requests per day (?from=2006-01-02&to=2006-01-02, default the last 7 days) and its quota
//	GET    /api/stats                                     the last hour's statistics per route: {"Enabled": bool, "Routes": [...]}
//
// GET /api/stats returns [gateway.Gateway.Stats] as
//
//	{"Enabled": true, "Routes": [{"API": "pets", "Stage": "prod", "Route": "GET /pets",
//		"Total": {"Start": "…", "Count": 12, "Errors4XX": 1, "Errors5XX": 0, "Throttled": 1,
//			"CacheHits": 8, "CacheMisses": 3, "P50": 0.4, "P90": 1.2, "P99": 3.5},
//		"Minutes": [{"Start": "2006-01-02T15:04:00Z", "Count": 5, …}, …]}]}
//
// with the minutes that had requests, oldest first, and latencies in
// milliseconds. Without [gateway.WithStats] the gateway keeps none:
// Enabled is false and Routes is empty.
//
// # The pages
//
//	GET    /                                              the console: Dashboard, APIs, and Keys & plans views (#/dashboard, #/apis, #/keys)
//	GET    /assets/{file}                                 its scripts, style sheet and icon
//
// The pages are embedded in the package and load nothing from elsewhere:
// plain HTML, CSS and JavaScript modules, with no build step. Their URLs
// are relative, so the console works wherever it is mounted; mounted as
// above, "/console" redirects to "/console/". They are served with
// X-Content-Type-Options: nosniff and the Content-Security-Policy
// "default-src 'self'; frame-ancestors 'none'": no inline script or
// style, nothing from other origins, and no framing by other pages. The
// dashboard polls /api/stats every two seconds while it is shown.
package console
