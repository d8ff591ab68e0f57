package openapi

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
)

// schemeResult is what a security scheme became.
type schemeResult struct {
	apiKey     bool   // an API key: the route requires one
	authorizer string // the authorizer name routes use ("": none)
}

// security maps the operation's security requirement (or the
// document's) to the route's authorizer, scopes and API key.
func (im *importer) security(op2 string, rt *gateway.Route, op *openapi3.Operation) {
	reqs := im.doc.Security
	where := "security"
	if op.Security != nil {
		reqs, where = *op.Security, op2+".security"
	}
	var chosen openapi3.SecurityRequirement
	for _, r := range reqs {
		if len(r) > 0 {
			chosen = r
			break
		}
	}
	if len(reqs) > 1 && chosen != nil {
		im.warn(where, "alternative security requirements are not supported: only %s is applied", quoteList(slices.Sorted(maps.Keys(chosen))))
	}
	for _, name := range slices.Sorted(maps.Keys(chosen)) {
		res := im.scheme(name)
		switch {
		case res.apiKey:
			rt.APIKeyRequired = true
		case res.authorizer == "":
		case rt.Authorizer != "":
			im.warn(where, "a route has one authorizer: %q is applied, %q is not", rt.Authorizer, name)
		default:
			rt.Authorizer = res.authorizer
			if scopes := chosen[name]; len(scopes) > 0 {
				rt.AuthorizationScopes = slices.Clone(scopes)
			}
		}
	}
	if v, ok := op.Extensions[xAuth]; ok {
		var a struct {
			Type string `json:"type"`
		}
		if im.decodeExt(dotted(op2, xAuth), v, &a, "type") {
			switch strings.ToUpper(a.Type) {
			case "AWS_IAM":
				rt.Authorizer, rt.AuthorizationScopes = "sigv4", nil
				im.needAuthorizer("sigv4", dotted(op2, xAuth), "AWS_IAM needs SigV4: register an *auth.SigV4 as %q", "sigv4")
			case "NONE":
				rt.Authorizer, rt.AuthorizationScopes = "", nil
			default:
				im.warn(dotted(op2, xAuth), "type %q is not supported, ignored", a.Type)
			}
		}
	}
}

func (im *importer) needAuthorizer(name, path, format string, args ...any) {
	if !im.need[name] {
		im.need[name] = true
		im.warn(path, format, args...)
	}
}

// scheme builds (once) what a security scheme stands for.
func (im *importer) scheme(name string) *schemeResult {
	if r, ok := im.schemes[name]; ok {
		return r
	}
	r := &schemeResult{}
	im.schemes[name] = r
	path := im.schemePath(name)
	var s *openapi3.SecurityScheme
	if comps := im.doc.Components; comps != nil && comps.SecuritySchemes[name] != nil {
		s = comps.SecuritySchemes[name].Value
	}
	if s == nil {
		r.authorizer = name
		im.needAuthorizer(name, path, "no such security scheme: routes name the authorizer %q, which the caller must register", name)
		return r
	}
	im.unknownExtensions(path, s.Extensions, xAuthorizer, xAuthType, xGatekitSigV4)
	authType, _ := s.Extensions[xAuthType].(string)
	if ext, ok := s.Extensions[xAuthorizer]; ok {
		im.authorizer(name, path+"."+xAuthorizer, s, ext, r)
		return r
	}
	switch {
	case strings.EqualFold(authType, "awsSigv4"):
		r.authorizer = name
		var sig struct{ Region, Service string }
		_ = remarshal(s.Extensions[xGatekitSigV4], &sig)
		detail := ""
		if sig.Region != "" {
			detail = fmt.Sprintf(" (region %s, service %s)", sig.Region, cmp.Or(sig.Service, "execute-api"))
		}
		im.needAuthorizer(name, path, "AWS Signature Version 4%s: register an *auth.SigV4 as %q", detail, name)
	case s.Type == "apiKey" && s.In == "header" && strings.EqualFold(s.Name, "x-api-key"):
		r.apiKey = true
		im.kind.rest = true
	case s.Type == "apiKey" && name == "api_key":
		r.apiKey = true
		im.kind.rest = true
		im.warn(path, "API keys are read from the x-api-key header, not from %s %q", s.In, s.Name)
	default:
		r.authorizer = name
		what := s.Type
		switch s.Type {
		case "http":
			what = "HTTP " + s.Scheme + " authentication"
		case "apiKey":
			what = fmt.Sprintf("an API key in %s %q", s.In, s.Name)
		case "openIdConnect":
			what = "OpenID Connect (" + s.OpenIdConnectUrl + ")"
		}
		im.needAuthorizer(name, path, "%s: the gateway cannot check this from the document alone; register an authorizer as %q (an *auth.JWT for bearer tokens)", what, name)
	}
	return r
}

// awsAuthorizer is x-amazon-apigateway-authorizer.
type awsAuthorizer struct {
	Type                 string   `json:"type"`
	AuthorizerURI        string   `json:"authorizerUri"`
	IdentitySource       string   `json:"identitySource"`
	ValidationExpression string   `json:"identityValidationExpression"`
	ResultTTL            *float64 `json:"authorizerResultTtlInSeconds"`
	PayloadFormatVersion string   `json:"authorizerPayloadFormatVersion"`
	SimpleResponses      bool     `json:"enableSimpleResponses"`
	Credentials          string   `json:"authorizerCredentials"`
	JWT                  *struct {
		Issuer   string   `json:"issuer"`
		Audience []string `json:"audience"`
	} `json:"jwtConfiguration"`
	ProviderARNs []string `json:"providerARNs"`
}

