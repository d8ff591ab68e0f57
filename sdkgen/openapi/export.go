package openapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/route"
	"github.com/gatekit/gatekit/sdkgen/internal/spec"
)

// apiKeyScheme is the security scheme of API keys, named as the managed
// service names it.
const apiKeyScheme = "api_key"

// ExportOptions tune an export.
type ExportOptions struct {
	// ServerURL is where clients reach the gateway: scheme and host
	// ("https://api.example.com"), and any path the gateway is mounted
	// under. The server written is ServerURL, the API's base path and
	// the stage ("/prod"; none for $default, the stage being a server
	// variable). If empty, "http://localhost:8080".
	ServerURL string
	// AWS writes the managed service's x-amazon-apigateway-* extensions —
	// integrations, authorizers, the API key source, request validators,
	// gateway responses and CORS — so that the document also means
	// something to it, and to Import.
	AWS bool
}

// Export describes the API that a stage of gw serves as an OpenAPI 3.0
// document: its routes as paths and operations, their declared
// parameters, their models as component schemas, its authorizers and API
// keys as security schemes (JWT authorizers as OpenID Connect, SigV4 as
// the managed service marks it), and the stage's URL as the server.
//
// A route's operationId is its OperationName, or one made from its key
// ("GET /pets/{id}" is getPetsById). ANY routes are written with the
// managed service's x-amazon-apigateway-any-method; the $default route,
// having no path, is written as the path "/$default" only with
// ExportOptions.AWS. Models that are schemas nested in other models are
// written as references to them.
func Export(gw *gateway.Gateway, apiName, stageName string, opts ExportOptions) (*openapi3.T, error) {
	def, err := gw.StageDefinition(apiName, stageName)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	st, err := gw.GetStage(apiName, stageName)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	var basePath string
	for _, a := range gw.APIs() {
		if a.Name == apiName {
			basePath = strings.TrimSuffix(a.BasePath, "/")
		}
	}
	version := def.Version
	if version == "" {
		// The managed service's: when the deployment was made.
		version = st.DeploymentID
		ds, _ := gw.Deployments(apiName) // the stage's API exists
		for _, d := range ds {
			if d.ID == st.DeploymentID {
				version = d.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")
			}
		}
	}
	x := &exporter{gw: gw, def: &def, opts: opts, doc: &openapi3.T{
		OpenAPI:    "3.0.3",
		Info:       &openapi3.Info{Title: def.Name, Version: version, Description: def.Description},
		Paths:      openapi3.NewPaths(),
		Components: &openapi3.Components{Schemas: openapi3.Schemas{}, SecuritySchemes: openapi3.SecuritySchemes{}},
	}}
	x.doc.Servers = server(opts.ServerURL, basePath, stageName)
	if err := x.models(); err != nil {
		return nil, err
	}
	var errs []error
	for _, rt := range sortedRoutes(def.Routes) {
		if err := x.route(rt); err != nil {
			errs = append(errs, fmt.Errorf("openapi: route %q: %w", rt.Key, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.AWS {
		x.awsDocument()
	}
	// Loading the document as a reader would resolves its references.
	b, err := json.Marshal(x.doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("openapi: the exported document does not load: %w", err)
	}
	return doc, nil
}

// server is the stage's URL, the stage a server variable.
func server(base, basePath, stageName string) openapi3.Servers {
	if base == "" {
		base = "http://localhost:8080"
	}
	base = strings.TrimSuffix(base, "/") + basePath
	if stageName == "$default" {
		return openapi3.Servers{{URL: base + "/"}}
	}
	return openapi3.Servers{{
		URL:       base + "/{stage}",
		Variables: map[string]*openapi3.ServerVariable{"stage": {Default: stageName}},
	}}
}

type exporter struct {
	gw   *gateway.Gateway
	def  *gateway.API
	opts ExportOptions
	doc  *openapi3.T
	// models are the routes' models by name, as compact JSON without
	// $schema, and who declared each first.
	modelSrc map[string]modelSource
	// validators are the request validators routes use.
	validators map[gateway.Validation]bool
}

type modelSource struct {
	canon  string // canonical JSON of the schema
	source string // who declared it first: "route \"GET /pets\""
}

// errorSchema is the body of the gateway's own error responses.
const errorSchema = "Error"

// models adds every route's models to the components, nested copies of
// one another replaced by references.
func (x *exporter) models() error {
	x.modelSrc = map[string]modelSource{}
	trees := map[string]any{}
	var errs []error
	add := func(name, source string, tree any) {
		canon := canonical(tree)
		if prev, ok := x.modelSrc[name]; ok {
			if prev.canon != canon {
				errs = append(errs, fmt.Errorf("openapi: model %q: %s and %s declare different schemas under that name", name, prev.source, source))
			}
			return
		}
		x.modelSrc[name] = modelSource{canon, source}
		trees[name] = tree
	}
	for _, rt := range x.def.Routes {
		for _, m := range []*gateway.Model{rt.RequestModel, rt.ResponseModel} {
			if m == nil {
				continue
			}
			tree, defs, err := schemaTree(m.Schema)
			if err != nil {
				errs = append(errs, fmt.Errorf("openapi: route %q: model %q: %w", rt.Key, m.Name, err))
				continue
			}
			add(m.Name, fmt.Sprintf("route %q", rt.Key), tree)
			// A model's own definitions (a recursive model's, say) are
			// component schemas too: its references point there.
			for _, name := range slices.Sorted(maps.Keys(defs)) {
				add(name, fmt.Sprintf("the definitions of model %q", m.Name), defs[name])
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	byCanon := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(x.modelSrc)) {
		if _, dup := byCanon[x.modelSrc[name].canon]; !dup {
			byCanon[x.modelSrc[name].canon] = name
		}
	}
	for name, tree := range trees {
		tree = refNested(tree, byCanon, true)
		s := &openapi3.Schema{}
		if err := remarshal(tree, s); err != nil {
			return fmt.Errorf("openapi: model %q: %w", name, err)
		}
		x.doc.Components.Schemas[name] = openapi3.NewSchemaRef("", s)
	}
	if _, taken := x.doc.Components.Schemas[errorSchema]; !taken {
		x.doc.Components.Schemas[errorSchema] = openapi3.NewSchemaRef("", openapi3.NewObjectSchema().
			WithProperty("message", openapi3.NewStringSchema()))
	}
	return nil
}

// schemaTree parses a model's JSON Schema into the subset an OpenAPI 3.0
// schema object is: $schema and $id go, a type list with "null" in it
// becomes nullable, and references to the schema's definitions ($defs in
// 2020-12) refer to component schemas, which defs returns.
func schemaTree(schema string) (tree any, defs map[string]any, err error) {
	var raw any
	if err := json.Unmarshal([]byte(schema), &raw); err != nil {
		return nil, nil, fmt.Errorf("schema is not JSON: %w", err)
	}
	if m, ok := raw.(map[string]any); ok {
		for _, key := range []string{"definitions", "$defs"} {
			d, _ := m[key].(map[string]any)
			for name, s := range d {
				if defs == nil {
					defs = map[string]any{}
				}
				defs[name] = toOpenAPISchema(s)
			}
		}
	}
	return toOpenAPISchema(raw), defs, nil
}

func toOpenAPISchema(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			switch k {
			case "$schema", "$id", "id", "definitions", "$defs":
				continue
			case "$ref":
				if ref, ok := e.(string); ok {
					for _, prefix := range []string{"#/definitions/", "#/$defs/"} {
						if name, ok := strings.CutPrefix(ref, prefix); ok {
							e = "#/components/schemas/" + name
						}
					}
				}
			case "type":
				if types, ok := e.([]any); ok {
					var rest []any
					for _, t := range types {
						if t == "null" {
							out["nullable"] = true
						} else {
							rest = append(rest, t)
						}
					}
					if len(rest) == 1 {
						out["type"] = rest[0]
					}
					continue
				}
			case "properties", "patternProperties":
				// Property names are names, not keywords.
				if props, ok := e.(map[string]any); ok {
					m := make(map[string]any, len(props))
					for name, s := range props {
						m[name] = toOpenAPISchema(s)
					}
					out[k] = m
					continue
				}
			}
			out[k] = toOpenAPISchema(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = toOpenAPISchema(e)
		}
		return out
	}
	return v
}

// refNested replaces the subschemas of tree that are whole models with
// references to them (not tree itself, when root).
func refNested(tree any, byCanon map[string]string, root bool) any {
	switch v := tree.(type) {
	case map[string]any:
		if !root {
			if name, ok := byCanon[canonical(v)]; ok {
				return map[string]any{"$ref": "#/components/schemas/" + name}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			if k == "properties" {
				if props, ok := e.(map[string]any); ok {
					m := make(map[string]any, len(props))
					for name, s := range props {
						m[name] = refNested(s, byCanon, false)
					}
					out[k] = m
					continue
				}
			}
			out[k] = refNested(e, byCanon, false)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = refNested(e, byCanon, false)
		}
		return out
	}
	return tree
}

// canonical is v as JSON with sorted keys.
func canonical(v any) string {
	b, _ := json.Marshal(v) // values decoded from JSON always encode
	return string(b)
}

func remarshal(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// sortedRoutes returns routes by path, then method.
func sortedRoutes(routes []gateway.Route) []gateway.Route {
	out := slices.Clone(routes)
	slices.SortStableFunc(out, func(a, b gateway.Route) int {
		ka, _ := route.ParseKey(a.Key)
		kb, _ := route.ParseKey(b.Key)
		if c := strings.Compare(ka.Path, kb.Path); c != 0 {
			return c
		}
		return strings.Compare(ka.Method, kb.Method)
	})
	return out
}

// route adds rt's operation.
func (x *exporter) route(rt gateway.Route) error {
	key, err := route.ParseKey(rt.Key)
	if err != nil {
		return err
	}
	path, isDefault := key.Path, key.Path == ""
	if isDefault {
		if !x.opts.AWS {
			return nil
		}
		path = "/$default"
	}
	op := openapi3.NewOperation()
	op.OperationID = rt.OperationName
	if op.OperationID == "" {
		op.OperationID = OperationName(cmp.Or(key.Method, "ANY"), path)
	}
	op.Summary = rt.Summary
	if err := x.parameters(op, rt, path); err != nil {
		return err
	}
	if m := rt.RequestModel; m != nil {
		body := openapi3.NewRequestBody().WithJSONSchemaRef(modelRef(m.Name))
		body.Required = rt.Validate == gateway.ValidateBody || rt.Validate == gateway.ValidateAll
		op.RequestBody = &openapi3.RequestBodyRef{Value: body}
	}
	op.Responses = x.responses(rt)
	if err := x.security(op, rt); err != nil {
		return err
	}
	if x.opts.AWS {
		x.awsOperation(op, rt, cmp.Or(key.Method, "ANY"))
	}
	pi := x.doc.Paths.Value(path)
	if pi == nil {
		pi = &openapi3.PathItem{}
		x.doc.Paths.Set(path, pi)
	}
	if key.Method == "ANY" || isDefault {
		if pi.Extensions == nil {
			pi.Extensions = map[string]any{}
		}
		pi.Extensions[xAnyMethod] = op
		return nil
	}
	pi.SetOperation(key.Method, op)
	return nil
}

// modelRef refers to a component schema.
func modelRef(name string) *openapi3.SchemaRef {
	return openapi3.NewSchemaRef("#/components/schemas/"+name, nil)
}

// parameters adds the route's path parameters, and those it declares.
func (x *exporter) parameters(op *openapi3.Operation, rt gateway.Route, path string) error {
	declared := map[string]gateway.Parameter{}
	for _, p := range rt.RequestParameters {
		declared[p.In+"."+p.Name] = p
	}
	for _, name := range (route.Key{Path: path}).Params() {
		p, ok := declared["path."+name]
		delete(declared, "path."+name)
		if !ok {
			p = gateway.Parameter{In: "path", Name: name, Type: "string"}
		}
		op.AddParameter(openapi3.NewPathParameter(name).WithSchema(scalarSchema(p.Type)))
	}
	for _, p := range rt.RequestParameters {
		if _, ok := declared[p.In+"."+p.Name]; !ok {
			continue // a path parameter, added above
		}
		var param *openapi3.Parameter
		switch p.In {
		case "querystring":
			param = openapi3.NewQueryParameter(p.Name)
		case "header":
			param = openapi3.NewHeaderParameter(p.Name)
		case "path":
			return fmt.Errorf("path parameter %q is not in the route's path", p.Name)
		default:
			return fmt.Errorf("parameter %q: In %q is not path, querystring or header", p.Name, p.In)
		}
		param.Required = p.Required
		op.AddParameter(param.WithSchema(scalarSchema(p.Type)))
	}
	return nil
}

func scalarSchema(typ string) *openapi3.Schema {
	switch typ {
	case "integer":
		return openapi3.NewIntegerSchema()
	case "number":
		return openapi3.NewFloat64Schema()
	case "boolean":
		return openapi3.NewBoolSchema()
	}
	return openapi3.NewStringSchema()
}

// responses: the success response, with the route's response model or
// what its mock answers, and the gateway's errors.
func (x *exporter) responses(rt gateway.Route) *openapi3.Responses {
	ok := openapi3.NewResponse().WithDescription("Success")
	switch mock, isMock := rt.Integration.(*gateway.Mock); {
	case rt.ResponseModel != nil:
		ok.WithJSONSchemaRef(modelRef(rt.ResponseModel.Name))
	case isMock && !isJSON(mock.Header.Get("Content-Type")):
		ct, _, _ := mime.ParseMediaType(mock.Header.Get("Content-Type"))
		if ct == "" {
			ct = "text/plain"
		}
		ok.Content = openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{ct})
	default:
		ok.WithJSONSchema(&openapi3.Schema{}) // any JSON value
	}
	// A mock's own success status; a mock that answers an error (a route
	// not built yet, say) still documents the success it will have.
	status := http.StatusOK
	if mock, isMock := rt.Integration.(*gateway.Mock); isMock && mock.Status >= 200 && mock.Status < 300 {
		status = mock.Status
	}
	rs := openapi3.NewResponses(openapi3.WithStatus(status, &openapi3.ResponseRef{Value: ok}))
	rs.Set("default", &openapi3.ResponseRef{Value: openapi3.NewResponse().
		WithDescription("An error: the gateway's, or the integration's").
		WithJSONSchemaRef(modelRef(errorSchema))})
	return rs
}

func isJSON(contentType string) bool {
	ct, _, _ := mime.ParseMediaType(contentType)
	return ct == "" || ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// security adds the route's authorizer and API key requirement, and their
// schemes.
func (x *exporter) security(op *openapi3.Operation, rt gateway.Route) error {
	req := openapi3.SecurityRequirement{}
	if rt.Authorizer != "" {
		a := x.gw.Authorizer(rt.Authorizer)
		if a == nil {
			return fmt.Errorf("authorizer %q is not registered", rt.Authorizer)
		}
		scheme, scoped := x.authScheme(rt.Authorizer, a)
		x.doc.Components.SecuritySchemes[rt.Authorizer] = &openapi3.SecuritySchemeRef{Value: scheme}
		scopes := []string{}
		if scoped {
			scopes = slices.Clone(rt.AuthorizationScopes)
		}
		req[rt.Authorizer] = scopes
	}
	if rt.APIKeyRequired {
		x.doc.Components.SecuritySchemes[apiKeyScheme] = &openapi3.SecuritySchemeRef{Value: openapi3.NewSecurityScheme().
			WithType("apiKey").WithIn("header").WithName("x-api-key")}
		req[apiKeyScheme] = []string{}
	}
	if len(req) > 0 {
		op.Security = &openapi3.SecurityRequirements{req}
	}
	return nil
}

// authScheme describes an authorizer, and says whether its requirements
// may list scopes.
func (x *exporter) authScheme(name string, a auth.Authorizer) (*openapi3.SecurityScheme, bool) {
	switch a := a.(type) {
	case *auth.JWT:
		cfg := a.Config()
		s := &openapi3.SecurityScheme{Type: "openIdConnect",
			OpenIdConnectUrl: strings.TrimSuffix(cfg.Issuer, "/") + "/.well-known/openid-configuration",
			Description:      "A JWT from " + cfg.Issuer + " as a bearer token (Authorization: Bearer …)."}
		if x.opts.AWS {
			source := cfg.IdentitySource
			if source == "" {
				source = "$request.header.Authorization"
			}
			s.Extensions = map[string]any{xAuthorizer: map[string]any{
				"type":             "jwt",
				"identitySource":   source,
				"jwtConfiguration": map[string]any{"issuer": cfg.Issuer, "audience": cfg.Audiences},
			}}
		}
		return s, true
	case *auth.SigV4:
		service := a.Service
		if service == "" {
			service = "execute-api"
		}
		return &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "Authorization",
			Description: "AWS Signature Version 4.",
			Extensions: map[string]any{
				xAuthType:     "awsSigv4",
				xGatekitSigV4: map[string]any{"region": a.Region, "service": service},
			}}, false
	case *auth.Custom:
		header := "Authorization"
		for _, src := range a.IdentitySources {
			if h, ok := strings.CutPrefix(src, "$request.header."); ok {
				header = h
				break
			}
		}
		s := &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: header,
			Description: "A custom authorizer.", Extensions: map[string]any{xAuthType: "custom"}}
		if x.opts.AWS {
			region, account := x.gw.Account()
			typ := "request"
			if a.Token != nil {
				typ = "token"
			}
			authz := map[string]any{
				"type":          typ,
				"authorizerUri": lambdaURI(region, account, name),
			}
			if len(a.IdentitySources) > 0 {
				authz["identitySource"] = strings.Join(a.IdentitySources, ", ")
			}
			if a.ValidationExpression != "" {
				authz["identityValidationExpression"] = a.ValidationExpression
			}
			switch {
			case a.ResultTTL > 0:
				authz["authorizerResultTtlInSeconds"] = int(a.ResultTTL.Seconds())
			case a.ResultTTL < 0:
				authz["authorizerResultTtlInSeconds"] = 0 // not cached
			}
			s.Extensions[xAuthorizer] = authz
		}
		return s, false
	}
	return &openapi3.SecurityScheme{Type: "apiKey", In: "header", Name: "Authorization",
		Description: fmt.Sprintf("The gateway's authorizer %q.", name)}, false
}

// lambdaURI is the managed service's integration URI of a function.
func lambdaURI(region, account, function string) string {
	return fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/arn:aws:lambda:%s:%s:function:%s/invocations",
		region, region, account, function)
}

// awsOperation adds the managed service's extensions to op: its
// integration and request validator.
func (x *exporter) awsOperation(op *openapi3.Operation, rt gateway.Route, method string) {
	if op.Extensions == nil {
		op.Extensions = map[string]any{}
	}
	payload := "2.0"
	if x.def.Kind == gateway.REST {
		payload = "1.0"
	}
	var in map[string]any
	switch it := rt.Integration.(type) {
	case *gateway.HTTPProxy:
		in = map[string]any{"type": "http_proxy", "httpMethod": method, "uri": it.URL, "payloadFormatVersion": "1.0"}
		params := map[string]any{}
		for _, p := range op.Parameters {
			if p.Value.In == "path" && strings.Contains(it.URL, "{"+p.Value.Name+"}") {
				params["integration.request.path."+p.Value.Name] = "method.request.path." + p.Value.Name
			}
		}
		if len(params) > 0 {
			in["requestParameters"] = params
		}
	case *gateway.Mock:
		status := it.Status
		if status == 0 {
			status = http.StatusOK
		}
		ct := it.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/json"
		}
		resp := map[string]any{"statusCode": fmt.Sprint(status), "responseTemplates": map[string]any{ct: it.Body}}
		if params := headerParameters("method.response.header.", it.Header); len(params) > 0 {
			resp["responseParameters"] = params
		}
		in = map[string]any{"type": "mock",
			"requestTemplates": map[string]any{"application/json": fmt.Sprintf(`{"statusCode": %d}`, status)},
			"responses":        map[string]any{"default": resp}}
	default:
		// A function: by name, or an in-process one, written as a
		// function named after the operation.
		region, account := x.gw.Account()
		name, ok := gateway.FunctionName(rt.Integration)
		if !ok {
			name = op.OperationID
		}
		in = map[string]any{"type": "aws_proxy", "httpMethod": "POST", "uri": lambdaURI(region, account, name), "payloadFormatVersion": payload}
	}
	if rt.Timeout > 0 {
		in["timeoutInMillis"] = rt.Timeout.Milliseconds()
	}
	if rt.Cache != nil && len(rt.Cache.KeyParameters) > 0 {
		keys := make([]any, len(rt.Cache.KeyParameters))
		for i, k := range rt.Cache.KeyParameters {
			keys[i] = "method.request." + k
		}
		in["cacheKeyParameters"] = keys
	}
	op.Extensions[xIntegration] = in
	if rt.Validate != gateway.ValidateNone {
		if x.validators == nil {
			x.validators = map[gateway.Validation]bool{}
		}
		x.validators[rt.Validate] = true
		op.Extensions[xValidator] = validatorName(rt.Validate)
	}
}

// headerParameters writes headers as the managed service's response
// parameters: {prefix + name: "'value'"}, Content-Type left to the
// response's templates.
func headerParameters(prefix string, h http.Header) map[string]any {
	params := map[string]any{}
	for name := range h {
		if !strings.EqualFold(name, "Content-Type") {
			params[prefix+name] = "'" + h.Get(name) + "'"
		}
	}
	return params
}

func validatorName(v gateway.Validation) string {
	switch v {
	case gateway.ValidateBody:
		return "body-only"
	case gateway.ValidateParameters:
		return "params-only"
	}
	return "all"
}

// awsDocument adds the managed service's document-level extensions.
func (x *exporter) awsDocument() {
	ext := map[string]any{}
	if x.def.Kind == gateway.HTTP {
		ext[xImportExport] = "1.0" // what marks an HTTP API's export
	} else {
		ext[xAPIKeySource] = "HEADER"
	}
	if x.def.ResourcePolicy != nil {
		ext[xPolicy] = x.def.ResourcePolicy.Policy
	}
	if x.def.DisableDefaultEndpoint {
		ext[xEndpointConfig] = map[string]any{"disableExecuteApiEndpoint": true}
	}
	if len(x.validators) > 0 {
		vs := map[string]any{}
		for v := range x.validators {
			vs[validatorName(v)] = map[string]any{
				"validateRequestBody":       v != gateway.ValidateParameters,
				"validateRequestParameters": v != gateway.ValidateBody,
			}
		}
		ext[xValidators] = vs
	}
	if len(x.def.Responses) > 0 {
		rs := map[string]any{}
		for typ, r := range x.def.Responses {
			out := map[string]any{}
			if r.Status != 0 {
				out["statusCode"] = fmt.Sprint(r.Status)
			}
			if params := headerParameters("gatewayresponse.header.", r.Header); len(params) > 0 {
				out["responseParameters"] = params
			}
			if r.Body != "" {
				out["responseTemplates"] = map[string]any{"application/json": r.Body}
			}
			rs[string(typ)] = out
		}
		ext[xGatewayResponses] = rs
	}
	if c := x.def.CORS; c != nil {
		cors := map[string]any{"allowOrigins": c.AllowOrigins}
		for k, v := range map[string][]string{"allowMethods": c.AllowMethods, "allowHeaders": c.AllowHeaders, "exposeHeaders": c.ExposeHeaders} {
			if len(v) > 0 {
				cors[k] = v
			}
		}
		if c.AllowCredentials {
			cors["allowCredentials"] = true
		}
		if c.MaxAge > 0 {
			cors["maxAge"] = int(c.MaxAge.Seconds())
		}
		ext[xCORS] = cors
	}
	x.doc.Extensions = ext
}

// OperationName makes an operation name from a route's method and path:
// "GET /pets/{id}" is getPetsById, "ANY /files/{proxy+}" is
// anyFilesByProxy, "/" is getRoot.
func OperationName(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	by := false
	for seg := range strings.SplitSeq(path, "/") {
		name, _, param := route.ParamName(seg)
		if !param {
			name = seg
		}
		if param && !by {
			b.WriteString("By")
			by = true
		} else if param {
			b.WriteString("And")
		}
		b.WriteString(spec.Pascal(name))
	}
	if path == "/" {
		b.WriteString("Root")
	}
	return b.String()
}

// AnyMethod returns the operation a path item has for every method (the
// managed service's x-amazon-apigateway-any-method), or nil. Import and
// the SDK generators read it; it is a plain extension to other tools.
func AnyMethod(pi *openapi3.PathItem) *openapi3.Operation {
	v, ok := pi.Extensions[xAnyMethod]
	if !ok {
		return nil
	}
	if op, ok := v.(*openapi3.Operation); ok {
		return op
	}
	op := &openapi3.Operation{}
	if remarshal(v, op) != nil {
		return nil
	}
	return op
}

// MarshalJSON returns doc as indented JSON.
func MarshalJSON(doc *openapi3.T) ([]byte, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// MarshalYAML returns doc as YAML, its keys in the JSON's order.
func MarshalYAML(doc *openapi3.T) ([]byte, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	// JSON is YAML: decoding it into a node keeps the keys' order;
	// clearing the flow styles writes it as block YAML.
	var node yaml.Node
	if err := yaml.Unmarshal(b, &node); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	blockStyle(&node)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&node); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return out.Bytes(), enc.Close()
}

func blockStyle(n *yaml.Node) {
	n.Style &^= yaml.FlowStyle
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle) != 0 && n.Tag == "!!str" {
		n.Style &^= yaml.DoubleQuotedStyle // the encoder quotes what needs it
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}
