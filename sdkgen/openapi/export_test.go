package openapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/testenv"
	"github.com/gatekit/gatekit/sdkgen/openapi"
)

// A draft 4 model with a nested model and a nullable field, as users
// write them.
const (
	tagSchema  = `{"type": "object", "properties": {"name": {"type": "string"}}}`
	itemSchema = `{
		"$schema": "http://json-schema.org/draft-04/schema#",
		"type": "object",
		"required": ["sku"],
		"properties": {
			"sku": {"type": "string", "pattern": "^[A-Z0-9-]+$"},
			"note": {"type": ["string", "null"]},
			"tags": {"type": "array", "items": ` + tagSchema + `}
		}
	}`
)

// shop is a gateway with one of every kind of route the exporter writes.
func shop(t *testing.T) *gateway.Gateway {
	t.Helper()
	gw := gateway.New(gateway.WithAccount("eu-west-1", "123456789012"))
	t.Cleanup(func() { _ = gw.Close() })
	jwt, err := auth.NewJWT(auth.JWTConfig{Issuer: "https://issuer.example.com", Audiences: []string{"shop"}})
	if err != nil {
		t.Fatal(err)
	}
	must(t, gw.RegisterAuthorizer("jwt", jwt))
	must(t, gw.RegisterAuthorizer("sigv4", &auth.SigV4{Region: "eu-west-1", Credentials: auth.StaticCredentials{"AKID": {Secret: "s"}}}))
	must(t, gw.RegisterAuthorizer("custom", &auth.Custom{
		Token: func(context.Context, events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
			return events.APIGatewayCustomAuthorizerResponse{}, nil
		},
		IdentitySources: []string{"$request.header.X-Token"},
		ResultTTL:       time.Minute,
	}))
	must(t, gw.RegisterFunction("orders", &gateway.Mock{}))
	item := &gateway.Model{Name: "Item", Schema: itemSchema}
	fn := gateway.Function(func(context.Context, events.APIGatewayV2HTTPRequest) (string, error) { return "", nil })
	must(t, gw.AddAPI("/shop", &gateway.API{
		Name: "shop", Version: "2.1", Description: "The shop's items and files.",
		Routes: []gateway.Route{
			{Key: "GET /items", Integration: fn, Summary: "Lists the items.", Cache: &gateway.RouteCache{KeyParameters: []string{"querystring.limit"}},
				ResponseModel: &gateway.Model{Name: "ItemList", Schema: `{"type": "array", "items": ` + itemSchema + `}`},
				RequestParameters: []gateway.Parameter{
					{In: "querystring", Name: "limit", Type: "integer"},
					{In: "header", Name: "X-Trace", Required: true},
				}, Validate: gateway.ValidateParameters},
			{Key: "POST /items", OperationName: "addItem", Integration: gateway.FunctionNamed("orders"), Authorizer: "jwt",
				AuthorizationScopes: []string{"shop:write"}, RequestModel: item, ResponseModel: item, Validate: gateway.ValidateAll},
			{Key: "GET /items/{sku}", Integration: &gateway.HTTPProxy{URL: "http://${stageVariables.backend}/items/{sku}"},
				RequestParameters: []gateway.Parameter{{In: "path", Name: "sku", Required: true}},
				APIKeyRequired:    true, Authorizer: "sigv4", ResponseModel: &gateway.Model{Name: "Tag", Schema: tagSchema}},
			{Key: "ANY /files/{proxy+}", Integration: &gateway.HTTPProxy{URL: "http://${stageVariables.backend}/{proxy}"}, Authorizer: "custom", Timeout: 3 * time.Second},
			{Key: "GET /health", Integration: &gateway.Mock{Status: 203, Header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Up": {"yes"}}, Body: "ok"}},
			{Key: "$default", Integration: fn},
		},
		CORS:      &gateway.CORS{AllowOrigins: []string{"https://shop.example.com"}, AllowMethods: []string{"GET"}, MaxAge: time.Hour},
		Responses: map[gateway.ResponseType]gateway.Response{gateway.AccessDenied: {Status: 404, Body: `{"error":"no"}`}},
	}))
	d, err := gw.Deploy("shop", "v1")
	must(t, err)
	for _, st := range []string{"prod", "$default"} {
		must(t, gw.PutStage("shop", gateway.Stage{Name: st, DeploymentID: d.ID, Variables: map[string]string{"backend": "127.0.0.1:1"}}))
	}
	return gw
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// get reads a value from a document's JSON by a path of keys.
func get(t *testing.T, doc map[string]any, path ...string) any {
	t.Helper()
	var v any = doc
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %s is not an object", strings.Join(path, "."), k)
		}
		if v, ok = m[k]; !ok {
			t.Fatalf("the document has no %s (no %q)", strings.Join(path, "."), k)
		}
	}
	return v
}

func asJSON(t *testing.T, doc *openapi3.T) map[string]any {
	t.Helper()
	b, err := openapi.MarshalJSON(doc)
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(b, &m))
	return m
}

