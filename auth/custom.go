package auth

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Custom is a custom authorizer — the managed service's Lambda
// authorizer — written as a Go function with the service's own payload
// types, so existing Lambda authorizers run unchanged. Set exactly one of
// Token, Request and Simple.
//
// Results are cached per identity-source values. A cached policy is
// evaluated again against each request's own resource, so a decision made
// for one route is never replayed on another.
type Custom struct {
	// Token is a TOKEN authorizer: it gets the one identity source (a
	// header) as the authorization token and answers with a policy.
	Token func(context.Context, events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error)
	// Request is a REQUEST authorizer: it gets the request's headers,
	// query string, path parameters and stage variables and answers with
	// a policy.
	Request func(context.Context, events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error)
	// Simple is an HTTP API authorizer with the simple response
	// (isAuthorized and a context), payload 2.0.
	Simple func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error)

	// IdentitySources name the values the authorizer needs:
	// "$request.header.NAME", "$request.querystring.NAME",
	// "$stageVariables.NAME" or "$context.NAME" (sourceIp, routeKey,
	// stage, httpMethod, path). A request without one of them gets 401
	// without the function being called. If empty,
	// "$request.header.Authorization". A Token authorizer has exactly one,
	// a header.
	IdentitySources []string
	// ValidationExpression, for a Token authorizer, is a regular
	// expression the token must match; one that does not gets 401 without
	// the function being called.
	ValidationExpression string
	// ResultTTL is how long a result is cached. If zero, 300 s; negative
	// disables the cache; at most one hour.
	ResultTTL time.Duration
	// CacheSize bounds the result cache. If zero, 10,000 entries.
	CacheSize int
	// Clock tells the time for cache expiry. If nil, time.Now.
	Clock func() time.Time

	once     sync.Once
	compiled *customCompiled
	err      error
}

// customCompiled is a validated Custom.
type customCompiled struct {
	sources []identitySource
	valid   *regexp.Regexp
	ttl     time.Duration
	cache   *lru.Cache[string, customResult]
	now     func() time.Time
}

// identitySource is a parsed IdentitySources entry.
type identitySource struct {
	kind, name string // kind: header, querystring, stageVariables, context
}

// customResult is a cached answer of the function.
type customResult struct {
	expires  time.Time
	policy   *Policy // nil for a simple answer
	allowed  bool    // a simple answer
	identity *Identity
}

var _ Authorizer = (*Custom)(nil)

// Validate reports configuration mistakes, naming the field. The gateway
// calls it when the authorizer is registered.
func (c *Custom) Validate() error {
	_, err := c.compile()
	return err
}

func (c *Custom) compile() (*customCompiled, error) {
	c.once.Do(func() { c.compiled, c.err = c.build() })
	return c.compiled, c.err
}

