package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/route"
)

// sharedDocs holds the documents every import is tested with.
const sharedDocs = "../../../shared/testdata/openapi/"

func readDoc(t testing.TB, path string, subst map[string]string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for k, v := range subst {
		s = strings.ReplaceAll(s, k, v)
	}
	return []byte(s)
}

// backend is an HTTP backend that records what it got.
type backend struct {
	*httptest.Server
	mu  sync.Mutex
	got []string // "METHOD /path?query"
}

func newBackend(t *testing.T, tls bool) *backend {
	b := &backend{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.got = append(b.got, r.Method+" "+r.URL.RequestURI())
		b.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"backend":%q}`, r.URL.Path)
	})
	if tls {
		b.Server = httptest.NewTLSServer(h)
	} else {
		b.Server = httptest.NewServer(h)
	}
	t.Cleanup(b.Close)
	return b
}

func (b *backend) last() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.got) == 0 {
		return ""
	}
	return b.got[len(b.got)-1]
}

func (b *backend) host() string {
	u, _ := url.Parse(b.URL)
	return u.Host
}

// deploy registers im on gw, deploys it and serves it on the stage
// "prod" with vars.
func deploy(t *testing.T, gw *gateway.Gateway, im *Imported, vars map[string]string) {
	t.Helper()
	if err := im.Register(gw, ""); err != nil {
		t.Fatalf("Register: %v", err)
	}
	d, err := gw.Deploy(im.API.Name, "import")
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if err := gw.PutStage(im.API.Name, gateway.Stage{Name: "prod", DeploymentID: d.ID, Variables: vars}); err != nil {
		t.Fatalf("PutStage: %v", err)
	}
}

func serve(gw *gateway.Gateway, method, target, body string, header ...string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	gw.ServeHTTP(rec, req)
	return rec
}

func expect(t *testing.T, rec *httptest.ResponseRecorder, status int, bodyPart string) {
	t.Helper()
	if rec.Code != status || !strings.Contains(rec.Body.String(), bodyPart) {
		t.Errorf("got %d %s, want %d with %q", rec.Code, rec.Body.String(), status, bodyPart)
	}
}

// tokenAuthorizer allows "x-allow" and denies every other token.
func tokenAuthorizer(_ context.Context, req events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	effect := "Deny"
	if req.AuthorizationToken == "x-allow" {
		effect = "Allow"
	}
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: "user",
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{
			// The whole API: results are cached for other routes too.
			{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: []string{strings.SplitN(req.MethodArn, "/", 2)[0] + "/*"}},
		}},
	}, nil
}

// importCase is a document, what Import must make of it, and requests
// the deployed API must serve.
type importCase struct {
	name      string
	file      string
	subst     func(t *testing.T) (map[string]string, *backend) // placeholders to fill, and the backend they point at
	opts      ImportOptions
	kind      gateway.Kind
	routes    []string
	warnings  []string // the warnings' paths, in order
	need      []string
	functions []string
	// setup prepares gw before Register; vars are the stage's variables.
	setup func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) (vars map[string]string)
	check func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend)
}

var petstoreRoutes = []string{"GET /", "GET /pets", "OPTIONS /pets", "POST /pets", "GET /pets/{petId}", "OPTIONS /pets/{petId}"}

func uriBackend(t *testing.T) (map[string]string, *backend) {
	b := newBackend(t, false)
	return map[string]string{"${uri}": b.URL}, b
}

func importCases() []importCase {
	return []importCase{{
		name:   "petstore-swagger as is",
		file:   sharedDocs + "petstore-swagger.json",
		kind:   gateway.REST,
		routes: petstoreRoutes,
		warnings: []string{
			"x-amazon-apigateway-documentation",
			"paths./.get.x-amazon-apigateway-integration.responses.default", // $context.stage in the mock's HTML
			"paths./pets.get.x-amazon-apigateway-integration",               // integration responses
			"paths./pets.get.x-amazon-apigateway-integration",               // uri "${uri}"
			"paths./pets.post.x-amazon-apigateway-integration",
			"paths./pets.post.x-amazon-apigateway-integration",
			"paths./pets/{petId}.get.x-amazon-apigateway-integration",
			"paths./pets/{petId}.get.x-amazon-apigateway-integration",
		},
		check: func(t *testing.T, gw *gateway.Gateway, im *Imported, _ *backend) {
			// "${uri}" is a placeholder, not a URL: those routes answer 501.
			expect(t, serve(gw, "GET", "/prod/pets", ""), 501, "Not Implemented")
			rec := serve(gw, "GET", "/prod/", "")
			expect(t, rec, 200, "Welcome to your Pet Store API")
			if ct := rec.Header().Get("Content-Type"); ct != "text/html" {
				t.Errorf("Content-Type %q", ct)
			}
		},
	}, {
		name:   "petstore-swagger with ${uri}",
		file:   sharedDocs + "petstore-swagger.json",
		subst:  uriBackend,
		kind:   gateway.REST,
		routes: petstoreRoutes,
		warnings: []string{
			"x-amazon-apigateway-documentation",
			"paths./.get.x-amazon-apigateway-integration.responses.default",
			"paths./pets.get.x-amazon-apigateway-integration",
			"paths./pets.post.x-amazon-apigateway-integration",
			"paths./pets/{petId}.get.x-amazon-apigateway-integration",
		},
		check: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) {
			expect(t, serve(gw, "GET", "/prod/pets?type=dog", ""), 200, `"backend":"/"`)
			if got := b.last(); got != "GET /?type=dog" {
				t.Errorf("backend got %q", got)
			}
			expect(t, serve(gw, "GET", "/prod/pets/7", ""), 200, `"backend":"/7"`)
			expect(t, serve(gw, "POST", "/prod/pets", `{"type":"cat","price":1}`), 200, "backend")
			if got := b.last(); got != "POST /" {
				t.Errorf("backend got %q", got)
			}
			rec := serve(gw, "OPTIONS", "/prod/pets", "")
			expect(t, rec, 200, "")
			if got := rec.Header().Get("Access-Control-Allow-Methods"); got != "POST,GET,OPTIONS" {
				t.Errorf("Access-Control-Allow-Methods %q", got)
			}
			rt := findRoute(t, im, "POST /pets")
			if rt.OperationName != "CreatePet" || rt.Summary != "Create a pet" || rt.RequestModel == nil || rt.RequestModel.Name != "NewPet" || rt.ResponseModel.Name != "NewPetResponse" {
				t.Errorf("POST /pets: %+v", rt)
			}
			// PetType is inlined into NewPet.
			if !strings.Contains(rt.RequestModel.Schema, `"enum":["dog","cat","fish","bird","gecko"]`) || !strings.Contains(rt.RequestModel.Schema, draft4URI) {
				t.Errorf("NewPet: %s", rt.RequestModel.Schema)
			}
			params := findRoute(t, im, "GET /pets").RequestParameters
			want := []gateway.Parameter{{In: "querystring", Name: "type", Type: "string"}, {In: "querystring", Name: "page", Type: "string"}}
			if !slices.Equal(params, want) {
				t.Errorf("GET /pets parameters %+v", params)
			}
		},
	}, {
		name:  "petstore-authorizer",
		file:  sharedDocs + "petstore-authorizer.swagger.json",
		subst: uriBackend,
		opts: ImportOptions{Name: "authorized", Authorizers: map[string]*auth.Custom{
			"function-name": {Token: tokenAuthorizer},
		}},
		kind:   gateway.REST,
		routes: petstoreRoutes,
		warnings: []string{
			"x-amazon-apigateway-documentation",
			"securityDefinitions.test-authorizer.x-amazon-apigateway-authorizer", // authorizerCredentials
			"paths./.get.x-amazon-apigateway-integration.responses.default",
			"paths./pets.get.x-amazon-apigateway-integration",
			"paths./pets.post.x-amazon-apigateway-integration",
			"paths./pets/{petId}.get.x-amazon-apigateway-integration",
			"securityDefinitions.test-authorizer-not-used",
		},
		check: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) {
			if im.API.Name != "authorized" {
				t.Errorf("Name %q", im.API.Name)
			}
			c, ok := im.Authorizers["test-authorizer"].(*auth.Custom)
			if !ok || len(im.Authorizers) != 1 {
				t.Fatalf("Authorizers %v", im.Authorizers)
			}
			if !slices.Equal(c.IdentitySources, []string{"$request.header.Authorization"}) || c.ValidationExpression != "^x-[a-z]+" || c.ResultTTL != 60*time.Second {
				t.Errorf("custom authorizer: %v %q %v", c.IdentitySources, c.ValidationExpression, c.ResultTTL)
			}
			expect(t, serve(gw, "GET", "/prod/", "", "Authorization", "x-allow"), 200, "Pet Store")
			expect(t, serve(gw, "GET", "/prod/", "", "Authorization", "x-deny"), 403, "")
			expect(t, serve(gw, "GET", "/prod/", "", "Authorization", "Bearer abc"), 401, "Unauthorized") // fails the validation expression
			expect(t, serve(gw, "GET", "/prod/", ""), 401, "Unauthorized")
			expect(t, serve(gw, "GET", "/prod/pets", "", "Authorization", "x-allow"), 200, "backend")
			expect(t, serve(gw, "GET", "/prod/pets/1", ""), 200, "backend") // no security
		},
	}, {
		name: "stage variables",
		file: sharedDocs + "openapi.spec.stage-variables.json",
		subst: func(t *testing.T) (map[string]string, *backend) {
			return nil, newBackend(t, true)
		},
		kind:     gateway.HTTP,
		routes:   []string{"GET /path1"},
		warnings: []string{"paths./path1.get.x-amazon-apigateway-integration"}, // httpMethod POST
		setup: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) map[string]string {
			return map[string]string{"TestHost": b.host(), "testPath": "hello", "querystring": "a=b"}
		},
		check: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) {
			expect(t, serve(gw, "GET", "/prod/path1?c=d", ""), 200, `"backend":"/hello"`)
			if got := b.last(); got != "GET /hello?a=b&c=d" {
				t.Errorf("backend got %q", got)
			}
		},
	}, {
		name:      "features",
		file:      "testdata/import/features.yaml",
		subst:     func(t *testing.T) (map[string]string, *backend) { return nil, newBackend(t, false) },
		kind:      gateway.REST,
		routes:    []string{"ANY /files/{proxy+}", "GET /health", "GET /legacy", "PUT /people", "POST /pets", "GET /pets/{petId}"},
		need:      []string{"sigv4"},
		functions: []string{"${stageVariables.petsFn}"},
		warnings: []string{
			"x-amazon-apigateway-binary-media-types",
			"x-amazon-apigateway-gateway-responses.BAD_REQUEST_BODY", // $context.error.validationErrorString
			"x-amazon-apigateway-gateway-responses.WAF_FILTERED",
			"components.securitySchemes.sigv4",
			"paths./legacy.get.x-amazon-apigateway-integration", // aws
			"paths./pets/{petId}.get.parameters.session",        // cookie
		},
		setup: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) map[string]string {
			err := gw.RegisterFunction("pets-beta", gateway.Function(func(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
				return events.APIGatewayProxyResponse{StatusCode: 201, Body: "created " + req.Body}, nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			// SigV4 cannot come from the document: Register wants it first.
			if err := im.Register(gateway.New(), ""); err == nil || !strings.Contains(err.Error(), `"sigv4"`) {
				t.Errorf("Register without sigv4: %v", err)
			}
			sig := auth.AuthorizerFunc(func(_ context.Context, r *auth.Request) (*auth.Identity, error) {
				if r.HTTP.Header.Get("Authorization") == "AWS4-HMAC-SHA256 test" {
					return &auth.Identity{Kind: "sigv4", Principal: "tester"}, nil
				}
				return nil, auth.ErrUnauthorized
			})
			if err := gw.RegisterAuthorizer("sigv4", sig); err != nil {
				t.Fatal(err)
			}
			return map[string]string{"petsFn": "pets-beta", "backend": b.host()}
		},
		check: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) {
			_, key, err := gw.APIKeys().Create(context.Background(), "tester", "")
			if err != nil {
				t.Fatal(err)
			}
			rec := serve(gw, "POST", "/prod/pets", `{"name":"rex"}`)
			expect(t, rec, 403, `{"error":"Forbidden","type":"INVALID_API_KEY"}`) // DEFAULT_4XX's template
			if rec.Header().Get("X-Gateway-Error") != "yes" {
				t.Errorf("DEFAULT_4XX header missing: %v", rec.Header())
			}
			expect(t, serve(gw, "POST", "/prod/pets", `{"name":"rex"}`, "X-Api-Key", key), 201, `created {"name":"rex"}`)
			expect(t, serve(gw, "POST", "/prod/pets", `{"tag":null}`, "X-Api-Key", key), 422, "name") // BAD_REQUEST_BODY's status
			expect(t, serve(gw, "GET", "/prod/pets/42?verbose=true", ""), 200, "/v1/pets/42")
			if got := b.last(); got != "GET /v1/pets/42?verbose=true" {
				t.Errorf("backend got %q", got)
			}
			expect(t, serve(gw, "GET", "/prod/pets/abc", ""), 400, "petId") // the document's default validator
			rec = serve(gw, "GET", "/prod/health", "")
			expect(t, rec, 200, `{"ok":true}`)
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("mock headers %v", rec.Header())
			}
			expect(t, serve(gw, "GET", "/prod/legacy", ""), 501, "Not Implemented")
			expect(t, serve(gw, "PUT", "/prod/people", `{"friends":[{"name":"a","friends":[]}]}`), 204, "")
			expect(t, serve(gw, "DELETE", "/prod/files/a/b", ""), 401, "")

			post := findRoute(t, im, "POST /pets")
			if post.Timeout != 5*time.Second || !post.APIKeyRequired || post.Validate != gateway.ValidateAll || post.Summary != "Add a pet" {
				t.Errorf("POST /pets: %+v", post)
			}
			if !strings.Contains(post.RequestModel.Schema, `"tag":{"type":["string","null"]}`) || strings.Contains(post.RequestModel.Schema, "example") {
				t.Errorf("NewPet: %s", post.RequestModel.Schema)
			}
			get := findRoute(t, im, "GET /pets/{petId}")
			if get.Cache == nil || !slices.Equal(get.Cache.KeyParameters, []string{"querystring.verbose"}) {
				t.Errorf("GET /pets/{petId} cache %+v", get.Cache)
			}
			if p, ok := get.Integration.(*gateway.HTTPProxy); !ok || p.URL != "http://${stageVariables.backend}/v1/pets/{petId}" {
				t.Errorf("GET /pets/{petId} integration %#v", get.Integration)
			}
			person := findRoute(t, im, "PUT /people").RequestModel
			if person == nil || !strings.Contains(person.Schema, `"$ref":"#/definitions/Person"`) {
				t.Errorf("recursive model: %+v", person)
			}
			if im.API.Responses[gateway.BadRequestBody].Status != 422 {
				t.Errorf("Responses %+v", im.API.Responses)
			}
		},
	}, {
		name:      "HTTP API",
		file:      "testdata/import/httpapi.yaml",
		kind:      gateway.HTTP,
		routes:    []string{"$default", "GET /orders", "GET /orders/{id}"},
		functions: []string{"orders"},
		warnings:  []string{"paths./orders/{id}.get.x-amazon-apigateway-integration"}, // the qualifier :live
		setup: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) map[string]string {
			err := gw.RegisterFunction("orders", gateway.Function(func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "order " + req.PathParameters["id"]}, nil
			}))
			if err != nil {
				t.Fatal(err)
			}
			return nil
		},
		check: func(t *testing.T, gw *gateway.Gateway, im *Imported, b *backend) {
			expect(t, serve(gw, "GET", "/prod/orders/7", ""), 200, "order 7")
			expect(t, serve(gw, "GET", "/prod/orders", ""), 401, "Unauthorized")
			rec := serve(gw, "OPTIONS", "/prod/orders", "", "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET")
			if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" || rec.Header().Get("Access-Control-Max-Age") != "600" {
				t.Errorf("preflight: %d %v", rec.Code, rec.Header())
			}
			j, ok := im.Authorizers["jwt"].(*auth.JWT)
			if !ok {
				t.Fatalf("Authorizers %v", im.Authorizers)
			}
			if cfg := j.Config(); cfg.Issuer != "https://issuer.example.com" || !slices.Equal(cfg.Audiences, []string{"orders"}) {
				t.Errorf("JWT config %+v", cfg)
			}
			list := findRoute(t, im, "GET /orders")
			if list.Authorizer != "jwt" || !slices.Equal(list.AuthorizationScopes, []string{"orders/read"}) || list.Timeout != 3*time.Second {
				t.Errorf("GET /orders: %+v", list)
			}
			if p, ok := findRoute(t, im, "$default").Integration.(*gateway.HTTPProxy); !ok || p.URL != "https://legacy.example.com/" {
				t.Errorf("$default integration %#v", findRoute(t, im, "$default").Integration)
			}
		},
	}}
}

func findRoute(t *testing.T, im *Imported, key string) gateway.Route {
	t.Helper()
	for _, rt := range im.API.Routes {
		if rt.Key == key {
			return rt
		}
	}
	t.Fatalf("no route %q", key)
	return gateway.Route{}
}

func routeKeys(api gateway.API) []string {
	var keys []string
	for _, rt := range api.Routes {
		keys = append(keys, rt.Key)
	}
	return keys
}

func warningPaths(ws []Warning) []string {
	var paths []string
	for _, w := range ws {
		paths = append(paths, w.Path)
	}
	return paths
}

// importAndServe imports c's document and deploys it on a new gateway.
func importAndServe(t *testing.T, c importCase) (*gateway.Gateway, *Imported, *backend) {
	t.Helper()
	var subst map[string]string
	var b *backend
	if c.subst != nil {
		subst, b = c.subst(t)
	}
	im, err := Import(readDoc(t, c.file, subst), c.opts)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	var opts []gateway.Option
	if b != nil {
		opts = append(opts, gateway.WithTransport(b.Client().Transport))
	}
	gw := gateway.New(append(opts, gateway.WithLogger(slog.New(slog.DiscardHandler)))...)
	t.Cleanup(func() { gw.Close() })
	var vars map[string]string
	if c.setup != nil {
		vars = c.setup(t, gw, im, b)
	}
	deploy(t, gw, im, vars)
	return gw, im, b
}

func TestImport(t *testing.T) {
	for _, c := range importCases() {
		t.Run(c.name, func(t *testing.T) {
			gw, im, b := importAndServe(t, c)
			for _, w := range im.Warnings {
				t.Logf("warning: %s", w)
			}
			if im.API.Kind != c.kind {
				t.Errorf("Kind %v, want %v", im.API.Kind, c.kind)
			}
			if got := routeKeys(im.API); !sameSet(got, c.routes) {
				t.Errorf("routes %q, want %q", got, c.routes)
			}
			if got := warningPaths(im.Warnings); !slices.Equal(got, c.warnings) {
				t.Errorf("warnings at\n%q, want\n%q", got, c.warnings)
			}
			if !slices.Equal(im.NeedAuthorizers, c.need) {
				t.Errorf("NeedAuthorizers %q, want %q", im.NeedAuthorizers, c.need)
			}
			if !slices.Equal(im.Functions, c.functions) {
				t.Errorf("Functions %q, want %q", im.Functions, c.functions)
			}
			c.check(t, gw, im, b)
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestImportStrict(t *testing.T) {
	data := readDoc(t, sharedDocs+"petstore-swagger.json", nil)
	_, err := Import(data, ImportOptions{Strict: true})
	if err == nil || !strings.Contains(err.Error(), "openapi: strict import: 8 warning(s)") ||
		!strings.Contains(err.Error(), "x-amazon-apigateway-documentation: extension not supported") {
		t.Errorf("strict petstore: %v", err)
	}
	clean := `{"openapi":"3.0.3","info":{"title":"clean","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}},
		"x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"},"responses":{"default":{"statusCode":"200"}}}}}}}`
	im, err := Import([]byte(clean), ImportOptions{Strict: true})
	if err != nil || len(im.Warnings) != 0 {
		t.Fatalf("strict clean document: %v", err)
	}
}

func TestImportErrors(t *testing.T) {
	const info = `"info":{"title":"t","version":"1"}`
	op := func(schemaRef string) string {
		return `{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"` + schemaRef + `"}}}}}}}`
	}
	tests := []struct {
		name, doc string
		opts      ImportOptions
		want      []string
	}{
		{"not a document", `{{{`, ImportOptions{}, []string{"openapi: the document does not load"}},
		{"no version", `{"info":{"title":"t"}}`, ImportOptions{}, []string{`openapi: the document has neither`}},
		{"OpenAPI 3.1", `{"openapi":"3.1.0",` + info + `,"paths":{}}`, ImportOptions{}, []string{`openapi "3.1.0": only OpenAPI 3.0 and Swagger 2.0`}},
		{"Swagger 1.2", `{"swagger":"1.2",` + info + `,"paths":{}}`, ImportOptions{}, []string{`swagger "1.2"`}},
		{"unresolved $ref", `{"openapi":"3.0.3",` + info + `,"paths":{"/a":` + op("#/components/schemas/Nope") + `}}`, ImportOptions{},
			[]string{`openapi: unresolved $ref "#/components/schemas/Nope"`}},
		{"unresolved $ref, Swagger 2.0", `{"swagger":"2.0",` + info + `,"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Nope"}}}}}}}`, ImportOptions{},
			[]string{`openapi: unresolved $ref "#/definitions/Nope"`}},
		{"unresolved $ref in YAML", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/gone'\n      responses: {'200': {description: ok}}\n", ImportOptions{},
			[]string{`unresolved $ref "#/components/parameters/gone"`}},
		{"unresolved $ref in any-method", `{"openapi":"3.0.3",` + info + `,"paths":{"/a":{"x-amazon-apigateway-any-method":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Gone"}}}}}}}}}`, ImportOptions{},
			[]string{`unresolved $ref "#/components/schemas/Gone"`}},
		{"unresolved integration $ref", `{"openapi":"3.0.3",` + info + `,"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}},"x-amazon-apigateway-integration":{"$ref":"#/components/x-amazon-apigateway-integrations/nope"}}}}}`, ImportOptions{},
			[]string{`unresolved $ref "#/components/x-amazon-apigateway-integrations/nope"`}},
		{"invalid model", `{"openapi":"3.0.3",` + info + `,"paths":{"/a":` + op("#/components/schemas/Broken") + `},
			"components":{"schemas":{"Broken":{"type":"object","properties":{"code":{"type":"string","pattern":"(["}}}}}}`, ImportOptions{},
			[]string{`openapi: model "Broken"`}},
		{"invalid model type", `{"openapi":"3.0.3",` + info + `,"paths":{"/a":` + op("#/components/schemas/Odd") + `},
			"components":{"schemas":{"Odd":{"type":"objekt"}}}}`, ImportOptions{},
			[]string{`openapi: model "Odd"`}},
		{"custom authorizer not bound", string(readDoc(t, sharedDocs+"petstore-authorizer.swagger.json", nil)), ImportOptions{},
			[]string{`openapi: security scheme "test-authorizer"`, `calls the function "function-name"`, `ImportOptions.Authorizers["function-name"]`}},
		{"custom authorizer of the wrong kind", string(readDoc(t, sharedDocs+"petstore-authorizer.swagger.json", nil)),
			ImportOptions{Authorizers: map[string]*auth.Custom{"test-authorizer": {Request: func(context.Context, events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
				return events.APIGatewayCustomAuthorizerResponse{}, nil
			}}}},
			[]string{`a TOKEN authorizer`, `must set Token`}},
		{"bad JWT authorizer", `{"openapi":"3.0.3",` + info + `,"paths":{"/a":{"get":{"security":[{"jwt":[]}],"responses":{"200":{"description":"ok"}}}}},
			"components":{"securitySchemes":{"jwt":{"type":"oauth2","flows":{},"x-amazon-apigateway-authorizer":{"type":"jwt","jwtConfiguration":{"issuer":"https://issuer.example.com"}}}}}}`, ImportOptions{},
			[]string{`openapi: security scheme "jwt"`, "Audiences"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := Import([]byte(tt.doc), tt.opts)
			if err == nil {
				t.Fatalf("no error; warnings %v", im.Warnings)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestImportMappings checks single mappings on small documents.
func TestImportMappings(t *testing.T) {
	const head = `openapi: 3.0.3
info: {title: t, version: "1"}
`
	custom := &auth.Custom{Request: func(context.Context, events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		return events.APIGatewayCustomAuthorizerResponse{}, nil
	}}
	tests := []struct {
		name     string
		doc      string
		opts     ImportOptions
		warnings []string // substrings of the warnings, in order
		check    func(t *testing.T, im *Imported)
	}{{
		name: "request authorizer",
		doc: head + `paths:
  /a:
    get:
      security: [{lambda: []}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock}
components:
  securitySchemes:
    lambda:
      type: apiKey
      name: Unused
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: request
        authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:authz:prod/invocations
        identitySource: method.request.header.Auth, method.request.querystring.tok, stageVariables.realm, context.sourceIp
        authorizerResultTtlInSeconds: 0
`,
		opts:     ImportOptions{Authorizers: map[string]*auth.Custom{"authz": custom}},
		warnings: []string{`qualifier "prod" is dropped`},
		check: func(t *testing.T, im *Imported) {
			c := im.Authorizers["lambda"].(*auth.Custom)
			want := []string{"$request.header.Auth", "$request.querystring.tok", "$stageVariables.realm", "$context.sourceIp"}
			if !slices.Equal(c.IdentitySources, want) || c.ResultTTL >= 0 || c.Request == nil || c == custom {
				t.Errorf("custom: %v %v", c.IdentitySources, c.ResultTTL)
			}
		},
	}, {
		name: "Swagger 2.0 any-method, AWS_IAM, alternatives and api_key",
		doc: `swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /things/{id}:
    x-amazon-apigateway-any-method:
      parameters:
        - {name: id, in: path, required: true, type: integer}
        - {name: body, in: body, schema: {$ref: "#/definitions/Thing"}}
      security: [{api_key: [], other: []}, {}]
      responses: {"200": {description: ok, schema: {$ref: "#/definitions/Thing"}}}
      x-amazon-apigateway-auth: {type: AWS_IAM}
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: arn:aws:lambda:us-east-1:1:function:things
securityDefinitions:
  api_key: {type: apiKey, name: api_key, in: header}
  other: {type: basic}
definitions:
  Thing: {type: object, properties: {id: {type: integer}}}
`,
		warnings: []string{
			"only \"api_key\", \"other\" is applied",
			`API keys are read from the x-api-key header, not from header "api_key"`,
			`HTTP basic authentication`,
			`AWS_IAM needs SigV4`,
		},
		check: func(t *testing.T, im *Imported) {
			rt := findRoute(t, im, "ANY /things/{id}")
			if rt.Authorizer != "sigv4" || !rt.APIKeyRequired || rt.RequestModel.Name != "Thing" || rt.ResponseModel.Name != "Thing" {
				t.Errorf("route %+v", rt)
			}
			if !slices.Equal(rt.RequestParameters, []gateway.Parameter{{In: "path", Name: "id", Required: true, Type: "integer"}}) {
				t.Errorf("parameters %+v", rt.RequestParameters)
			}
			if !slices.Equal(im.NeedAuthorizers, []string{"other", "sigv4"}) {
				t.Errorf("NeedAuthorizers %q", im.NeedAuthorizers)
			}
		},
	}, {
		name: "integration mappings",
		doc: head + `paths:
  /u/{user}/items/{item}:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http
        httpMethod: GET
        uri: https://backend.example.com/{tenant}/{u}/{item}
        passthroughBehavior: never
        requestParameters:
          integration.request.path.tenant: "'acme'"
          integration.request.path.u: method.request.path.user
          integration.request.header.X-Trace: method.request.header.X-Request-Id
        requestTemplates: {application/json: "$input.body"}
    delete:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http_proxy
        uri: https://backend.example.com/{missing}
    put:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http_proxy
        connectionType: VPC_LINK
        connectionId: abc
        uri: http://nlb.internal/
    post:
      responses: {"200": {description: ok}}
    patch:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 404}'}
        responses:
          "404": {statusCode: "404", responseTemplates: {application/json: '{"message":"none"}'}}
          default: {statusCode: "200"}
    trace:
      responses: {"200": {description: ok}}
`,
		warnings: []string{
			`{missing} is neither a path parameter`,
			`requestParameters "integration.request.header.X-Trace"`,
			"mapping templates are not supported",
			"passthroughBehavior never",
			"no x-amazon-apigateway-integration",
			"VPC links",
			"method TRACE is not supported",
		},
		check: func(t *testing.T, im *Imported) {
			get := findRoute(t, im, "GET /u/{user}/items/{item}")
			if p, ok := get.Integration.(*gateway.HTTPProxy); !ok || p.URL != "https://backend.example.com/acme/{user}/{item}" {
				t.Errorf("GET integration %#v", get.Integration)
			}
			for _, key := range []string{"DELETE /u/{user}/items/{item}", "PUT /u/{user}/items/{item}", "POST /u/{user}/items/{item}"} {
				if m, ok := findRoute(t, im, key).Integration.(*gateway.Mock); !ok || m.Status != 501 {
					t.Errorf("%s: %#v", key, findRoute(t, im, key).Integration)
				}
			}
			if m, ok := findRoute(t, im, "PATCH /u/{user}/items/{item}").Integration.(*gateway.Mock); !ok || m.Status != 404 || m.Body != `{"message":"none"}` {
				t.Errorf("PATCH mock %#v", m)
			}
			if len(im.API.Routes) != 5 {
				t.Errorf("routes %q", routeKeys(im.API))
			}
		},
	}, {
		name: "models, parameters and policy",
		doc: head + `x-amazon-apigateway-policy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal: "*"
      Action: execute-api:Invoke
      Resource: execute-api:/*
    - Effect: Deny
      Principal: {AWS: "arn:aws:iam::1:root"}
      Action: execute-api:Invoke
      Resource: execute-api:/*/DELETE/*
      Condition: {NotIpAddress: {aws:SourceIp: ["10.0.0.0/8"]}}
x-logo: {url: x}
paths:
  /forms:
    post:
      operationId: send form
      parameters:
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: X-Count, in: header, required: true, schema: {type: integer, nullable: true}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  level: {type: string, enum: [a, b], nullable: true}
      x-amazon-apigateway-integration: {type: mock}
`,
		warnings: []string{
			`Principal {"AWS":"arn:aws:iam::1:root"}`,
			"x-logo",
			"type array",
			"only JSON bodies have models",
		},
		check: func(t *testing.T, im *Imported) {
			rt := findRoute(t, im, "POST /forms")
			if rt.RequestModel != nil || rt.ResponseModel == nil || rt.ResponseModel.Name != "SendformResponse" {
				t.Errorf("models %+v %+v", rt.RequestModel, rt.ResponseModel)
			}
			if s := rt.ResponseModel.Schema; !strings.Contains(s, `"enum":["a","b",null]`) || !strings.Contains(s, `"type":["string","null"]`) {
				t.Errorf("response model %s", s)
			}
			want := []gateway.Parameter{{In: "querystring", Name: "tags"}, {In: "header", Name: "X-Count", Required: true, Type: "integer"}}
			if !slices.Equal(rt.RequestParameters, want) {
				t.Errorf("parameters %+v", rt.RequestParameters)
			}
			p := im.API.ResourcePolicy
			if p == nil || len(p.Policy.Statement) != 2 || p.Policy.Statement[1].Resource[0] != "arn:aws:execute-api:*:*:*/*/DELETE/*" {
				t.Fatalf("policy %+v", p)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := Import([]byte(tt.doc), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(im.Warnings) != len(tt.warnings) {
				t.Errorf("%d warnings, want %d", len(im.Warnings), len(tt.warnings))
			}
			for i, w := range im.Warnings {
				t.Logf("warning: %s", w)
				if i < len(tt.warnings) && !strings.Contains(w.String(), tt.warnings[i]) {
					t.Errorf("warning %d %q does not contain %q", i, w, tt.warnings[i])
				}
			}
			tt.check(t, im)
			// What Import makes always deploys.
			gw := gateway.New(gateway.WithLogger(slog.New(slog.DiscardHandler)))
			defer gw.Close()
			for _, name := range im.NeedAuthorizers {
				_ = gw.RegisterAuthorizer(name, auth.AuthorizerFunc(func(context.Context, *auth.Request) (*auth.Identity, error) { return nil, auth.ErrUnauthorized }))
			}
			for _, fn := range im.Functions {
				_ = gw.RegisterFunction(fn, &gateway.Mock{})
			}
			if err := im.Register(gw, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := gw.Deploy(im.API.Name, ""); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestImportWarningString(t *testing.T) {
	w := Warning{Path: "paths./a.get", Message: "m"}
	if w.String() != "paths./a.get: m" {
		t.Error(w.String())
	}
}

// describeAuthorizers lists the authorizers' configurations.
func describeAuthorizers(as map[string]auth.Authorizer) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(as)) {
		switch a := as[name].(type) {
		case *auth.JWT:
			cfg := a.Config()
			out = append(out, fmt.Sprintf("%s: jwt %s %q %s", name, cfg.Issuer, cfg.Audiences, cfg.IdentitySource))
		case *auth.Custom:
			out = append(out, fmt.Sprintf("%s: custom token=%v %q %q %v", name, a.Token != nil, a.IdentitySources, a.ValidationExpression, a.ResultTTL))
		default:
			out = append(out, fmt.Sprintf("%s: %T", name, a))
		}
	}
	return out
}

// describe lists what an API does, one line per fact, for comparisons.
func describe(api gateway.API) []string {
	out := []string{fmt.Sprintf("API kind=%v cors=%+v", api.Kind, api.CORS)}
	for _, typ := range slices.Sorted(maps.Keys(api.Responses)) {
		r := api.Responses[typ]
		out = append(out, fmt.Sprintf("response %s status=%d header=%v body=%q", typ, r.Status, r.Header, r.Body))
	}
	if api.ResourcePolicy != nil {
		out = append(out, fmt.Sprintf("policy %+v", api.ResourcePolicy.Policy))
	}
	routes := slices.Clone(api.Routes)
	slices.SortFunc(routes, func(a, b gateway.Route) int { return strings.Compare(a.Key, b.Key) })
	for _, rt := range routes {
		var in string
		switch it := rt.Integration.(type) {
		case *gateway.HTTPProxy:
			in = "proxy " + it.URL
		case *gateway.Mock:
			in = fmt.Sprintf("mock %d %v %q", it.Status, it.Header, it.Body)
		default:
			name, _ := gateway.FunctionName(it)
			in = "function " + name
		}
		params := slices.Clone(rt.RequestParameters)
		slices.SortFunc(params, func(a, b gateway.Parameter) int { return strings.Compare(a.In+a.Name, b.In+b.Name) })
		model := func(m *gateway.Model) string {
			if m == nil {
				return "-"
			}
			var v any
			_ = json.Unmarshal([]byte(m.Schema), &v)
			b, _ := json.Marshal(v)
			return m.Name + " " + string(b)
		}
		op := rt.OperationName
		if op == "" { // the gateway's default, which Export writes
			k, _ := route.ParseKey(rt.Key)
			if k.IsDefault() {
				k = route.Key{Method: "ANY", Path: "/$default"}
			}
			op = OperationName(k.Method, k.Path)
		}
		out = append(out,
			fmt.Sprintf("%s: op=%q summary=%q integration=%s", rt.Key, op, rt.Summary, in),
			fmt.Sprintf("%s: authorizer=%q scopes=%q apiKey=%v validate=%q timeout=%v cache=%+v", rt.Key, rt.Authorizer, rt.AuthorizationScopes, rt.APIKeyRequired, rt.Validate, rt.Timeout, rt.Cache),
			fmt.Sprintf("%s: params=%+v", rt.Key, params),
			fmt.Sprintf("%s: request=%s", rt.Key, model(rt.RequestModel)),
			fmt.Sprintf("%s: response=%s", rt.Key, model(rt.ResponseModel)))
	}
	return out
}

func TestImportExportRoundTrip(t *testing.T) {
	for _, c := range importCases() {
		t.Run(c.name, func(t *testing.T) {
			gw, im, _ := importAndServe(t, c)
			if gw.Authorizer("sigv4") != nil {
				// The cases stand a function in for SigV4; Export
				// describes the authorizer registered.
				sig := &auth.SigV4{Region: "local", Credentials: auth.StaticCredentials{"AKID": {Secret: "s"}}}
				if err := gw.RegisterAuthorizer("sigv4", sig); err != nil {
					t.Fatal(err)
				}
			}
			doc, err := Export(gw, im.API.Name, "prod", ExportOptions{AWS: true})
			if err != nil {
				t.Fatalf("Export: %v", err)
			}
			data, err := MarshalYAML(doc)
			if err != nil {
				t.Fatal(err)
			}
			opts := c.opts
			opts.Authorizers = map[string]*auth.Custom{}
			for name, a := range im.Authorizers {
				if cu, ok := a.(*auth.Custom); ok {
					opts.Authorizers[name] = cu
				}
			}
			im2, err := Import(data, opts)
			if err != nil {
				t.Fatalf("Import of the export: %v\n%s", err, data)
			}
			for _, w := range im2.Warnings {
				t.Logf("warning: %s", w)
			}
			// Stable: the re-imported API exports as the same document.
			gw2 := gateway.New(gateway.WithLogger(slog.New(slog.DiscardHandler)))
			defer gw2.Close()
			for _, name := range im2.NeedAuthorizers {
				if err := gw2.RegisterAuthorizer(name, gw.Authorizer(name)); err != nil {
					t.Fatal(err)
				}
			}
			for _, fn := range []string{"pets-beta", "orders"} {
				_ = gw2.RegisterFunction(fn, &gateway.Mock{})
			}
			st, err := gw.GetStage(im.API.Name, "prod")
			if err != nil {
				t.Fatal(err)
			}
			deploy(t, gw2, im2, st.Variables)
			doc2, err := Export(gw2, im2.API.Name, "prod", ExportOptions{AWS: true})
			if err != nil {
				t.Fatalf("second Export: %v", err)
			}
			doc.Info.Version, doc2.Info.Version = "", "" // deployment times, for documents without a version
			j1, _ := MarshalJSON(doc)
			j2, _ := MarshalJSON(doc2)
			if string(j1) != string(j2) {
				t.Errorf("the export of the re-import differs:\n%s\n---\n%s", j1, j2)
			}

			if a, b := describeAuthorizers(im.Authorizers), describeAuthorizers(im2.Authorizers); !slices.Equal(a, b) {
				t.Errorf("authorizers\n%q, re-imported\n%q", a, b)
			}
			if !slices.Equal(im.NeedAuthorizers, im2.NeedAuthorizers) || !slices.Equal(im.Functions, im2.Functions) {
				t.Errorf("NeedAuthorizers %q, Functions %q; re-imported %q, %q", im.NeedAuthorizers, im.Functions, im2.NeedAuthorizers, im2.Functions)
			}
			a, b := describe(im.API), describe(im2.API)
			if !slices.Equal(a, b) {
				for i := range max(len(a), len(b)) {
					var x, y string
					if i < len(a) {
						x = a[i]
					}
					if i < len(b) {
						y = b[i]
					}
					if x != y {
						t.Errorf("\nimported: %s\nre-imported: %s", x, y)
					}
				}
			}
		})
	}
}