func TestExport(t *testing.T) {
	gw := shop(t)
	doc, err := openapi.Export(gw, "shop", "prod", openapi.ExportOptions{ServerURL: "https://api.example.com/"})
	must(t, err)
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("the document is not valid OpenAPI: %v", err)
	}
	m := asJSON(t, doc)
	for _, tt := range []struct {
		path []string
		want string // as JSON
	}{
		{[]string{"openapi"}, `"3.0.3"`},
		{[]string{"info"}, `{"description":"The shop's items and files.","title":"shop","version":"2.1"}`},
		{[]string{"servers"}, `[{"url":"https://api.example.com/shop/{stage}","variables":{"stage":{"default":"prod"}}}]`},
		// Operation names: given, or made from the key.
		{[]string{"paths", "/items", "get", "operationId"}, `"getItems"`},
		{[]string{"paths", "/items", "post", "operationId"}, `"addItem"`},
		{[]string{"paths", "/items/{sku}", "get", "operationId"}, `"getItemsBySku"`},
		{[]string{"paths", "/items", "get", "summary"}, `"Lists the items."`},
		// Parameters: declared ones with their types; path ones always.
		{[]string{"paths", "/items", "get", "parameters"}, `[{"in":"query","name":"limit","schema":{"type":"integer"}},{"in":"header","name":"X-Trace","required":true,"schema":{"type":"string"}}]`},
		{[]string{"paths", "/items/{sku}", "get", "parameters"}, `[{"in":"path","name":"sku","required":true,"schema":{"type":"string"}}]`},
		// Models: components, referenced; nested models referenced too;
		// draft 4's $schema gone, a null type made nullable.
		{[]string{"paths", "/items", "post", "requestBody"}, `{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item"}}},"required":true}`},
		{[]string{"paths", "/items", "get", "responses", "200", "content"}, `{"application/json":{"schema":{"$ref":"#/components/schemas/ItemList"}}}`},
		{[]string{"components", "schemas", "ItemList"}, `{"items":{"$ref":"#/components/schemas/Item"},"type":"array"}`},
		{[]string{"components", "schemas", "Item", "properties", "tags", "items"}, `{"$ref":"#/components/schemas/Tag"}`},
		{[]string{"components", "schemas", "Item", "properties", "note"}, `{"nullable":true,"type":"string"}`},
		{[]string{"components", "schemas", "Item", "required"}, `["sku"]`},
		{[]string{"paths", "/items", "get", "responses", "default", "content"}, `{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}`},
		// A mock's status and content type.
		{[]string{"paths", "/health", "get", "responses", "203", "content"}, `{"text/plain":{"schema":{"type":"string"}}}`},
		// Security: JWT as OpenID Connect with scopes, SigV4 as the managed
		// service marks it, API keys, a custom authorizer's header.
		{[]string{"paths", "/items", "post", "security"}, `[{"jwt":["shop:write"]}]`},
		{[]string{"paths", "/items/{sku}", "get", "security"}, `[{"api_key":[],"sigv4":[]}]`},
		{[]string{"components", "securitySchemes", "jwt"}, `{"description":"A JWT from https://issuer.example.com as a bearer token (Authorization: Bearer …).","openIdConnectUrl":"https://issuer.example.com/.well-known/openid-configuration","type":"openIdConnect"}`},
		{[]string{"components", "securitySchemes", "sigv4"}, `{"description":"AWS Signature Version 4.","in":"header","name":"Authorization","type":"apiKey","x-amazon-apigateway-authtype":"awsSigv4","x-gatekit-sigv4":{"region":"eu-west-1","service":"execute-api"}}`},
		{[]string{"components", "securitySchemes", "api_key"}, `{"in":"header","name":"x-api-key","type":"apiKey"}`},
		{[]string{"components", "securitySchemes", "custom", "name"}, `"X-Token"`},
		// ANY as the managed service writes it.
		{[]string{"paths", "/files/{proxy+}", "x-amazon-apigateway-any-method", "operationId"}, `"anyFilesByProxy"`},
	} {
		got, _ := json.Marshal(get(t, m, tt.path...))
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", strings.Join(tt.path, "."), got, tt.want)
		}
	}
	// Without the extensions: none of the managed service's, and no
	// $default route.
	b, _ := json.Marshal(m)
	for _, ext := range []string{"x-amazon-apigateway-integration", "x-amazon-apigateway-authorizer", "x-amazon-apigateway-cors", "/$default"} {
		if strings.Contains(string(b), ext) {
			t.Errorf("the document has %s without ExportOptions.AWS", ext)
		}
	}
	// The $default stage is served at the API's base path.
	def, err := openapi.Export(gw, "shop", "$default", openapi.ExportOptions{ServerURL: "https://api.example.com"})
	must(t, err)
	if got, _ := json.Marshal(def.Servers); string(got) != `[{"url":"https://api.example.com/shop/"}]` {
		t.Errorf("$default's servers: %s", got)
	}
}

