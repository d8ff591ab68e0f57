package openapi

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/route"
)

// ImportOptions tune [Import]. The zero value imports leniently, naming
// the API after the document's info.title.
type ImportOptions struct {
	// Strict makes every warning an error: Import then fails, listing
	// them all, unless the document maps completely.
	Strict bool
	// Authorizers bind the document's custom (Lambda TOKEN and REQUEST)
	// authorizers to Go code. Each is keyed by the name of the function
	// in the authorizer's authorizerUri ("…:function:NAME/invocations")
	// or by the security scheme's name, and sets Token (for a TOKEN
	// authorizer) or Request or Simple (for a REQUEST one). Import copies
	// it and fills IdentitySources, ValidationExpression and ResultTTL
	// from the document; CacheSize and Clock are kept. A custom
	// authorizer that routes use and that has no entry here is an error.
	Authorizers map[string]*auth.Custom
	// Name is the API's name. If empty, the document's info.title.
	Name string
}

// Imported is what [Import] made of a document.
type Imported struct {
	// API is the API the document describes, ready for [Imported.Register]
	// (or gw.AddAPI / gw.Mount once its authorizers are registered).
	API gateway.API
	// Authorizers are the authorizers Import built — JWT authorizers and
	// custom ones bound through ImportOptions.Authorizers — by the name
	// of their security scheme, which is how the routes' Authorizer
	// fields name them. Only schemes some route uses are built.
	Authorizers map[string]auth.Authorizer
	// NeedAuthorizers are authorizers the routes name but Import could
	// not build, sorted: SigV4 (x-amazon-apigateway-authtype awsSigv4, or
	// x-amazon-apigateway-auth AWS_IAM, named "sigv4"), Cognito user
	// pools, and plain OpenAPI http, oauth2, openIdConnect and apiKey
	// schemes. Each has a warning saying what it is. Register each with
	// gw.RegisterAuthorizer under that name before [Imported.Register],
	// which refuses to go on without them.
	NeedAuthorizers []string
	// Functions are the names of the functions the API's aws_proxy
	// integrations call (gateway.FunctionNamed), sorted. A name may use
	// stage variables ("orders-${stageVariables.env}"). Register each with
	// gw.RegisterFunction before deploying; the payload version a
	// function gets is the one its Go type takes.
	Functions []string
	// Warnings list what the document says that the API does not do, in
	// document order.
	Warnings []Warning
}

// Warning is a part of a document that Import did not map, or mapped
// only in part.
type Warning struct {
	// Path is where it is in the document, as dotted OpenAPI 3 names:
	// "paths./pets.get.x-amazon-apigateway-integration".
	Path string
	// Message says what was left out and what the API does instead.
	Message string
}

// String returns "path: message".
func (w Warning) String() string { return w.Path + ": " + w.Message }

