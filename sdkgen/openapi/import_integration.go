package openapi

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/route"
	"github.com/gatekit/gatekit/stage"
)

// awsIntegration is x-amazon-apigateway-integration.
type awsIntegration struct {
	Ref               string            `json:"$ref"`
	Type              string            `json:"type"`
	URI               string            `json:"uri"`
	HTTPMethod        string            `json:"httpMethod"`
	RequestParameters map[string]string `json:"requestParameters"`
	RequestTemplates  map[string]string `json:"requestTemplates"`
	Responses         map[string]struct {
		StatusCode         any               `json:"statusCode"`
		SelectionPattern   string            `json:"selectionPattern"`
		ResponseParameters map[string]string `json:"responseParameters"`
		ResponseTemplates  map[string]string `json:"responseTemplates"`
		ContentHandling    string            `json:"contentHandling"`
	} `json:"responses"`
	ResponseParameters   map[string]any `json:"responseParameters"`
	PassthroughBehavior  string         `json:"passthroughBehavior"`
	TimeoutInMillis      *float64       `json:"timeoutInMillis"`
	CacheKeyParameters   []string       `json:"cacheKeyParameters"`
	CacheNamespace       string         `json:"cacheNamespace"`
	ConnectionType       string         `json:"connectionType"`
	ConnectionID         string         `json:"connectionId"`
	Credentials          string         `json:"credentials"`
	ContentHandling      string         `json:"contentHandling"`
	PayloadFormatVersion string         `json:"payloadFormatVersion"`
	IntegrationSubtype   string         `json:"integrationSubtype"`
	TLSConfig            map[string]any `json:"tlsConfig"`
}

var integrationFields = []string{"$ref", "type", "uri", "httpMethod", "requestParameters", "requestTemplates", "responses",
	"responseParameters", "passthroughBehavior", "timeoutInMillis", "cacheKeyParameters", "cacheNamespace",
	"connectionType", "connectionId", "credentials", "contentHandling", "payloadFormatVersion",
	"integrationSubtype", "tlsConfig"}

// notImplemented is the integration of a route whose integration the
// gateway cannot run.
func notImplemented() *gateway.Mock {
	return &gateway.Mock{Status: http.StatusNotImplemented,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   `{"message":"Not Implemented"}`}
}

// integration maps x-amazon-apigateway-integration, and the route
// settings it carries.
func (im *importer) integration(op2 string, key route.Key, rt *gateway.Route, ext any) {
	path := dotted(op2, xIntegration)
	rt.Integration = notImplemented()
	if ext == nil {
		im.warn(op2, "no %s: the route answers 501", xIntegration)
		return
	}
	var in awsIntegration
	if !im.decodeExt(path, ext, &in) {
		im.warn(path, "the route answers 501")
		return
	}
	if in.Ref != "" {
		name, ok := strings.CutPrefix(in.Ref, "#/components/"+xIntegrations+"/")
		var comps map[string]any
		if im.doc.Components != nil {
			comps, _ = im.doc.Components.Extensions[xIntegrations].(map[string]any)
		}
		if !ok || comps[name] == nil {
			im.fail("%s: unresolved $ref %q", path, in.Ref)
			return
		}
		path = "components." + xIntegrations + "." + name
		ext = comps[name]
		in = awsIntegration{}
		if !im.decodeExt(path, ext, &in) {
			im.warn(path, "the route answers 501")
			return
		}
	}
	im.decodeExt(path, ext, new(map[string]any), integrationFields...) // warns about unknown fields
	switch in.PayloadFormatVersion {
	case "":
	case "1.0":
		im.kind.payload1 = true
	case "2.0":
		im.kind.http = true
	default:
		im.warn(path, "payloadFormatVersion %q is unknown", in.PayloadFormatVersion)
	}
	if in.TimeoutInMillis != nil && *in.TimeoutInMillis > 0 {
		rt.Timeout = time.Duration(*in.TimeoutInMillis) * time.Millisecond
	}
	var keys []string
	for _, k := range in.CacheKeyParameters {
		// "method.request.querystring.type" is the gateway's
		// "querystring.type".
		if name, ok := strings.CutPrefix(k, "method.request."); ok {
			keys = append(keys, name)
		} else {
			im.warn(path, "cacheKeyParameters: %q is not a method.request parameter: left out of the cache key", k)
		}
	}
	if len(keys) > 0 {
		rt.Cache = &gateway.RouteCache{KeyParameters: keys}
	}
	if in.CacheNamespace != "" {
		im.warn(path, "cacheNamespace is not supported: each route caches on its own")
	}
	if in.Credentials != "" {
		im.warn(path, "credentials (an IAM role) have no meaning in-process, ignored")
	}
	if in.ContentHandling != "" {
		im.warn(path, "contentHandling %s is not supported: bodies pass through unchanged", in.ContentHandling)
	}
	if len(in.ResponseParameters) > 0 {
		im.warn(path, "responseParameters (parameter mapping) are not supported, ignored")
	}
	if len(in.TLSConfig) > 0 {
		im.warn(path, "tlsConfig is not supported: the gateway's transport decides")
	}
	if strings.EqualFold(in.ConnectionType, "VPC_LINK") {
		im.warn(path, "private integrations (VPC links) are not supported: the route answers 501")
		return
	}
	switch typ := strings.ToLower(in.Type); typ {
	case "http_proxy", "http":
		if typ == "http" {
			im.kind.rest = true
		}
		if in.IntegrationSubtype != "" {
			im.warn(path, "integrationSubtype %s is not supported: the route answers 501", in.IntegrationSubtype)
			return
		}
		im.httpIntegration(path, typ, key, rt, &in)
	case "aws_proxy":
		if in.IntegrationSubtype != "" {
			im.kind.http = true
			im.warn(path, "AWS service integration %s is not supported: the route answers 501", in.IntegrationSubtype)
			return
		}
		im.functionIntegration(path, rt, &in)
	case "mock":
		im.kind.rest = true
		im.mockIntegration(path, rt, &in)
	case "aws":
		im.kind.rest = true
		im.warn(path, "AWS (non-proxy) integrations are not supported: the route answers 501")
	default:
		im.warn(path, "integration type %q is not supported: the route answers 501", in.Type)
	}
}