func TestExportAWS(t *testing.T) {
	doc, err := openapi.Export(shop(t), "shop", "prod", openapi.ExportOptions{AWS: true})
	must(t, err)
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("the document is not valid OpenAPI: %v", err)
	}
	m := asJSON(t, doc)
	const fn = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:"
	for _, tt := range []struct {
		path []string
		want string
	}{
		{[]string{"servers"}, `[{"url":"http://localhost:8080/shop/{stage}","variables":{"stage":{"default":"prod"}}}]`},
		{[]string{"x-amazon-apigateway-importexport-version"}, `"1.0"`}, // an HTTP API
		{[]string{"paths", "/items", "get", "x-amazon-apigateway-integration", "cacheKeyParameters"}, `["method.request.querystring.limit"]`},
		// Integrations: a named function by its name, an in-process one by
		// the operation's; HTTP proxies with their path parameters; mocks.
		{[]string{"paths", "/items", "post", "x-amazon-apigateway-integration"}, `{"httpMethod":"POST","payloadFormatVersion":"2.0","type":"aws_proxy","uri":"` + fn + `orders/invocations"}`},
		{[]string{"paths", "/items", "get", "x-amazon-apigateway-integration", "uri"}, `"` + fn + `getItems/invocations"`},
		{[]string{"paths", "/items/{sku}", "get", "x-amazon-apigateway-integration"}, `{"httpMethod":"GET","payloadFormatVersion":"1.0","requestParameters":{"integration.request.path.sku":"method.request.path.sku"},"type":"http_proxy","uri":"http://${stageVariables.backend}/items/{sku}"}`},
		{[]string{"paths", "/files/{proxy+}", "x-amazon-apigateway-any-method", "x-amazon-apigateway-integration"}, `{"httpMethod":"ANY","payloadFormatVersion":"1.0","requestParameters":{"integration.request.path.proxy":"method.request.path.proxy"},"timeoutInMillis":3000,"type":"http_proxy","uri":"http://${stageVariables.backend}/{proxy}"}`},
		{[]string{"paths", "/health", "get", "x-amazon-apigateway-integration"}, `{"requestTemplates":{"application/json":"{\"statusCode\": 203}"},"responses":{"default":{"responseParameters":{"method.response.header.X-Up":"'yes'"},"responseTemplates":{"text/plain; charset=utf-8":"ok"},"statusCode":"203"}},"type":"mock"}`},
		{[]string{"paths", "/$default", "x-amazon-apigateway-any-method", "operationId"}, `"anyDefault"`},
		// Authorizers.
		{[]string{"components", "securitySchemes", "jwt", "x-amazon-apigateway-authorizer"}, `{"identitySource":"$request.header.Authorization","jwtConfiguration":{"audience":["shop"],"issuer":"https://issuer.example.com"},"type":"jwt"}`},
		{[]string{"components", "securitySchemes", "custom", "x-amazon-apigateway-authorizer"}, `{"authorizerResultTtlInSeconds":60,"authorizerUri":"` + fn + `custom/invocations","identitySource":"$request.header.X-Token","type":"token"}`},
		// Request validators.
		{[]string{"x-amazon-apigateway-request-validators"}, `{"all":{"validateRequestBody":true,"validateRequestParameters":true},"params-only":{"validateRequestBody":false,"validateRequestParameters":true}}`},
		{[]string{"paths", "/items", "get", "x-amazon-apigateway-request-validator"}, `"params-only"`},
		{[]string{"paths", "/items", "post", "x-amazon-apigateway-request-validator"}, `"all"`},
		// Gateway responses and CORS.
		{[]string{"x-amazon-apigateway-gateway-responses"}, `{"ACCESS_DENIED":{"responseTemplates":{"application/json":"{\"error\":\"no\"}"},"statusCode":"404"}}`},
		{[]string{"x-amazon-apigateway-cors"}, `{"allowMethods":["GET"],"allowOrigins":["https://shop.example.com"],"maxAge":3600}`},
	} {
		got, _ := json.Marshal(get(t, m, tt.path...))
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", strings.Join(tt.path, "."), got, tt.want)
		}
	}
}

