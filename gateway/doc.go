// Package gateway turns API definitions into an [http.Handler]: the
// managed API gateway's HTTP and REST APIs, routes, integrations, gateway
// responses and CORS, as plain Go values.
//
// # Building and serving
//
// An [API] is a struct literal: a name, a [Kind], [Route] values that pair
// a route key ("GET /pets/{id}", "ANY /{proxy+}", "$default") with an
// [Integration], and API-wide settings. [New] returns a [Gateway];
// [Gateway.Mount] validates an API, compiles it, and serves it under a base
// path. Every configuration mistake is an error from the call that makes
// it, naming the route or field; nothing fails at request time for a
// reason that could have been caught then. Mounting again redeploys the
// API atomically: requests in flight finish on what they started with.
//
// # Deployments, stages and custom domains
//
// An API runs as immutable deployments served by release stages, as in
// the managed service. [Gateway.AddAPI] registers an API with its default
// endpoint under a base path; [Gateway.Deploy] snapshots it (routes
// validated, integrations bound) into a [Deployment] kept in its history;
// [Gateway.PutStage] points a [Stage] — "alpha", "beta", "prod" — at a
// deployment, with stage variables and optionally a [Canary] that gets a
// share of the stage's requests. Pointing a stage at another deployment
// (a redeploy, or a rollback with [Gateway.SetStageDeployment]) is atomic:
// requests in flight finish on the deployment they started on.
// [Gateway.Mount] does all of this in one call for an API served by its
// "$default" stage.
//
// On the default endpoint a named stage is reached as
// {basePath}/{stage}/…, the "$default" stage at {basePath}/… itself.
// [Gateway.MapDomain] maps a custom domain name and base path —
// "api.example.com/v1", a wildcard "*.example.com", or the whole domain —
// to an API stage, so several API versions live side by side; a request
// for a mapped domain is served only by its mappings.
//
// Stage variables are substituted as ${stageVariables.name} in HTTP proxy
// URLs and in [FunctionNamed] names, reach functions in the payload, and
// handlers through [StageVariables]. A stage that lacks a variable its
// deployment uses is refused when it is configured (see
// [Binding.CheckStage]), not at request time.
//
// # Authorization
//
// Authorizers (package auth: JWT, SigV4, custom authorizers, client
// certificates) are registered on the gateway by name with
// [Gateway.RegisterAuthorizer] and named by routes ([Route.Authorizer]),
// which may also require scopes ([Route.AuthorizationScopes]) and an API
// key ([Route.APIKeyRequired], keys made with [Gateway.APIKeys]). An API
// may have a resource policy that every request must pass. Refusals are
// gateway responses — UNAUTHORIZED (401, with WWW-Authenticate where the
// authorizer gives one), ACCESS_DENIED, INVALID_API_KEY,
// INVALID_SIGNATURE, EXPIRED_TOKEN (403), AUTHORIZER_FAILURE (500) — whose
// bodies never carry the authorizer's detail; the log does. The caller's
// identity reaches function payloads (requestContext.authorizer) and
// handlers ([Identity], [APIKeyID]).
//
// # Request validation
//
// A route may declare models ([Model]: JSON Schema, draft 4 as the
// managed service's when its $schema says so, 2020-12 otherwise) for its
// request and response bodies, and [Parameter] values for its path,
// query-string and header parameters, with types. Its request validator
// ([Route].Validate: BODY, PARAMETERS or BODY_AND_PARAMETERS) checks them
// after authorization and throttling: an invalid request gets 400
// BAD_REQUEST_BODY or BAD_REQUEST_PARAMETERS with a message naming what
// failed ("Invalid request body: /age: minimum: got -1, want 0",
// "Missing required request parameters: [header.X-Tenant]") and never
// reaches the integration. Schemas are compiled when the API is deployed;
// a broken one is a deploy error naming the route.
//
// Together with [Route].OperationName and Summary, these declarations are
// the API's contract: package sdkgen/openapi exports what a stage serves
// ([Gateway.StageDefinition]) as OpenAPI 3.0 and imports OpenAPI
// documents as APIs, and package sdkgen generates client SDKs from it.
//
// # Throttling and usage plans
//
// Every request is checked against the managed service's levels after it
// is authorized, all together, so the most restrictive decides:
//
//   - gateway-wide ([WithGatewayThrottle]; by default 10,000 requests a
//     second, burst 5,000, per gateway instance);
//   - per stage, each route with a bucket of its own ([Stage].Throttle,
//     [Stage].RouteThrottles);
//   - per API key through its usage plan ([Gateway.PutUsagePlan]: a
//     throttle, per-route throttles and a DAY, WEEK or MONTH quota).
//
// A request over a rate gets 429 THROTTLED {"message":"Too Many
// Requests"}, over its quota 429 QUOTA_EXCEEDED {"message":"Limit
// Exceeded"}, both with Retry-After and the IETF draft's RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset; admitted requests of a key on a
// plan get the RateLimit headers too. A key on no plan of a stage that
// has plans gets 403. Keys are attached and detached while the gateway
// serves ([Gateway.AttachKey], [Gateway.DetachKey]); usage is read per day
// ([Gateway.GetUsage]) and quotas adjusted ([Gateway.AdjustQuota]).
//
// Authorization runs first so that requests without valid credentials
// never spend the buckets and quotas of legitimate callers.
//
// Limits live in a throttle.Store: in memory by default; several gateway
// instances given one shared store ([WithThrottleStore] with package
// throttle/redisstore) and one key store ([WithKeyStore]) enforce stage,
// route and plan limits together, exactly, and see each other's keys and
// plan attachments. A store that cannot answer gives 503, unless it
// answers from a local fallback itself (redisstore's FailOpen).
//
// # Response caching
//
// A stage with a [StageCache] keeps its GET routes' responses and serves
// them again without calling the integration, for a TTL (300 s by
// default, at most an hour), in a bytes-bounded in-memory LRU or in a
// shared store (package cache/rediscache, optionally encrypted at rest).
// A route tunes it with [RouteCache]: key parameters (query strings and
// headers), its own TTL, opting out, or opting in other methods.
//
// The key is the deployment (or the stage's cache Version), canary or not,
// the method, the route, every path parameter, the declared key
// parameters — and, beyond the managed service, on a route with an
// authorizer or an API key, the caller, unless the route declares its
// response Shared. Only 2xx responses are kept, and none with
// Cache-Control no-store, no-cache or private, or with Set-Cookie, or
// larger than the stage's MaxEntryBytes (1 MB). Concurrent misses for one
// key make one integration call. Responses carry X-Cache: Hit or Miss,
// and hits an Age.
//
// A client sends Cache-Control: max-age=0 to refresh an entry; unlike the
// managed service this needs authorization by default: an identity that
// grants [InvalidateCachePermission] (a token scope, or a true value in a
// custom authorizer's context). [CacheInvalidation] says what others get:
// 403, or the cached response with or without a Warning header.
// [Gateway.FlushStageCache] empties a stage's cache; [Gateway.CacheStats]
// counts hits, misses and store errors. A store error is a miss, never a
// failed request.
//
// # Metrics, traces and access logs
//
// The gateway records OpenTelemetry metrics through the MeterProvider of
// [WithMeterProvider] (by default the global one), named like the managed
// service's under "gatekit.": Count, Latency and IntegrationLatency (ms),
// 4XXError, 5XXError, CacheHitCount, CacheMissCount, ThrottleCount and
// QuotaExceededCount, with the attributes ApiName, Stage, Resource (the
// route key, never the raw path) and Method; and the semantic
// conventions' http.server.request.duration, so standard HTTP dashboards
// work. Only the OpenTelemetry API is used: install an SDK to export.
//
// For a dashboard without a metrics backend, [WithStats] keeps the last
// hour in memory, per API, stage and route key and per minute: counts,
// 4xx and 5xx errors, throttled requests, cache hits and misses, and
// latency percentiles (P50, P90, P99) from a log-bucketed histogram;
// [Gateway.Stats] returns them (package console shows them). A route
// costs about 14 KB while it has requests in the last hour, and
// recording adds two clock reads and one short per-route lock to a
// request, no allocation. Without WithStats nothing is kept or paid.
//
// A stage with [Tracing] enabled makes a server span per request (named
// "GET /pets/{id}", continuing the trace of an incoming traceparent), with
// child spans for the authorizer, the throttle check, the cache lookup and
// the integration; the trace context reaches function integrations in
// their context and HTTP backends in traceparent ([WithTracerProvider],
// [WithPropagator]). Tracing.SampleRate samples per stage.
//
// A stage's [AccessLog] writes a line per request through a slog.Logger:
// a Format with the managed service's $context variables
// ($context.requestId, $context.identity.sourceIp, $context.status,
// $context.routeKey, $context.responseLatency,
// $context.authorizer.claims.sub, …), or, without one, a structured
// record. An unknown variable is an error when the stage is configured.
//
// A stage's [ExecutionLog] (OFF, ERROR or INFO) logs, for debugging, one
// record per request with what the gateway did — which authorizer decided
// what, the API key, throttle and cache outcomes, the integration's status
// and latency, the error and its cause — with credentials masked.
//
// # Routing
//
// The most specific route wins whatever the registration order: compared
// segment by segment from the left, a literal segment beats {param}, which
// beats {proxy+}; at the same path a method beats ANY. A request that
// matches no route gets 404 {"message":"Not Found"} from an HTTP API and 403
// {"message":"Missing Authentication Token"} from a REST API, as from the
// managed service.
//
// # Paths
//
// The gateway computes one canonical path per request and uses it for
// routing, for everything that later keys on the path, and for what the
// integration receives. Percent-encoded unreserved characters are decoded
// ("%2e" is "."); dot segments are resolved ("/a/%2e%2e/b" is "/b"); runs of
// slashes collapse ("//admin" is "/admin"); an encoded slash ("%2F") is
// data inside a segment, never a separator, and stays encoded when
// forwarded. A trailing slash is kept but ignored by routing, except by a
// greedy {proxy+} value. So "/public/%2e%2e/admin" and "//admin" are
// served by the route for "/admin" with that route's checks. A segment
// that a backend could read as a dot segment — "..%2Fadmin", "..%5C",
// "..;" — gets 400 BAD_REQUEST_PARAMETERS, so it can reach neither a
// route nor a backend. Invalid escapes and encoded control bytes get 400
// too.
//
// # Integrations
//
//   - [Function]: an in-process Go function taking the managed service's
//     proxy payload (aws-lambda-go events, payload 2.0 or 1.0), so existing
//     Lambda handlers run unchanged; [Lambda] takes a raw-JSON handler.
//   - [Handler]: an existing http.Handler, which reads the request context
//     with [PathParam] (or r.PathValue), [RequestID], [StageName],
//     [StageVariables], [IsCanary], [RouteKey] and [SourceIP].
//   - [FunctionNamed]: a function registered on the gateway by name, the
//     name possibly taken from a stage variable.
//   - [HTTPProxy]: a streaming reverse proxy to a URL template.
//   - [Mock]: a fixed response.
//
// Any type with a Bind method is an integration too.
//
// # Gateway responses
//
// Every refusal the gateway makes is an [Error] of a [ResponseType] with
// the managed service's name and default status, answered with a small
// JSON body {"message":"..."}; [API.Responses] overrides the status,
// headers and body per type, with DEFAULT_4XX and DEFAULT_5XX as
// fallbacks. Every response carries X-Request-Id.
//
// # Limits
//
// Request bodies over [API.MaxBodyBytes] (10 MB by default) get 413
// without being read. Function and HTTP proxy integrations time out after
// the route's Timeout (29 s by default) with 504.
//
// # Testing
//
// Package gatewaytest sends requests to a Gateway without a socket, swaps
// integrations for recorders, and fakes the clock.
package gateway