// authorizer builds the authorizer of a scheme with
// x-amazon-apigateway-authorizer.
func (im *importer) authorizer(name, path string, s *openapi3.SecurityScheme, ext any, r *schemeResult) {
	r.authorizer = name
	var a awsAuthorizer
	if !im.decodeExt(path, ext, &a, "type", "authorizerUri", "identitySource", "identityValidationExpression",
		"authorizerResultTtlInSeconds", "authorizerPayloadFormatVersion", "enableSimpleResponses",
		"authorizerCredentials", "jwtConfiguration", "providerARNs") {
		im.needAuthorizer(name, path, "register an authorizer as %q", name)
		return
	}
	if a.PayloadFormatVersion != "" || a.SimpleResponses {
		im.kind.http = true
	}
	if a.Credentials != "" {
		im.warn(path, "authorizerCredentials (an IAM role) have no meaning in-process, ignored")
	}
	switch typ := strings.ToLower(a.Type); typ {
	case "jwt":
		im.kind.http = true
		cfg := auth.JWTConfig{}
		if a.JWT != nil {
			cfg.Issuer, cfg.Audiences = a.JWT.Issuer, a.JWT.Audience
		}
		if srcs := splitList(a.IdentitySource); len(srcs) > 0 {
			if len(srcs) > 1 {
				im.warn(path, "a JWT has one identity source: %q is used", srcs[0])
			}
			cfg.IdentitySource = identitySource(srcs[0])
		}
		j, err := auth.NewJWT(cfg)
		if err != nil {
			im.fail("security scheme %q: %v", name, err)
			return
		}
		im.out.Authorizers[name] = j
	case "token", "request":
		if typ == "token" {
			im.kind.rest = true
		}
		im.custom(name, path, typ, s, &a)
	case "cognito_user_pools":
		im.needAuthorizer(name, path, "Cognito user pools %s: register an *auth.JWT for the pool as %q", quoteList(a.ProviderARNs), name)
	default:
		im.needAuthorizer(name, path, "authorizer type %q is not supported: register an authorizer as %q", a.Type, name)
	}
}

// custom binds a TOKEN or REQUEST authorizer to the caller's function.
func (im *importer) custom(name, path, typ string, s *openapi3.SecurityScheme, a *awsAuthorizer) {
	fn, qualifier, ok := lambdaFunction(a.AuthorizerURI)
	if !ok {
		im.fail("security scheme %q: authorizerUri %q names no Lambda function", name, a.AuthorizerURI)
		return
	}
	if qualifier != "" {
		im.warn(path, "authorizerUri: the function's qualifier %q is dropped", qualifier)
	}
	given := im.opts.Authorizers[fn]
	if given == nil {
		given = im.opts.Authorizers[name]
	}
	if given == nil {
		im.fail("security scheme %q: its %s authorizer calls the function %q: set ImportOptions.Authorizers[%q] (or [%q]) to an *auth.Custom", name, strings.ToUpper(typ), fn, fn, name)
		return
	}
	switch {
	case typ == "token" && given.Token == nil:
		im.fail("security scheme %q: a TOKEN authorizer: ImportOptions.Authorizers[%q] must set Token", name, fn)
		return
	case typ == "request" && given.Request == nil && given.Simple == nil:
		im.fail("security scheme %q: a REQUEST authorizer: ImportOptions.Authorizers[%q] must set Request or Simple", name, fn)
		return
	}
	c := &auth.Custom{Token: given.Token, Request: given.Request, Simple: given.Simple, CacheSize: given.CacheSize, Clock: given.Clock}
	for _, src := range splitList(a.IdentitySource) {
		c.IdentitySources = append(c.IdentitySources, identitySource(src))
	}
	if typ == "token" && len(c.IdentitySources) == 0 && s.Type == "apiKey" && s.In == "header" && s.Name != "" {
		c.IdentitySources = []string{"$request.header." + s.Name}
	}
	if typ == "request" && len(c.IdentitySources) == 0 {
		im.warn(path, "no identitySource: requests without an Authorization header are refused before the function is called")
	}
	if a.ValidationExpression != "" {
		if typ == "token" {
			c.ValidationExpression = a.ValidationExpression
		} else {
			im.warn(path, "identityValidationExpression applies to TOKEN authorizers only, ignored")
		}
	}
	if a.ResultTTL != nil {
		if ttl := time.Duration(*a.ResultTTL) * time.Second; ttl > 0 {
			c.ResultTTL = ttl
		} else {
			c.ResultTTL = -1 // 0 turns caching off
		}
	}
	if err := c.Validate(); err != nil {
		im.fail("security scheme %q: %v", name, err)
		return
	}
	im.out.Authorizers[name] = c
}

func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// identitySource rewrites a REST API identity source
// ("method.request.header.Auth", "stageVariables.x", "context.x") in the
// HTTP API form auth.Custom reads ("$request.header.Auth").
func identitySource(s string) string {
	switch {
	case strings.HasPrefix(s, "$"):
		return s
	case strings.HasPrefix(s, "method.request."):
		return "$request." + strings.TrimPrefix(s, "method.request.")
	}
	return "$" + s
}

// lambdaFunction returns the function name (and qualifier) in a Lambda
// integration or authorizer URI:
// "arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/arn:aws:lambda:REGION:ACCOUNT:function:NAME/invocations",
// or a plain function ARN.
func lambdaFunction(uri string) (name, qualifier string, ok bool) {
	_, rest, found := strings.Cut(uri, ":function:")
	if !found {
		return "", "", false
	}
	rest = strings.TrimSuffix(rest, "/invocations")
	name, qualifier, _ = strings.Cut(rest, ":")
	return name, qualifier, name != ""
}