func (c *Custom) build() (*customCompiled, error) {
	var errs []error
	n := 0
	for _, set := range []bool{c.Token != nil, c.Request != nil, c.Simple != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		errs = append(errs, errors.New("auth: Custom: set exactly one of Token, Request and Simple"))
	}
	cc := &customCompiled{ttl: c.ResultTTL, now: c.Clock}
	if cc.now == nil {
		cc.now = time.Now
	}
	switch {
	case cc.ttl == 0:
		cc.ttl = 300 * time.Second
	case cc.ttl > time.Hour:
		errs = append(errs, fmt.Errorf("auth: Custom: ResultTTL %v is over one hour", c.ResultTTL))
	}
	sources := c.IdentitySources
	if len(sources) == 0 {
		sources = []string{"$request.header.Authorization"}
	}
	for _, s := range sources {
		src, err := parseIdentitySource(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cc.sources = append(cc.sources, src)
	}
	if c.Token != nil && (len(cc.sources) != 1 || cc.sources[0].kind != "header") {
		errs = append(errs, errors.New("auth: Custom: a Token authorizer has exactly one identity source, a header"))
	}
	if c.ValidationExpression != "" {
		if c.Token == nil {
			errs = append(errs, errors.New("auth: Custom: ValidationExpression is for Token authorizers"))
		}
		re, err := regexp.Compile(c.ValidationExpression)
		if err != nil {
			errs = append(errs, fmt.Errorf("auth: Custom: ValidationExpression: %w", err))
		}
		cc.valid = re
	}
	if cc.ttl > 0 {
		size := c.CacheSize
		if size == 0 {
			size = 10000
		}
		cache, err := lru.New[string, customResult](size)
		if err != nil {
			errs = append(errs, fmt.Errorf("auth: Custom: CacheSize: %w", err))
		}
		cc.cache = cache
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cc, nil
}

var contextSources = map[string]bool{"sourceIp": true, "routeKey": true, "stage": true, "httpMethod": true, "path": true}

func parseIdentitySource(s string) (identitySource, error) {
	for _, prefix := range []string{"$request.header.", "$request.querystring.", "$stageVariables.", "$context."} {
		name, ok := strings.CutPrefix(s, prefix)
		if !ok {
			continue
		}
		kind := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(prefix, "$"), "request."), ".")
		if name == "" || (kind == "context" && !contextSources[name]) {
			break
		}
		if kind == "header" {
			name = canonicalHeader(name)
		}
		return identitySource{kind: kind, name: name}, nil
	}
	return identitySource{}, fmt.Errorf("auth: Custom: identity source %q is not $request.header.NAME, $request.querystring.NAME, $stageVariables.NAME or $context.{sourceIp,routeKey,stage,httpMethod,path}", s)
}

func canonicalHeader(name string) string {
	b := []byte(strings.ToLower(name))
	upper := true
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		upper = c == '-'
	}
	return string(b)
}

// value returns the identity source's value in r, or "".
func (s identitySource) value(r *Request) string {
	switch s.kind {
	case "header":
		return r.HTTP.Header.Get(s.name)
	case "querystring":
		return r.HTTP.URL.Query().Get(s.name)
	case "stageVariables":
		return r.StageVariables[s.name]
	}
	switch s.name {
	case "sourceIp":
		return r.SourceIP
	case "routeKey":
		return r.RouteKey
	case "stage":
		return r.Stage
	case "httpMethod":
		return r.Method
	}
	return r.Path
}

// Authorize runs the function, or uses its cached result for the same
// identity-source values.
func (c *Custom) Authorize(ctx context.Context, r *Request) (*Identity, error) {
	cc, err := c.compile()
	if err != nil {
		return nil, err
	}
	values := make([]string, len(cc.sources))
	for i, s := range cc.sources {
		if values[i] = s.value(r); values[i] == "" {
			return nil, fmt.Errorf("%w: identity source %s.%s is missing", ErrUnauthorized, s.kind, s.name)
		}
	}
	if cc.valid != nil && !cc.valid.MatchString(values[0]) {
		return nil, fmt.Errorf("%w: token does not match the validation expression", ErrUnauthorized)
	}
	key := strings.Join(values, "\x00")
	now := cc.now()
	res, ok := customResult{}, false
	if cc.cache != nil {
		if res, ok = cc.cache.Get(key); ok && !now.Before(res.expires) {
			ok = false
		}
	}
	if !ok {
		if res, err = c.call(ctx, r, values); err != nil {
			return nil, err
		}
		if cc.cache != nil {
			res.expires = now.Add(cc.ttl)
			cc.cache.Add(key, res)
		}
	}
	return res.decide(r)
}

// decide applies a result to the request it is used for.
func (res customResult) decide(r *Request) (*Identity, error) {
	if res.policy == nil {
		if !res.allowed {
			return nil, fmt.Errorf("%w: the authorizer answered isAuthorized=false", ErrForbidden)
		}
		return res.identity, nil
	}
	ip, _ := netip.ParseAddr(r.SourceIP)
	if d := res.policy.Evaluate(InvokeAction, r.MethodARN(), ip); d != Allowed {
		return nil, fmt.Errorf("%w: the authorizer's policy does not allow %s", ErrForbidden, r.MethodARN())
	}
	return res.identity, nil
}