// Import reads an OpenAPI 3.0 or Swagger 2.0 document, JSON or YAML, and
// builds the API it describes, honouring the managed service's
// x-amazon-apigateway-* extensions (Swagger 2.0 documents are converted
// to OpenAPI 3 first).
//
// Each path and method becomes a route ("GET /pets/{id}";
// x-amazon-apigateway-any-method is ANY, and the path "$default" the
// $default route), named by its operationId, with the operation's
// summary. Its integration comes from x-amazon-apigateway-integration:
//
//   - http_proxy and http: a [gateway.HTTPProxy] to the uri, with the path
//     parameters the integration's requestParameters map
//     ("integration.request.path.id": "method.request.path.petId") written
//     as {petId}, and ${stageVariables.x} kept. Mapping templates and
//     integration responses of http integrations are not supported: the
//     request and the response pass through, with a warning.
//   - aws_proxy: the function the Lambda ARN in the uri names
//     ([gateway.FunctionNamed]; "function:${stageVariables.fn}" works),
//     listed in Functions.
//   - mock: a [gateway.Mock] answering with the status, static headers
//     and body of the integration response the request template selects
//     (the default one).
//   - aws (non-proxy) and AWS service integrations, and a missing
//     integration: a Mock answering 501 {"message":"Not Implemented"},
//     with a warning.
//
// timeoutInMillis becomes the route's Timeout and cacheKeyParameters its
// cache key parameters.
//
// Security requirements become the route's Authorizer (a security scheme
// name), AuthorizationScopes, and APIKeyRequired (an apiKey scheme on the
// x-api-key header, or named api_key). Import builds JWT authorizers
// (x-amazon-apigateway-authorizer type jwt) and custom ones (token and
// request, from ImportOptions.Authorizers); the rest are listed in
// NeedAuthorizers for the caller to register.
//
// Schemas of JSON request bodies and of the first 2xx JSON response
// become the route's RequestModel and ResponseModel, named after their
// component schema (or after the operation, when inline): draft 4 JSON
// Schemas, as the managed service's models are, with references to other
// components inlined (a recursive one goes to the model's definitions)
// and nullable written as a "null" type. Declared path, query and header
// parameters become RequestParameters, and the request validator
// (x-amazon-apigateway-request-validator, per operation or for the
// document) the route's Validate. The document's
// x-amazon-apigateway-cors, x-amazon-apigateway-gateway-responses and
// x-amazon-apigateway-policy become the API's CORS, Responses and
// ResourcePolicy.
//
// The API is a REST API unless the document is one of the managed
// service's HTTP APIs: x-amazon-apigateway-importexport-version,
// x-amazon-apigateway-cors, a JWT authorizer or payload format 2.0 say
// so, and so does payload format 1.0 in a document with nothing that
// only REST APIs have.
//
// Every extension, field or construct with a meaning the API does not
// carry — binary media types, documentation parts, VPC links, IAM
// credentials, parameter mappings, templates, unsupported parameter
// locations — is reported in Warnings (an error when Strict), never
// dropped silently. Parts that only document (descriptions, tags,
// examples, response headers, non-2xx responses) are not reported.
// Errors — the document does not parse, a $ref does not resolve, a model
// is not a valid schema, a custom authorizer is not bound — name what
// failed and start with "openapi: ".
func Import(data []byte, opts ImportOptions) (*Imported, error) {
	doc, v2, err := loadDocument(data)
	if err != nil {
		return nil, err
	}
	im := &importer{
		opts:    opts,
		doc:     doc,
		v2:      v2,
		out:     &Imported{Authorizers: map[string]auth.Authorizer{}},
		schemes: map[string]*schemeResult{},
		models:  map[string]string{},
		need:    map[string]bool{},
		fns:     map[string]bool{},
	}
	im.importDocument()
	if err := errors.Join(im.errs...); err != nil {
		return nil, err
	}
	if opts.Strict && len(im.out.Warnings) > 0 {
		msgs := make([]string, len(im.out.Warnings))
		for i, w := range im.out.Warnings {
			msgs[i] = w.String()
		}
		return nil, fmt.Errorf("openapi: strict import: %d warning(s): %s", len(msgs), strings.Join(msgs, "; "))
	}
	im.out.NeedAuthorizers = slices.Sorted(maps.Keys(im.need))
	im.out.Functions = slices.Sorted(maps.Keys(im.fns))
	return im.out, nil
}