// TestExportYAML: the YAML says what the JSON says.
func TestExportYAML(t *testing.T) {
	doc, err := openapi.Export(shop(t), "shop", "prod", openapi.ExportOptions{AWS: true})
	must(t, err)
	y, err := openapi.MarshalYAML(doc)
	must(t, err)
	if !strings.HasPrefix(string(y), "components:\n") || strings.Contains(string(y), `"properties":`) {
		t.Errorf("not block YAML:\n%.300s", y)
	}
	back, err := openapi3.NewLoader().LoadFromData(y)
	must(t, err)
	j1, _ := json.Marshal(asJSON(t, doc))
	j2, _ := json.Marshal(asJSON(t, back))
	if string(j1) != string(j2) {
		t.Errorf("YAML read back differs:\n%s\n%s", j1, j2)
	}
}

func TestExportErrors(t *testing.T) {
	gw := shop(t)
	for _, tt := range []struct{ api, stage, want string }{
		{"nope", "prod", `no API "nope"`},
		{"shop", "nope", `"nope"`},
	} {
		if _, err := openapi.Export(gw, tt.api, tt.stage, openapi.ExportOptions{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Export(%s, %s) = %v, want an error with %s", tt.api, tt.stage, err, tt.want)
		}
	}
	// Two routes with different models of one name.
	must(t, gw.AddAPI("/clash", &gateway.API{Name: "clash", Routes: []gateway.Route{
		{Key: "POST /a", Integration: &gateway.Mock{}, RequestModel: &gateway.Model{Name: "M", Schema: `{"type":"object"}`}},
		{Key: "POST /b", Integration: &gateway.Mock{}, RequestModel: &gateway.Model{Name: "M", Schema: `{"type":"string"}`}},
	}}))
	d, err := gw.Deploy("clash", "")
	must(t, err)
	must(t, gw.PutStage("clash", gateway.Stage{Name: "s", DeploymentID: d.ID}))
	_, err = openapi.Export(gw, "clash", "s", openapi.ExportOptions{})
	if err == nil || !strings.Contains(err.Error(), `model "M": route "POST /a" and route "POST /b" declare different schemas`) {
		t.Errorf("Export with clashing models: %v", err)
	}
}

// TestExportStage: a stage's export describes its own deployment, not
// the API's current definition.
func TestExportStage(t *testing.T) {
	gw := shop(t)
	must(t, gw.AddAPI("/shop", &gateway.API{Name: "shop", Routes: []gateway.Route{{Key: "GET /new", Integration: &gateway.Mock{}}}}))
	doc, err := openapi.Export(gw, "shop", "prod", openapi.ExportOptions{})
	must(t, err)
	if doc.Paths.Value("/new") != nil || doc.Paths.Value("/items") == nil {
		t.Errorf("prod's export has %v, want its deployment's routes", doc.Paths.InMatchingOrder())
	}
	// Without a Version, an export's version is when its deployment was
	// made, as the managed service writes it.
	d, err := gw.Deploy("shop", "unversioned")
	must(t, err)
	must(t, gw.PutStage("shop", gateway.Stage{Name: "dev", DeploymentID: d.ID}))
	doc, err = openapi.Export(gw, "shop", "dev", openapi.ExportOptions{})
	must(t, err)
	if want := d.CreatedAt.UTC().Format(time.RFC3339); doc.Info.Version != want {
		t.Errorf("info.version %q, want the deployment's time %q", doc.Info.Version, want)
	}
}

func TestOperationName(t *testing.T) {
	for _, tt := range []struct{ method, path, want string }{
		{"GET", "/pets", "getPets"},
		{"GET", "/pets/{id}", "getPetsById"},
		{"DELETE", "/users/{user}/keys/{key}", "deleteUsersByUserKeysAndKey"},
		{"ANY", "/files/{proxy+}", "anyFilesByProxy"},
		{"GET", "/", "getRoot"},
		{"POST", "/v2/order-items", "postV2OrderItems"},
	} {
		if got := openapi.OperationName(tt.method, tt.path); got != tt.want {
			t.Errorf("OperationName(%s, %s) = %s, want %s", tt.method, tt.path, got, tt.want)
		}
	}
}

// TestExportValidates checks exports with an independent validator:
// @apidevtools/swagger-parser under Node.js (the OpenAPI 3.0 JSON
// Schema, and references), JSON and YAML.
func TestExportValidates(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "validator"))
	must(t, err)
	node := testenv.Tool(t, "node", "apt-get install nodejs npm")
	testenv.NodeModules(t, dir, "@apidevtools/swagger-parser", "run `npm ci --prefix sdkgen/openapi/testdata/validator` at the repository's root")
	gw := shop(t)
	tmp := t.TempDir()
	var files []string
	for _, aws := range []bool{false, true} {
		for _, stage := range []string{"prod", "$default"} {
			doc, err := openapi.Export(gw, "shop", stage, openapi.ExportOptions{AWS: aws})
			must(t, err)
			j, err := openapi.MarshalJSON(doc)
			must(t, err)
			y, err := openapi.MarshalYAML(doc)
			must(t, err)
			base := filepath.Join(tmp, strings.Trim(stage, "$"))
			if aws {
				base += "-aws"
			}
			must(t, os.WriteFile(base+".json", j, 0o644))
			must(t, os.WriteFile(base+".yaml", y, 0o644))
			files = append(files, base+".json", base+".yaml")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{"validate.mjs"}, files...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node validate.mjs: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "valid "); n != len(files) {
		t.Errorf("validated %d documents, want %d:\n%s", n, len(files), out)
	}
}