// httpIntegration maps http_proxy and http integrations.
func (im *importer) httpIntegration(path, typ string, key route.Key, rt *gateway.Route, in *awsIntegration) {
	if m := strings.ToUpper(in.HTTPMethod); m != "" && m != "ANY" && m != key.Method {
		im.warn(path, "httpMethod %s: the backend gets the request's own method", m)
	}
	pathMap := map[string]string{}
	var unsupported []string
	for _, k := range slices.Sorted(maps.Keys(in.RequestParameters)) {
		v := in.RequestParameters[k]
		target, isRequest := strings.CutPrefix(k, "integration.request.")
		kind, name, _ := strings.Cut(target, ".")
		switch {
		case !isRequest:
			unsupported = append(unsupported, k)
		case kind == "path":
			switch {
			case strings.HasPrefix(v, "method.request.path."):
				pathMap[name] = "{" + strings.TrimPrefix(v, "method.request.path.") + "}"
			case strings.HasPrefix(v, "stageVariables."):
				pathMap[name] = "${" + v + "}"
			default:
				if lit, ok := staticValue(v); ok {
					pathMap[name] = lit
				} else {
					unsupported = append(unsupported, k)
				}
			}
		case (kind == "querystring" || kind == "header") && v == "method.request."+kind+"."+name:
			// The proxy passes it on as it is.
		default:
			unsupported = append(unsupported, k)
		}
	}
	if len(unsupported) > 0 {
		im.warn(path, "requestParameters %s: parameter mapping is not supported, ignored (the request's parameters pass through)", quoteList(unsupported))
	}
	if len(in.RequestTemplates) > 0 || hasResponseTemplates(in) {
		im.warn(path, "mapping templates are not supported: the request and the response pass through unchanged")
	}
	if typ == "http" && hasResponseMapping(in) {
		im.warn(path, "integration responses (status and header mapping) are not supported: the backend's response passes through")
	}
	if strings.EqualFold(in.PassthroughBehavior, "never") {
		im.warn(path, "passthroughBehavior never is not supported: bodies pass through")
	}
	url, bad := rewriteURLParams(in.URI, pathMap, key.Params())
	if bad != "" {
		im.warn(path, "uri %q: {%s} is neither a path parameter of the route nor mapped by requestParameters: the route answers 501", in.URI, bad)
		return
	}
	proxy := &gateway.HTTPProxy{URL: withPath(url)}
	if _, err := stage.ParseTemplate(url); err != nil {
		im.warn(path, "uri %q: %v (substitute template placeholders before importing): the route answers 501", in.URI, err)
		return
	}
	b := &gateway.Binding{API: im.out.API.Name, RouteKey: key.String(), Params: key.Params(), Timeout: time.Second,
		Logger: slog.New(slog.DiscardHandler), Transport: http.DefaultTransport}
	if _, err := proxy.Bind(b); err != nil {
		im.warn(path, "uri %q is not a URL the gateway can proxy to (%v): the route answers 501", in.URI, err)
		return
	}
	rt.Integration = proxy
}

// withPath gives a URL without a path the root path: the managed service
// calls such a URL as it is, where an HTTPProxy would append the
// request's path.
func withPath(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return u
	}
	hostEnd := strings.IndexAny(u[i+3:], "/?#")
	switch {
	case hostEnd < 0:
		return u + "/"
	case u[i+3+hostEnd] != '/':
		return u[:i+3+hostEnd] + "/" + u[i+3+hostEnd:]
	}
	return u
}

func hasResponseTemplates(in *awsIntegration) bool {
	for _, r := range in.Responses {
		if len(r.ResponseTemplates) > 0 {
			return true
		}
	}
	return false
}