// Register registers the authorizers Import built on gw, under their
// scheme names, and adds the API with its default endpoint under
// basePath (see [gateway.Gateway.AddAPI]; the gateway keeps &im.API, so
// changes to it take effect at the next deployment). It fails before
// registering anything if an authorizer in NeedAuthorizers is not
// registered on gw yet.
// Deploy and put a stage next; a function in Functions that is not
// registered makes the deployment (or, for a name with stage variables,
// the stage) fail, naming it.
func (im *Imported) Register(gw *gateway.Gateway, basePath string) error {
	var errs []error
	for _, name := range im.NeedAuthorizers {
		if gw.Authorizer(name) == nil {
			errs = append(errs, fmt.Errorf("openapi: Register: routes use the authorizer %q, which Import could not build (see Warnings): register one with gw.RegisterAuthorizer first", name))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(im.Authorizers)) {
		if err := gw.RegisterAuthorizer(name, im.Authorizers[name]); err != nil {
			return fmt.Errorf("openapi: Register: %w", err)
		}
	}
	if err := gw.AddAPI(basePath, &im.API); err != nil {
		return fmt.Errorf("openapi: Register: %w", err)
	}
	return nil
}

// draft4URI is the JSON Schema dialect of the managed service's models.
const draft4URI = "http://json-schema.org/draft-04/schema#"

// importer holds the state of one Import.
type importer struct {
	opts ImportOptions
	doc  *openapi3.T
	v2   bool
	out  *Imported
	errs []error

	schemes    map[string]*schemeResult // by name, built when first used
	models     map[string]string        // model name → schema, made so far
	need       map[string]bool          // NeedAuthorizers
	fns        map[string]bool          // Functions
	validators map[string]gateway.Validation
	defValid   string // the document's default request validator
	kind       kindHints
}

// kindHints are what tells a REST API from an HTTP API.
type kindHints struct {
	http     bool // something only HTTP APIs have
	payload1 bool // payloadFormatVersion 1.0 (HTTP APIs only, but neutral)
	rest     bool // something only REST APIs have
}

func (im *importer) warn(path, format string, args ...any) {
	im.out.Warnings = append(im.out.Warnings, Warning{Path: path, Message: fmt.Sprintf(format, args...)})
}

func (im *importer) fail(format string, args ...any) {
	im.errs = append(im.errs, fmt.Errorf("openapi: "+format, args...))
}

// decodeExt decodes an extension's value into out, warning about the
// fields of an object that are not in known (nil: do not check).
func (im *importer) decodeExt(path string, v any, out any, known ...string) bool {
	if err := remarshal(v, out); err != nil {
		im.warn(path, "not understood, ignored: %v", err)
		return false
	}
	if known == nil {
		return true
	}
	var fields map[string]any
	if remarshal(v, &fields) == nil {
		var unknown []string
		for k := range fields {
			if !slices.Contains(known, k) {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			slices.Sort(unknown)
			im.warn(path, "%s not supported, ignored", quoteList(unknown))
		}
	}
	return true
}

// unknownExtensions warns about the extensions in ext that are not in
// known.
func (im *importer) unknownExtensions(path string, ext map[string]any, known ...string) {
	for _, k := range slices.Sorted(maps.Keys(ext)) {
		if !strings.HasPrefix(k, "x-") || slices.Contains(known, k) {
			continue
		}
		im.warn(dotted(path, k), "extension not supported, ignored")
	}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func dotted(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (im *importer) schemePath(name string) string {
	if im.v2 {
		return "securityDefinitions." + name
	}
	return "components.securitySchemes." + name
}

func (im *importer) importDocument() {
	doc := im.doc
	api := &im.out.API
	api.Name = im.opts.Name
	if doc.Info != nil {
		api.Version, api.Description = doc.Info.Version, doc.Info.Description
	}
	if api.Name == "" && doc.Info != nil {
		api.Name = doc.Info.Title
	}
	if im.v2 {
		im.kind.rest = true
	}
	im.documentExtensions()
	if doc.Components != nil {
		im.unknownExtensions("components", doc.Components.Extensions, xIntegrations)
	}
	for i, s := range doc.Servers {
		im.serverExtensions(fmt.Sprintf("servers.%d", i), s.Extensions)
	}
	for _, t := range doc.Tags {
		im.unknownExtensions("tags."+t.Name, t.Extensions)
	}
	if doc.Paths != nil {
		im.unknownExtensions("paths", doc.Paths.Extensions)
		for _, path := range slices.Sorted(maps.Keys(doc.Paths.Map())) {
			im.pathItem(path, doc.Paths.Value(path))
		}
	}
	if doc.Components != nil {
		for _, name := range slices.Sorted(maps.Keys(doc.Components.SecuritySchemes)) {
			if _, used := im.schemes[name]; !used {
				im.warn(im.schemePath(name), "security scheme not used by any operation, not imported")
			}
		}
	}
	switch {
	case im.kind.http:
		api.Kind = gateway.HTTP
	case im.kind.payload1 && !im.kind.rest:
		api.Kind = gateway.HTTP
	default:
		api.Kind = gateway.REST
	}
}

// gatewayMethods are the methods routes may have, by OpenAPI name.
var gatewayMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// pathItem adds the routes of one path.
func (im *importer) pathItem(path string, pi *openapi3.PathItem) {
	pp := "paths." + path
	im.unknownExtensions(pp, pi.Extensions, xAnyMethod)
	for _, s := range pi.Servers {
		im.serverExtensions(pp+".servers", s.Extensions)
	}
	ops := pi.Operations()
	for _, method := range slices.Sorted(maps.Keys(ops)) {
		op := ops[method]
		op2 := pp + "." + strings.ToLower(method)
		if !slices.Contains(gatewayMethods, method) {
			im.warn(op2, "method %s is not supported (only %s), operation not imported", method, strings.Join(gatewayMethods, ", "))
			continue
		}
		im.operation(op2, method, path, pi, op)
	}
	if op, ok := pi.Extensions[xAnyMethod].(*openapi3.Operation); ok {
		im.operation(pp+"."+xAnyMethod, "ANY", path, pi, op)
	}
}

// operation adds the route of one operation.
func (im *importer) operation(op2, method, path string, pi *openapi3.PathItem, op *openapi3.Operation) {
	keyStr := method + " " + path
	if path == "$default" || path == "/$default" {
		if method != "ANY" {
			im.warn(op2, "the $default route has no method: only x-amazon-apigateway-any-method is supported there, operation not imported")
			return
		}
		keyStr = "$default"
	}
	key, err := route.ParseKey(keyStr)
	if err != nil {
		im.warn(op2, "not a route the gateway can serve (%v), operation not imported", err)
		return
	}
	rt := gateway.Route{Key: key.String(), OperationName: op.OperationID, Summary: op.Summary}
	im.unknownExtensions(op2, op.Extensions, xIntegration, xValidator, xAuth)
	if len(op.Callbacks) > 0 {
		im.warn(op2+".callbacks", "callbacks are not supported, ignored")
	}
	rt.RequestParameters = im.parameters(op2, key, pi.Parameters, op.Parameters)
	rt.RequestModel = im.requestModel(op2, &rt, op)
	rt.ResponseModel = im.responseModel(op2, &rt, op)
	im.security(op2, &rt, op)
	im.integration(op2, key, &rt, op.Extensions[xIntegration])

	valid := im.defValid
	if v, ok := op.Extensions[xValidator]; ok {
		valid, _ = v.(string)
		im.kind.rest = true
	}
	if valid != "" {
		val, ok := im.validators[valid]
		if !ok {
			im.warn(dotted(op2, xValidator), "no request validator %q in %s, requests are not validated", valid, xValidators)
		}
		if rt.RequestModel == nil {
			// As in the managed service, a body validator without a
			// model has nothing to check.
			switch val {
			case gateway.ValidateBody:
				val = gateway.ValidateNone
			case gateway.ValidateAll:
				val = gateway.ValidateParameters
			}
		}
		rt.Validate = val
	}
	im.out.API.Routes = append(im.out.API.Routes, rt)
}

// parameters maps the declared parameters (the operation's override the
// path item's of the same name and location).
func (im *importer) parameters(op2 string, key route.Key, pathLevel, opLevel openapi3.Parameters) []gateway.Parameter {
	var out []gateway.Parameter
	seen := map[string]int{}
	for _, list := range []openapi3.Parameters{pathLevel, opLevel} {
		for _, ref := range list {
			p := ref.Value
			if p == nil {
				continue
			}
			pp := op2 + ".parameters." + p.Name
			var in string
			switch p.In {
			case "path":
				in = "path"
				if !slices.Contains(key.Params(), p.Name) {
					im.warn(pp, "the route %s has no path parameter %q, ignored", key, p.Name)
					continue
				}
			case "query":
				in = "querystring"
			case "header":
				in = "header"
			default:
				im.warn(pp, "parameters in %s are not supported, ignored", p.In)
				continue
			}
			gp := gateway.Parameter{In: in, Name: p.Name, Required: p.Required, Type: im.paramType(pp, p)}
			if i, ok := seen[in+"."+p.Name]; ok {
				out[i] = gp
				continue
			}
			seen[in+"."+p.Name] = len(out)
			out = append(out, gp)
		}
	}
	return out
}

// paramType is the scalar type of a parameter's schema.
func (im *importer) paramType(pp string, p *openapi3.Parameter) string {
	if p.Schema == nil || p.Schema.Value == nil || p.Schema.Value.Type == nil {
		return ""
	}
	for _, t := range p.Schema.Value.Type.Slice() {
		switch t {
		case "string", "integer", "number", "boolean":
			return t
		case "null":
		default:
			im.warn(pp, "type %s: only string, integer, number and boolean values are checked; only its presence is", t)
			return ""
		}
	}
	return ""
}
