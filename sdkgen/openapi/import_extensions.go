package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
)

// documentExtensions maps the document's own extensions.
func (im *importer) documentExtensions() {
	ext := im.doc.Extensions
	api := &im.out.API
	for _, name := range slices.Sorted(maps.Keys(ext)) {
		v := ext[name]
		switch name {
		case xImportExport:
			im.kind.http = true // the managed service's HTTP API exports carry it
		case xAPIKeySource:
			im.kind.rest = true
			switch s, _ := v.(string); strings.ToUpper(s) {
			case "HEADER":
			case "AUTHORIZER":
				im.warn(name, "AUTHORIZER: API keys chosen by custom authorizers (usageIdentifierKey) are used, but the x-api-key header is accepted too")
			default:
				im.warn(name, "%v is neither HEADER nor AUTHORIZER, ignored", v)
			}
		case xValidators:
			im.kind.rest = true
			var vs map[string]struct {
				Body   bool `json:"validateRequestBody"`
				Params bool `json:"validateRequestParameters"`
			}
			if im.decodeExt(name, v, &vs) {
				im.validators = map[string]gateway.Validation{}
				for n, val := range vs {
					im.validators[n] = validationOf(val.Body, val.Params)
				}
			}
		case xValidator:
			im.kind.rest = true
			im.defValid, _ = v.(string)
		case xCORS:
			im.kind.http = true
			api.CORS = im.cors(name, v)
		case xGatewayResponses:
			im.kind.rest = true
			api.Responses = im.gatewayResponses(name, v)
		case xPolicy:
			im.kind.rest = true
			api.ResourcePolicy = im.policy(name, v)
		case xEndpointConfig:
			im.endpointConfig(name, v)
		default:
			if strings.HasPrefix(name, xPrefix) {
				switch name {
				case "x-amazon-apigateway-binary-media-types", "x-amazon-apigateway-minimum-compression-size", "x-amazon-apigateway-documentation":
					im.kind.rest = true
				}
				im.warn(name, "extension not supported, ignored")
			} else if strings.HasPrefix(name, "x-") {
				im.warn(name, "extension not supported, ignored")
			}
		}
	}
}

func (im *importer) serverExtensions(path string, ext map[string]any) {
	for _, name := range slices.Sorted(maps.Keys(ext)) {
		if name == xEndpointConfig {
			im.endpointConfig(dotted(path, name), ext[name])
			continue
		}
		im.warn(dotted(path, name), "extension not supported, ignored")
	}
}

// endpointConfig maps disableExecuteApiEndpoint.
func (im *importer) endpointConfig(path string, v any) {
	var ec struct {
		Disable bool `json:"disableExecuteApiEndpoint"`
	}
	if im.decodeExt(path, v, &ec, "disableExecuteApiEndpoint") && ec.Disable {
		im.out.API.DisableDefaultEndpoint = true
	}
}

func validationOf(body, params bool) gateway.Validation {
	switch {
	case body && params:
		return gateway.ValidateAll
	case body:
		return gateway.ValidateBody
	case params:
		return gateway.ValidateParameters
	}
	return gateway.ValidateNone
}

// cors maps x-amazon-apigateway-cors.
func (im *importer) cors(path string, v any) *gateway.CORS {
	var c struct {
		AllowOrigins     []string `json:"allowOrigins"`
		AllowMethods     []string `json:"allowMethods"`
		AllowHeaders     []string `json:"allowHeaders"`
		ExposeHeaders    []string `json:"exposeHeaders"`
		AllowCredentials bool     `json:"allowCredentials"`
		MaxAge           float64  `json:"maxAge"`
	}
	if !im.decodeExt(path, v, &c, "allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders", "allowCredentials", "maxAge") {
		return nil
	}
	return &gateway.CORS{
		AllowOrigins:     c.AllowOrigins,
		AllowMethods:     c.AllowMethods,
		AllowHeaders:     c.AllowHeaders,
		ExposeHeaders:    c.ExposeHeaders,
		AllowCredentials: c.AllowCredentials,
		MaxAge:           time.Duration(c.MaxAge) * time.Second,
	}
}

// responseBodyVars are the variables a gateway response body may use.
var responseBodyVars = []string{"$context.error.message", "$context.error.messageString", "$context.error.responseType", "$context.requestId"}

var vtlVar = regexp.MustCompile(`\$(?:context|input|util|stageVariables|method|request|integration)[A-Za-z0-9_.]*|\$\{[^}]*\}|#(?:set|if|foreach|elseif|else|end)\b`)