func hasResponseMapping(in *awsIntegration) bool {
	for code, r := range in.Responses {
		if len(r.ResponseParameters) > 0 || r.SelectionPattern != "" || code != "default" {
			return true
		}
		if s := fmt.Sprint(r.StatusCode); r.StatusCode != nil && s != "200" {
			return true
		}
	}
	return false
}

// rewriteURLParams writes the uri's {name} parameters (not
// ${stageVariables.x}) as mapped, or as they are when they are route
// parameters; it returns the first one that is neither.
func rewriteURLParams(uri string, mapped map[string]string, params []string) (string, string) {
	var b strings.Builder
	for {
		i := strings.IndexByte(uri, '{')
		if i < 0 {
			b.WriteString(uri)
			return b.String(), ""
		}
		j := strings.IndexByte(uri[i:], '}')
		if j < 0 {
			b.WriteString(uri)
			return b.String(), ""
		}
		if i > 0 && uri[i-1] == '$' {
			b.WriteString(uri[:i+j+1])
			uri = uri[i+j+1:]
			continue
		}
		name := uri[i+1 : i+j]
		b.WriteString(uri[:i])
		switch m, ok := mapped[name]; {
		case ok:
			b.WriteString(m)
		case slices.Contains(params, strings.TrimSuffix(name, "+")):
			b.WriteString("{" + strings.TrimSuffix(name, "+") + "}")
		default:
			return "", name
		}
		uri = uri[i+j+1:]
	}
}

// functionIntegration maps aws_proxy integrations of Lambda functions.
func (im *importer) functionIntegration(path string, rt *gateway.Route, in *awsIntegration) {
	name, qualifier, ok := lambdaFunction(in.URI)
	if !ok {
		im.warn(path, "uri %q names no Lambda function: the route answers 501", in.URI)
		return
	}
	if qualifier != "" {
		im.warn(path, "uri: the function's qualifier %q is dropped: the function registered as %q is called", qualifier, name)
	}
	tmpl, err := stage.ParseTemplate(name)
	if err == nil && tmpl.IsLiteral() && !validFunctionName(name) {
		err = errors.New("a function name is [A-Za-z0-9._-]+")
	}
	if err != nil {
		im.warn(path, "function %q: %v: the route answers 501", name, err)
		return
	}
	if len(in.RequestTemplates) > 0 || len(in.Responses) > 0 {
		im.warn(path, "mapping templates and integration responses do not apply to aws_proxy integrations, ignored")
	}
	rt.Integration = gateway.FunctionNamed(name)
	im.fns[name] = true
}

func validFunctionName(name string) bool {
	return name != "" && !strings.ContainsFunc(name, func(r rune) bool {
		return !(r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'))
	})
}

var mockStatus = regexp.MustCompile(`"statusCode"\s*:\s*"?(\d{3})"?`)

// mockIntegration maps mock integrations: the integration response the
// request template's statusCode selects (the default one when none
// matches), with its static headers and its template as the body.
func (im *importer) mockIntegration(path string, rt *gateway.Route, in *awsIntegration) {
	status := ""
	for ct, t := range in.RequestTemplates {
		m := mockStatus.FindStringSubmatch(t)
		if m == nil || strings.TrimSpace(vtlVar.ReplaceAllString(t, "")) != strings.TrimSpace(t) {
			im.warn(path, "requestTemplates %q: only a fixed {\"statusCode\": N} is supported", ct)
		}
		if m != nil && status == "" {
			status = m[1]
		}
	}
	var chosen string
	for _, code := range slices.Sorted(maps.Keys(in.Responses)) {
		r := in.Responses[code]
		if code == "default" {
			if chosen == "" {
				chosen = code
			}
			continue
		}
		if re, err := regexp.Compile("^(?:" + cmp.Or(r.SelectionPattern, code) + ")$"); err == nil && status != "" && re.MatchString(status) {
			chosen = code
			break
		}
	}
	mock := &gateway.Mock{}
	if n, err := strconv.Atoi(status); err == nil {
		mock.Status = n
	}
	if chosen == "" {
		rt.Integration = mock
		return
	}
	r := in.Responses[chosen]
	rp := dotted(path, "responses."+chosen)
	n, header := im.statusAndHeaders(rp, r.StatusCode, "the mock's status is used", r.ResponseParameters, "method.response.header.")
	if n != 0 {
		mock.Status = n
	}
	mock.Header = header
	if body, ct, ok := im.pickTemplate(rp, r.ResponseTemplates); ok && body != "" {
		if vtlVar.MatchString(body) {
			im.warn(rp, "responseTemplates: mapping template variables and directives are not evaluated: the body is sent as written")
		}
		mock.Body = body
		if mock.Header == nil {
			mock.Header = http.Header{}
		}
		if mock.Header.Get("Content-Type") == "" {
			mock.Header.Set("Content-Type", ct)
		}
	}
	if r.ContentHandling != "" {
		im.warn(rp, "contentHandling is not supported, ignored")
	}
	rt.Integration = mock
}
