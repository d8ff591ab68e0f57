package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
	"github.com/gatekit/gatekit/throttle"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// echo is a Handler integration that answers with what the gateway told
// it about the request.
var echo = gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(echoed{
		RouteKey: gateway.RouteKey(r.Context()),
		Params:   gateway.PathParams(r.Context()),
		Path:     r.URL.Path,
		RawPath:  r.URL.EscapedPath(),
	})
}))

type echoed struct {
	RouteKey string            `json:"routeKey"`
	Params   map[string]string `json:"params"`
	Path     string            `json:"path"`
	RawPath  string            `json:"rawPath"`
}

// mount returns a gateway serving api at the root.
// highGatewayRate keeps the gateway-wide bucket on, as it is by default,
// at a rate no test reaches: load tests and benchmarks send more requests
// at once than the default burst admits.
var highGatewayRate = gateway.WithGatewayThrottle(throttle.Rate{PerSecond: 1e9, Burst: 1e9})

func mount(t testing.TB, api *gateway.API, opts ...gateway.Option) *gateway.Gateway {
	t.Helper()
	gw := gateway.New(opts...)
	if err := gw.Mount("/", api); err != nil {
		t.Fatalf("Mount: %v", err)
	}
	t.Cleanup(func() { _ = gw.Close() })
	return gw
}