// gatewayResponses maps x-amazon-apigateway-gateway-responses.
func (im *importer) gatewayResponses(path string, v any) map[gateway.ResponseType]gateway.Response {
	var rs map[string]struct {
		StatusCode         any               `json:"statusCode"`
		ResponseParameters map[string]string `json:"responseParameters"`
		ResponseTemplates  map[string]string `json:"responseTemplates"`
	}
	if !im.decodeExt(path, v, &rs) {
		return nil
	}
	out := map[gateway.ResponseType]gateway.Response{}
	for _, name := range slices.Sorted(maps.Keys(rs)) {
		r, p := rs[name], dotted(path, name)
		t := gateway.ResponseType(name)
		if t.DefaultStatus() == 0 {
			im.warn(p, "response type %s is not one the gateway makes, ignored", name)
			continue
		}
		var resp gateway.Response
		resp.Status, resp.Header = im.statusAndHeaders(p, r.StatusCode, "ignored", r.ResponseParameters, "gatewayresponse.header.")
		if body, ct, ok := im.pickTemplate(p, r.ResponseTemplates); ok {
			bad := ""
			for _, m := range vtlVar.FindAllString(body, -1) {
				if !slices.Contains(responseBodyVars, m) {
					bad = m
					break
				}
			}
			if bad != "" {
				im.warn(p, "responseTemplates: %s is not supported (only %s), the default body is used", bad, strings.Join(responseBodyVars, ", "))
			} else {
				resp.Body = body
				if ct != "application/json" {
					if resp.Header == nil {
						resp.Header = http.Header{}
					}
					if resp.Header.Get("Content-Type") == "" {
						resp.Header.Set("Content-Type", ct)
					}
				}
			}
		}
		out[t] = resp
	}
	return out
}

// pickTemplate returns the application/json template of templates, or
// the only one, and its content type.
func (im *importer) pickTemplate(path string, templates map[string]string) (string, string, bool) {
	switch len(templates) {
	case 0:
		return "", "", false
	case 1:
		for ct, t := range templates {
			return t, ct, true
		}
	}
	ct := "application/json"
	if _, ok := templates[ct]; !ok {
		ct = slices.Sorted(maps.Keys(templates))[0]
	}
	var others []string
	for k := range templates {
		if k != ct {
			others = append(others, k)
		}
	}
	slices.Sort(others)
	im.warn(path, "responseTemplates: only one content type is supported; %s is used, %s ignored", ct, quoteList(others))
	return templates[ct], ct, true
}

// staticValue returns the value of a quoted literal mapping ('text').
func staticValue(s string) (string, bool) {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return s[1 : len(s)-1], true
	}
	return "", false
}

// policy maps x-amazon-apigateway-policy to a resource policy.
func (im *importer) policy(path string, v any) *auth.ResourcePolicy {
	var doc struct {
		Version   string `json:"Version"`
		Statement []map[string]json.RawMessage
	}
	if !im.decodeExt(path, v, &doc) {
		return nil
	}
	p := &auth.ResourcePolicy{Policy: auth.Policy{Version: doc.Version}}
	for i, raw := range doc.Statement {
		sp := fmt.Sprintf("%s.Statement.%d", path, i)
		var st auth.Statement
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &st); err != nil {
			im.warn(path, "the policy does not parse (%v): not imported, the API is served without a resource policy", err)
			return nil
		}
		for k, val := range raw {
			switch k {
			case "Effect", "Action", "Resource", "Condition", "Sid":
			case "Principal":
				var any1 any
				_ = json.Unmarshal(val, &any1)
				if s, ok := any1.(string); ok && s == "*" {
					continue
				}
				if m, ok := any1.(map[string]any); ok && len(m) == 1 && m["AWS"] == "*" {
					continue
				}
				im.warn(sp, "Principal %s: principals are not checked, the statement applies to every caller", string(val))
			default:
				im.warn(path, "statement %d uses %s, which is not supported: not imported, the API is served without a resource policy", i, k)
				return nil
			}
		}
		for j, r := range st.Resource {
			if rest, ok := strings.CutPrefix(r, "execute-api:/"); ok {
				st.Resource[j] = "arn:aws:execute-api:*:*:*/" + rest
			}
		}
		p.Policy.Statement = append(p.Policy.Statement, st)
	}
	if err := p.Validate(); err != nil {
		im.warn(path, "not imported, the API is served without a resource policy: %v", err)
		return nil
	}
	return p
}

// statusAndHeaders reads what a gateway response or a mock's response
// carries: its statusCode (0 when absent or not a status code, which is
// warned about, saying what happens instead: fallback) and its static
// header parameters (prefix + name: "'value'").
func (im *importer) statusAndHeaders(path string, statusCode any, fallback string, params map[string]string, prefix string) (int, http.Header) {
	status := 0
	if statusCode != nil {
		n, err := strconv.Atoi(fmt.Sprint(statusCode))
		if err != nil || n < 100 || n > 599 {
			im.warn(path, "statusCode %v is not a status code, %s", statusCode, fallback)
		} else {
			status = n
		}
	}
	var h http.Header
	for _, k := range slices.Sorted(maps.Keys(params)) {
		name, ok := strings.CutPrefix(k, prefix)
		val, static := staticValue(params[k])
		if !ok || !static {
			im.warn(path, "responseParameters %q: only static header values ('value') are supported, ignored", k)
			continue
		}
		if h == nil {
			h = http.Header{}
		}
		h.Set(name, val)
	}
	return status, h
}
