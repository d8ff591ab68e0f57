package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/internal/route"
)

// Kind is the kind of an API, as in the managed service.
type Kind int

const (
	// HTTP is the lean, fast kind (the zero value). Function integrations
	// may use payload 2.0 or 1.0; an unmatched request gets 404
	// {"message":"Not Found"}.
	HTTP Kind = iota
	// REST is the kind that carries the management features (API keys,
	// usage plans, caching). Function integrations use payload 1.0; an
	// unmatched request gets 403 {"message":"Missing Authentication Token"}.
	REST
)

// String returns "HTTP" or "REST".
func (k Kind) String() string {
	switch k {
	case HTTP:
		return "HTTP"
	case REST:
		return "REST"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Defaults for API settings left zero.
const (
	DefaultMaxBodyBytes = 10 << 20
	DefaultTimeout      = 29 * time.Second
)

// API is an HTTP or REST API: a set of routes with their integrations and
// API-wide settings. It is a plain value: build it as a struct literal and
// hand it to [Gateway.Mount], which validates and compiles it. The zero
// value is an HTTP API with no routes.
type API struct {
	// Name identifies the API in errors, logs and function payloads (as the
	// apiId). If empty, "api".
	Name string
	// Kind is HTTP (the default) or REST.
	Kind Kind
	// Version is the API's version ("1.0") in exported contracts and
	// generated SDKs. If empty, an export's version is the time its
	// deployment was made, as the managed service writes it.
	Version string
	// Description describes the API in exported contracts and SDKs.
	Description string
	// Routes are the API's routes. Their order does not matter: the most
	// specific route key matching a request wins.
	Routes []Route
	// CORS, if non-nil, makes the gateway answer CORS preflight requests
	// and add CORS headers to every response, its own errors included.
	CORS *CORS
	// Responses overrides gateway responses by type.
	Responses map[ResponseType]Response
	// MaxBodyBytes limits request bodies; a larger body gets 413
	// REQUEST_TOO_LARGE without being read. If zero, DefaultMaxBodyBytes
	// (10 MB); if negative, no limit.
	MaxBodyBytes int64
	// Timeout is the integration timeout of routes that set none. If zero,
	// DefaultTimeout (29 s).
	Timeout time.Duration
	// DisableDefaultEndpoint stops the API's stages from being served under
	// its base path; only custom domain mappings reach them.
	DisableDefaultEndpoint bool
	// ResourcePolicy, if non-nil, must allow every request to the API
	// (for example only from some source IP ranges), in addition to the
	// route's authorizer; a request it does not allow gets 403.
	ResourcePolicy *auth.ResourcePolicy
}

// Route connects a route key to an integration.
type Route struct {
	// Key is the route key: a method and a path template such as
	// "GET /pets/{id}" or "ANY /files/{proxy+}", or "$default", which
	// matches every request no other route matches. Methods are GET, POST,
	// PUT, DELETE, PATCH, HEAD, OPTIONS and ANY.
	Key string
	// OperationName names the route's operation in exported contracts
	// (the OpenAPI operationId) and generated SDKs (the method's name),
	// as the managed service's operation names do: "getPet". If empty,
	// one is made from the route key ("GET /pets/{id}" is getPetsById).
	OperationName string
	// Summary describes the route in exported contracts and SDKs.
	Summary string
	// Integration serves the route's requests. Required.
	Integration Integration
	// Timeout bounds the integration. If zero, the API's timeout. A
	// function or HTTP proxy integration that runs longer answers 504
	// INTEGRATION_TIMEOUT; a Handler integration sees it as its context's
	// deadline only when set here or on the API explicitly.
	Timeout time.Duration
	// Authorizer names an authorizer registered with
	// [Gateway.RegisterAuthorizer]; it runs before the integration. If
	// empty, the route is open.
	Authorizer string
	// AuthorizationScopes, if set, require the caller's token to grant at
	// least one of them (a JWT's "scope" or "scp"); a valid token without
	// one gets 403.
	AuthorizationScopes []string
	// APIKeyRequired makes the route answer 403 {"message":"Forbidden"}
	// unless the request carries an enabled API key (see
	// [Gateway.APIKeys]) in its x-api-key header, or its custom authorizer
	// chose one.
	APIKeyRequired bool
	// Cache tunes caching of the route's responses on stages that cache
	// (see [StageCache]): key parameters, TTL, and opting out or in. If
	// nil, the stage's settings apply: GET responses are cached.
	Cache *RouteCache
	// RequestModel is the JSON Schema of the request body, checked when
	// Validate says so.
	RequestModel *Model
	// ResponseModel documents the response body; it is not checked.
	ResponseModel *Model
	// RequestParameters are the path, query-string and header parameters
	// the route declares, checked when Validate says so.
	RequestParameters []Parameter
	// Validate is the route's request validator: an invalid request gets
	// 400 BAD_REQUEST_BODY or BAD_REQUEST_PARAMETERS, with a message
	// naming what failed, and never reaches the integration.
	Validate Validation
}

// deployment is a compiled, immutable API: what requests run on.
type deployment struct {
	gw        *Gateway
	id        string // its id in the API's history
	name      string
	kind      Kind
	table     route.Table[*boundRoute]
	responses *responseSet
	cors      *corsPolicy
	policy    *auth.ResourcePolicy
	maxBody   int64
	checks    []stageCheck    // run when a stage is pointed at the deployment
	routes    map[string]bool // the route keys, canonical
	def       API             // the definition it was compiled from
}

// stageCheck is a check an integration registered with Binding.CheckStage.
type stageCheck struct {
	route string
	check func(vars map[string]string) error
}

// checkStage runs the deployment's stage checks against vars.
func (d *deployment) checkStage(vars map[string]string) error {
	var errs []error
	for _, c := range d.checks {
		if err := c.check(vars); err != nil {
			errs = append(errs, fmt.Errorf("route %q: %w", c.route, err))
		}
	}
	return errors.Join(errs...)
}

// boundRoute is a route with its integration bound.
type boundRoute struct {
	key      string // "GET /pets/{id}"
	resource string // "/pets/{id}", or "$default"
	handler  http.Handler

	authz       auth.Authorizer // nil for an open route
	authzName   string          // its name, for logs
	scopes      []string
	keyRequired bool
	cache       *routeCache   // nil: the stage's cache settings
	valid       *validator    // nil: no request validation
	timeout     time.Duration // the integration's
}

func (d *deployment) notFound() *Error {
	if d.kind == REST {
		return &Error{Type: MissingAuthenticationToken, Err: ErrNoRoute}
	}
	return &Error{Type: ResourceNotFound, Err: ErrNoRoute}
}

// compile validates api and binds its integrations. All problems are
// reported together. g.mu must be held.
func (g *Gateway) compile(api *API) (*deployment, error) {
	if api == nil {
		return nil, errors.New("gateway: nil API")
	}
	d := &deployment{gw: g, name: api.Name, kind: api.Kind, maxBody: api.MaxBodyBytes, routes: map[string]bool{}, def: *api}
	d.def.Routes = slices.Clone(api.Routes)
	if d.name == "" {
		d.name = "api"
	}
	var errs []error
	if api.Kind != HTTP && api.Kind != REST {
		errs = append(errs, fmt.Errorf("gateway: API %q: unknown Kind %d", d.name, int(api.Kind)))
	}
	switch {
	case d.maxBody == 0:
		d.maxBody = DefaultMaxBodyBytes
	case d.maxBody < 0:
		d.maxBody = 0
	}
	apiTimeout := api.Timeout
	if apiTimeout < 0 {
		errs = append(errs, fmt.Errorf("gateway: API %q: negative Timeout", d.name))
	}
	var err error
	if d.responses, err = compileResponses(api.Responses); err != nil {
		errs = append(errs, fmt.Errorf("API %q: %w", d.name, err))
	}
	if api.ResourcePolicy != nil {
		if err := api.ResourcePolicy.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("gateway: API %q: ResourcePolicy: %w", d.name, err))
		}
		d.policy = api.ResourcePolicy
	}
	if d.cors, err = api.CORS.compile(); err != nil {
		errs = append(errs, fmt.Errorf("gateway: API %q: CORS: %w", d.name, err))
	}
	fns := g.functionsLocked()
	for i, rt := range api.Routes {
		key, err := route.ParseKey(rt.Key)
		if err != nil {
			errs = append(errs, fmt.Errorf("gateway: API %q: Routes[%d]: %w", d.name, i, err))
			continue
		}
		br, err := g.bindRoute(d, key, &rt, apiTimeout, fns)
		if err != nil {
			errs = append(errs, fmt.Errorf("gateway: API %q: route %q: %w", d.name, key.String(), err))
			continue
		}
		if err := d.table.Add(key, br); err != nil {
			errs = append(errs, fmt.Errorf("gateway: API %q: %w", d.name, err))
			continue
		}
		d.routes[br.key] = true
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

func (g *Gateway) bindRoute(d *deployment, key route.Key, rt *Route, apiTimeout time.Duration, fns map[string]Integration) (*boundRoute, error) {
	if rt.Integration == nil {
		return nil, errors.New("no Integration")
	}
	if rt.Timeout < 0 {
		return nil, errors.New("negative Timeout")
	}
	var authz auth.Authorizer
	if rt.Authorizer != "" {
		if authz = g.authorizers[rt.Authorizer]; authz == nil {
			return nil, fmt.Errorf("no authorizer %q is registered", rt.Authorizer)
		}
	} else if len(rt.AuthorizationScopes) > 0 {
		return nil, errors.New("AuthorizationScopes need an Authorizer")
	}
	b := &Binding{
		API:       d.name,
		Kind:      d.kind,
		RouteKey:  key.String(),
		Params:    key.Params(),
		Timeout:   rt.Timeout,
		Logger:    g.cfg.logger,
		Transport: g.cfg.transport,
		functions: fns,
	}
	if b.Timeout == 0 {
		b.Timeout = apiTimeout
	}
	b.explicitTimeout = b.Timeout != 0
	if b.Timeout == 0 {
		b.Timeout = DefaultTimeout
	}
	rc, err := compileRouteCache(rt.Cache, b.Params)
	if err != nil {
		return nil, err
	}
	valid, err := compileValidator(rt, b.Params)
	if err != nil {
		return nil, err
	}
	h, err := rt.Integration.Bind(b)
	if err != nil {
		return nil, err
	}
	if h == nil {
		return nil, errors.New("integration bound to a nil handler")
	}
	for _, c := range b.checks {
		d.checks = append(d.checks, stageCheck{route: b.RouteKey, check: c})
	}
	resource := key.Path
	if key.IsDefault() {
		resource = "$default"
	}
	return &boundRoute{
		key: b.RouteKey, resource: resource, handler: h,
		authz: authz, authzName: rt.Authorizer, scopes: slices.Clone(rt.AuthorizationScopes), keyRequired: rt.APIKeyRequired,
		cache: rc, valid: valid, timeout: b.Timeout,
	}, nil
}

// Binding is what an integration learns about the route it serves when the
// API is mounted.
type Binding struct {
	// API is the API's name.
	API string
	// Kind is the API's kind.
	Kind Kind
	// RouteKey is the route's key in canonical form ("GET /pets/{id}").
	RouteKey string
	// Params are the names of the route's path parameters, in order.
	Params []string
	// Timeout is the route's integration timeout (never zero).
	Timeout time.Duration
	// Logger is the gateway's logger.
	Logger *slog.Logger
	// Transport is the gateway's RoundTripper for HTTP backends.
	Transport http.RoundTripper

	explicitTimeout bool                                 // Timeout was set on the route or API
	checks          []func(vars map[string]string) error // see CheckStage
	functions       map[string]Integration               // the gateway's named functions
}

// CheckStage registers a check that the gateway runs whenever a stage, or
// a stage's canary, is pointed at the deployment being built, with the
// variables that stage would serve it with. An error makes that stage
// change fail, naming the route: an integration that uses
// ${stageVariables.name} reports here a variable the stage lacks, so the
// mistake shows when the stage is configured, never at request time.
func (b *Binding) CheckStage(check func(vars map[string]string) error) {
	b.checks = append(b.checks, check)
}