// do serves one request and returns the response with its body read.
func do(t testing.TB, h http.Handler, method, target string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	resp := gatewaytest.Do(h, r)
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func routes(keys ...string) []gateway.Route {
	rs := make([]gateway.Route, len(keys))
	for i, k := range keys {
		rs[i] = gateway.Route{Key: k, Integration: echo}
	}
	return rs
}

func TestRoutePrecedence(t *testing.T) {
	keys := []string{
		"GET /pets",
		"GET /pets/{id}",
		"GET /pets/dog",
		"ANY /pets/{id}",
		"POST /pets/{petId}",
		"GET /pets/{id}/toys/{toy}",
		"ANY /pets/{proxy+}",
		"GET /{proxy+}",
		"DELETE /files/{path+}",
		"$default",
	}
	tests := []struct {
		method, path string
		want         string
		params       map[string]string
	}{
		{"GET", "/pets", "GET /pets", nil},
		{"GET", "/pets/", "GET /pets", nil},
		{"GET", "/pets/dog", "GET /pets/dog", nil},
		{"GET", "/pets/7", "GET /pets/{id}", map[string]string{"id": "7"}},
		{"POST", "/pets/7", "POST /pets/{petId}", map[string]string{"petId": "7"}},
		{"PUT", "/pets/7", "ANY /pets/{id}", map[string]string{"id": "7"}},
		{"GET", "/pets/7/toys/ball", "GET /pets/{id}/toys/{toy}", map[string]string{"id": "7", "toy": "ball"}},
		{"PUT", "/pets/7/toys/ball", "ANY /pets/{proxy+}", map[string]string{"proxy": "7/toys/ball"}},
		{"GET", "/pets/7/a/b", "ANY /pets/{proxy+}", map[string]string{"proxy": "7/a/b"}},
		{"GET", "/other/x", "GET /{proxy+}", map[string]string{"proxy": "other/x"}},
		{"POST", "/other/x", "$default", nil},
		{"DELETE", "/files/a/b/c.txt", "DELETE /files/{path+}", map[string]string{"path": "a/b/c.txt"}},
		{"GET", "/pets/a%2Fb", "GET /pets/{id}", map[string]string{"id": "a/b"}},
		{"GET", "/", "$default", nil},
	}
	// The answer must not depend on registration order.
	orders := [][]string{keys, reversed(keys), {keys[7], keys[2], keys[9], keys[0], keys[5], keys[1], keys[8], keys[3], keys[6], keys[4]}}
	for oi, order := range orders {
		gw := mount(t, &gateway.API{Name: "pets", Routes: routes(order...)})
		for _, tt := range tests {
			t.Run(tt.method+" "+tt.path, func(t *testing.T) {
				resp, body := do(t, gw, tt.method, tt.path, nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("order %d: status %d, body %s", oi, resp.StatusCode, body)
				}
				var got echoed
				if err := json.Unmarshal([]byte(body), &got); err != nil {
					t.Fatal(err)
				}
				if got.RouteKey != tt.want {
					t.Errorf("order %d: route %q, want %q", oi, got.RouteKey, tt.want)
				}
				if len(got.Params) != len(tt.params) {
					t.Errorf("order %d: params %v, want %v", oi, got.Params, tt.params)
				}
				for k, v := range tt.params {
					if got.Params[k] != v {
						t.Errorf("order %d: param %s = %q, want %q", oi, k, got.Params[k], v)
					}
				}
			})
		}
	}
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func TestUnmatched(t *testing.T) {
	tests := []struct {
		name   string
		kind   gateway.Kind
		method string
		path   string
		status int
		body   string
	}{
		{"HTTP no path", gateway.HTTP, "GET", "/nope", 404, `{"message":"Not Found"}`},
		{"HTTP other method", gateway.HTTP, "DELETE", "/pets", 404, `{"message":"Not Found"}`},
		{"REST no path", gateway.REST, "GET", "/nope", 403, `{"message":"Missing Authentication Token"}`},
		{"REST other method", gateway.REST, "DELETE", "/pets", 403, `{"message":"Missing Authentication Token"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw := mount(t, &gateway.API{Kind: tt.kind, Routes: routes("GET /pets", "POST /pets")})
			resp, body := do(t, gw, tt.method, tt.path, nil)
			if resp.StatusCode != tt.status || body != tt.body {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}

func TestMountErrors(t *testing.T) {
	tests := []struct {
		name string
		api  *gateway.API
		want []string // fragments of the error
	}{
		{"nil API", nil, []string{"nil API"}},
		{"bad method", &gateway.API{Routes: routes("FETCH /a")}, []string{`"FETCH /a"`}},
		{"no slash", &gateway.API{Routes: routes("GET a")}, []string{`"GET a"`}},
		{"greedy not last", &gateway.API{Routes: routes("GET /{proxy+}/a")}, []string{`"GET /{proxy+}/a"`}},
		{"duplicate", &gateway.API{Routes: routes("GET /pets/{id}", "GET /pets/{name}")}, []string{"GET /pets/{id}", "GET /pets/{name}"}},
		{"nil integration", &gateway.API{Routes: []gateway.Route{{Key: "GET /a"}}}, []string{`"GET /a"`, "no Integration"}},
		{"negative timeout", &gateway.API{Routes: []gateway.Route{{Key: "GET /a", Integration: echo, Timeout: -1}}}, []string{`"GET /a"`, "Timeout"}},
		{"proxy unknown param", &gateway.API{Routes: []gateway.Route{{Key: "GET /a/{id}", Integration: &gateway.HTTPProxy{URL: "http://b/{name}"}}}}, []string{`"GET /a/{id}"`, "{name}"}},
		{"proxy unknown stage variable", &gateway.API{Routes: []gateway.Route{{Key: "GET /a", Integration: &gateway.HTTPProxy{URL: "http://${stageVariables.host}/a"}}}}, []string{`"GET /a"`, `stage variable "host"`}},
		{"proxy bad scheme", &gateway.API{Routes: []gateway.Route{{Key: "GET /a", Integration: &gateway.HTTPProxy{URL: "ftp://b/"}}}}, []string{"scheme"}},
		{"mock bad status", &gateway.API{Routes: []gateway.Route{{Key: "GET /a", Integration: &gateway.Mock{Status: 99}}}}, []string{"status 99"}},
		{"unknown response type", &gateway.API{Responses: map[gateway.ResponseType]gateway.Response{"NOPE": {}}}, []string{`"NOPE"`}},
		{"bad response template", &gateway.API{Responses: map[gateway.ResponseType]gateway.Response{gateway.Throttled: {Body: `{"m":$context.nope}`}}}, []string{"THROTTLED", "$context.nope"}},
		{"CORS credentials with any origin", &gateway.API{CORS: &gateway.CORS{AllowOrigins: []string{"*"}, AllowCredentials: true}}, []string{"AllowCredentials"}},
		{"CORS bad origin", &gateway.API{CORS: &gateway.CORS{AllowOrigins: []string{"example.com"}}}, []string{`"example.com"`}},
		{"several mistakes at once", &gateway.API{Routes: routes("GET /a", "GET /a", "BAD")}, []string{`"BAD"`, "GET /a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gateway.New().Mount("/", tt.api)
			if err == nil {
				t.Fatal("Mount succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestMountBasePaths(t *testing.T) {
	gw := gateway.New()
	defer gw.Close()
	for _, bp := range []string{"/v1", "/v1/admin", "/"} {
		if err := gw.Mount(bp, &gateway.API{Name: bp, Routes: routes("ANY /{proxy+}", "GET /")}); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []string{"v1", "/v1//x", "/a b", "/../x"} {
		if err := gw.Mount(bad, &gateway.API{}); err == nil {
			t.Errorf("Mount(%q) succeeded", bad)
		}
	}
	tests := []struct{ path, api, rel string }{
		{"/v1/pets", "/v1", "/pets"},
		{"/v1", "/v1", "/"},
		{"/v1/admin/users", "/v1/admin", "/users"},
		{"/v1admin/x", "/", "/v1admin/x"},
		{"/pets", "/", "/pets"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var gotAPI, gotPath string
			rec := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotAPI, gotPath = gateway.APIName(r.Context()), r.URL.Path
			})
			for _, bp := range []string{"/v1", "/v1/admin", "/"} {
				if err := gw.Mount(bp, &gateway.API{Name: bp, Routes: []gateway.Route{{Key: "$default", Integration: gateway.Handler(rec)}}}); err != nil {
					t.Fatal(err)
				}
			}
			do(t, gw, "GET", tt.path, nil)
			if gotAPI != tt.api || gotPath != tt.rel {
				t.Errorf("served by %q as %q, want %q as %q", gotAPI, gotPath, tt.api, tt.rel)
			}
		})
	}
	if err := gw.RemoveAPI("/v1"); err != nil {
		t.Fatal(err)
	}
	if err := gw.RemoveAPI("/v1"); err == nil {
		t.Error("second RemoveAPI succeeded")
	}
	if err := gw.Mount("/v2", &gateway.API{Name: "/", Routes: routes("GET /")}); err == nil {
		t.Error("mounting an API at a second base path succeeded")
	}
	if err := gw.Mount("/v1/admin", &gateway.API{Name: "other", Routes: routes("GET /")}); err == nil {
		t.Error("mounting a second API at a base path in use succeeded")
	}
}

func TestFailedMountChangesNothing(t *testing.T) {
	gw := mount(t, &gateway.API{Name: "pets", Routes: routes("GET /pets")})
	if err := gw.Mount("/", &gateway.API{Name: "pets", Routes: routes("GET /pets", "BAD")}); err == nil {
		t.Fatal("Mount of a bad API succeeded")
	}
	if resp, _ := do(t, gw, "GET", "/pets", nil); resp.StatusCode != 200 {
		t.Errorf("the old deployment no longer serves: %d", resp.StatusCode)
	}
	if deps, _ := gw.Deployments("pets"); len(deps) != 1 {
		t.Errorf("%d deployments, want 1", len(deps))
	}
	if err := gw.Mount("/other", &gateway.API{Name: "new", Routes: routes("BAD")}); err == nil {
		t.Fatal("Mount of a bad new API succeeded")
	}
	if _, err := gw.Deployments("new"); err == nil {
		t.Error("a failed Mount registered the API")
	}
}