// call runs the function, turning a panic into an error.
func (c *Custom) call(ctx context.Context, r *Request, values []string) (res customResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("auth: custom authorizer panicked: %v\n%s", p, debug.Stack())
		}
	}()
	switch {
	case c.Token != nil:
		var out events.APIGatewayCustomAuthorizerResponse
		out, err = c.Token(ctx, events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: values[0], MethodArn: r.MethodARN()})
		if err == nil {
			res, err = policyResult(out)
		}
	case c.Request != nil:
		var out events.APIGatewayCustomAuthorizerResponse
		out, err = c.Request(ctx, requestEvent(r))
		if err == nil {
			res, err = policyResult(out)
		}
	default:
		var out events.APIGatewayV2CustomAuthorizerSimpleResponse
		out, err = c.Simple(ctx, simpleEvent(r, values))
		if err == nil {
			res = customResult{allowed: out.IsAuthorized, identity: &Identity{Kind: "custom", Context: out.Context}}
		}
	}
	if err != nil && err.Error() == "Unauthorized" {
		// The managed service's convention: a Lambda authorizer that
		// fails with "Unauthorized" means 401.
		return res, fmt.Errorf("%w: the authorizer answered Unauthorized", ErrUnauthorized)
	}
	return res, err
}

// policyResult converts a policy answer.
func policyResult(out events.APIGatewayCustomAuthorizerResponse) (customResult, error) {
	p := &Policy{Version: out.PolicyDocument.Version}
	for _, st := range out.PolicyDocument.Statement {
		p.Statement = append(p.Statement, Statement{Effect: Effect(st.Effect), Action: st.Action, Resource: st.Resource})
	}
	if err := p.Validate(); err != nil {
		return customResult{}, fmt.Errorf("auth: custom authorizer returned an invalid policy: %w", err)
	}
	return customResult{policy: p, identity: &Identity{
		Kind: "custom", Principal: out.PrincipalID, Context: out.Context, UsageIdentifierKey: out.UsageIdentifierKey,
	}}, nil
}

func firstValues(m map[string][]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, vs := range m {
		out[k] = vs[len(vs)-1]
	}
	return out
}

func requestEvent(r *Request) events.APIGatewayCustomAuthorizerRequestTypeRequest {
	q := r.HTTP.URL.Query()
	return events.APIGatewayCustomAuthorizerRequestTypeRequest{
		Type:                            "REQUEST",
		MethodArn:                       r.MethodARN(),
		Resource:                        resourceOf(r.RouteKey),
		Path:                            r.Path,
		HTTPMethod:                      r.Method,
		Headers:                         firstValues(r.HTTP.Header),
		MultiValueHeaders:               r.HTTP.Header,
		QueryStringParameters:           firstValues(q),
		MultiValueQueryStringParameters: q,
		StageVariables:                  r.StageVariables,
		RequestContext: events.APIGatewayCustomAuthorizerRequestTypeRequestContext{
			APIID: r.APIID, Stage: r.Stage, HTTPMethod: r.Method, ResourcePath: resourceOf(r.RouteKey), Path: r.Path,
			Identity: events.APIGatewayCustomAuthorizerRequestTypeRequestIdentity{SourceIP: r.SourceIP},
		},
	}
}

func simpleEvent(r *Request, values []string) events.APIGatewayV2CustomAuthorizerV2Request {
	headers := make(map[string]string, len(r.HTTP.Header))
	for k, vs := range r.HTTP.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	return events.APIGatewayV2CustomAuthorizerV2Request{
		Version:        "2.0",
		Type:           "REQUEST",
		RouteArn:       r.MethodARN(),
		IdentitySource: values,
		RouteKey:       r.RouteKey,
		RawPath:        r.Path,
		RawQueryString: r.HTTP.URL.RawQuery,
		Headers:        headers,
		StageVariables: r.StageVariables,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: r.RouteKey, Stage: r.Stage, APIID: r.APIID,
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.Method, Path: r.Path, SourceIP: r.SourceIP},
		},
	}
}

// resourceOf returns the path template of a route key ("/pets/{id}").
func resourceOf(routeKey string) string {
	if _, p, ok := strings.Cut(routeKey, " "); ok {
		return p
	}
	return routeKey
}
