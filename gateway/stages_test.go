package gateway_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
)

// says is a Handler integration that answers with text, the stage, its
// variables and whether the canary serves the request.
func says(text string) gateway.Integration {
	return gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		fmt.Fprintf(w, "%s stage=%s color=%s canary=%v", text, gateway.StageName(ctx), gateway.StageVariables(ctx)["color"], gateway.IsCanary(ctx))
	}))
}

// staged registers an API with two deployments: d1 has GET /pets, d2 also
// GET /new. It returns their ids.
func staged(t *testing.T) (*gateway.Gateway, *gateway.API, string, string) {
	t.Helper()
	gw := gateway.New(highGatewayRate)
	t.Cleanup(func() { _ = gw.Close() })
	api := &gateway.API{Name: "pets", Routes: []gateway.Route{{Key: "GET /pets", Integration: says("v1")}}}
	if err := gw.AddAPI("/", api); err != nil {
		t.Fatal(err)
	}
	d1, err := gw.Deploy("pets", "first")
	if err != nil {
		t.Fatal(err)
	}
	api.Routes = []gateway.Route{{Key: "GET /pets", Integration: says("v2")}, {Key: "GET /new", Integration: says("v2")}}
	d2, err := gw.Deploy("pets", "second")
	if err != nil {
		t.Fatal(err)
	}
	return gw, api, d1.ID, d2.ID
}

func body(t *testing.T, h http.Handler, target string) (int, string) {
	t.Helper()
	resp, b := do(t, h, "GET", target, nil)
	return resp.StatusCode, b
}

func TestStagesServeDeployments(t *testing.T) {
	gw, api, d1, d2 := staged(t)
	if code, _ := body(t, gw, "/prod/pets"); code != 404 {
		t.Errorf("before any stage: %d", code)
	}
	for _, st := range []gateway.Stage{
		{Name: "prod", DeploymentID: d1, Variables: map[string]string{"color": "blue"}},
		{Name: "beta", DeploymentID: d2, Variables: map[string]string{"color": "green"}},
	} {
		if err := gw.PutStage("pets", st); err != nil {
			t.Fatal(err)
		}
	}
	// The API value changes after the deployments: no stage sees it.
	api.Routes = nil

	tests := []struct {
		target string
		status int
		body   string
	}{
		{"/prod/pets", 200, "v1 stage=prod color=blue canary=false"},
		{"/beta/pets", 200, "v2 stage=beta color=green canary=false"},
		{"/beta/new", 200, "v2 stage=beta color=green canary=false"},
		{"/prod/new", 404, `{"message":"Not Found"}`},
		{"/pets", 404, `{"message":"Not Found"}`}, // no $default stage
		{"/alpha/pets", 404, `{"message":"Not Found"}`},
	}
	for _, tt := range tests {
		if code, b := body(t, gw, tt.target); code != tt.status || b != tt.body {
			t.Errorf("%s: %d %q, want %d %q", tt.target, code, b, tt.status, tt.body)
		}
	}

	// Roll prod forward, then back.
	if err := gw.SetStageDeployment("pets", "prod", d2); err != nil {
		t.Fatal(err)
	}
	if code, b := body(t, gw, "/prod/new"); code != 200 || !strings.HasPrefix(b, "v2 stage=prod color=blue") {
		t.Errorf("after redeploy: %d %q", code, b)
	}
	if err := gw.SetStageDeployment("pets", "prod", d1); err != nil {
		t.Fatal(err)
	}
	if code, _ := body(t, gw, "/prod/new"); code != 404 {
		t.Errorf("after rollback: %d", code)
	}

	deps, err := gw.Deployments("pets")
	if err != nil || len(deps) != 2 || deps[0].ID != d1 || deps[1].ID != d2 || deps[0].Description != "first" || deps[1].CreatedAt.IsZero() {
		t.Errorf("Deployments = %+v, %v", deps, err)
	}
	st, err := gw.GetStage("pets", "prod")
	if err != nil || st.DeploymentID != d1 || st.Variables["color"] != "blue" {
		t.Errorf("GetStage = %+v, %v", st, err)
	}

	// A $default stage serves the root beside the named ones.
	if err := gw.PutStage("pets", gateway.Stage{Name: "$default", DeploymentID: d2}); err != nil {
		t.Fatal(err)
	}
	if code, b := body(t, gw, "/new"); code != 200 || !strings.HasPrefix(b, "v2 stage=$default") {
		t.Errorf("$default: %d %q", code, b)
	}
	if code, b := body(t, gw, "/prod/pets"); code != 200 || !strings.HasPrefix(b, "v1 stage=prod") {
		t.Errorf("named stage beside $default: %d %q", code, b)
	}
	if err := gw.DeleteStage("pets", "prod"); err != nil {
		t.Fatal(err)
	}
	if code, _ := body(t, gw, "/prod/pets"); code != 404 {
		t.Errorf("deleted stage: %d", code) // /prod/pets on $default: no route
	}
}

func TestStageConfigurationErrors(t *testing.T) {
	gw, _, d1, d2 := staged(t)
	if err := gw.PutStage("pets", gateway.Stage{Name: "beta", DeploymentID: d1}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"unknown API", gw.PutStage("cats", gateway.Stage{Name: "x", DeploymentID: d1}), `no API "cats"`},
		{"unknown deployment", gw.PutStage("pets", gateway.Stage{Name: "x", DeploymentID: "nope"}), `no deployment "nope"`},
		{"stage name with slash", gw.PutStage("pets", gateway.Stage{Name: "a/b", DeploymentID: d1}), `a/b`},
		{"empty stage name", gw.PutStage("pets", gateway.Stage{DeploymentID: d1}), `stage name ""`},
		{"bad variable name", gw.PutStage("pets", gateway.Stage{Name: "x", DeploymentID: d1, Variables: map[string]string{"a-b": "1"}}), `a-b`},
		{"bad variable value", gw.PutStage("pets", gateway.Stage{Name: "x", DeploymentID: d1, Variables: map[string]string{"a": "spa ce"}}), `"a"`},
		{"canary over 100", gw.PutStage("pets", gateway.Stage{Name: "x", DeploymentID: d1, Canary: &gateway.Canary{DeploymentID: d2, Percent: 100.5}}), `100.5`},
		{"canary below 0", gw.PutStage("pets", gateway.Stage{Name: "x", DeploymentID: d1, Canary: &gateway.Canary{DeploymentID: d2, Percent: -1}}), `-1`},
		{"canary unknown deployment", gw.PutStage("pets", gateway.Stage{Name: "x", DeploymentID: d1, Canary: &gateway.Canary{DeploymentID: "zz", Percent: 5}}), `"zz"`},
		{"promote without canary", gw.PromoteCanary("pets", "beta"), `no canary`},
		{"set unknown stage", gw.SetStageDeployment("pets", "nope", d1), `no stage "nope"`},
		{"rollback to unknown deployment", gw.SetStageDeployment("pets", "beta", "gone"), `no deployment "gone"`},
		{"delete unknown stage", gw.DeleteStage("pets", "nope"), `no stage "nope"`},
		{"deploy unknown API", func() error { _, err := gw.Deploy("cats", ""); return err }(), `no API "cats"`},
		{"map to missing stage", gw.MapDomain(gateway.DomainMapping{Domain: "api.example.com", API: "pets", Stage: "prod"}), `no stage "prod"`},
		{"map to missing API", gw.MapDomain(gateway.DomainMapping{Domain: "api.example.com", API: "cats", Stage: "prod"}), `no API "cats"`},
		{"map bad domain", gw.MapDomain(gateway.DomainMapping{Domain: "api example", API: "pets", Stage: "beta"}), `api example`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", tt.err, tt.want)
			}
		})
	}
	// A failed change leaves the stage as it was.
	if code, b := body(t, gw, "/beta/pets"); code != 200 || !strings.HasPrefix(b, "v1 stage=beta") {
		t.Errorf("beta after failed changes: %d %q", code, b)
	}
	if err := gw.MapDomain(gateway.DomainMapping{Domain: "api.example.com", BasePath: "v1", API: "pets", Stage: "beta"}); err != nil {
		t.Fatal(err)
	}
	if err := gw.MapDomain(gateway.DomainMapping{Domain: "API.example.com", BasePath: "/v1/", API: "pets", Stage: "beta"}); err == nil {
		t.Error("a duplicate mapping succeeded")
	}
}

func TestStageVariables(t *testing.T) {
	backend := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%s %s", name, r.URL.RequestURI())
		}))
	}
	blue, green := backend("blue"), backend("green")
	defer blue.Close()
	defer green.Close()
	var payloadVars map[string]string
	var rawPath, httpPath string
	fn := func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		payloadVars, rawPath, httpPath = req.StageVariables, req.RawPath, req.RequestContext.HTTP.Path
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: req.RequestContext.Stage}, nil
	}
	gw := gateway.New()
	defer gw.Close()
	api := &gateway.API{Name: "pets", Routes: []gateway.Route{
		{Key: "ANY /legacy/{proxy+}", Integration: &gateway.HTTPProxy{URL: "http://${stageVariables.backend}/${stageVariables.prefix}/{proxy}?stage=${stageVariables.name}"}},
		{Key: "GET /fn", Integration: gateway.Function(fn)},
	}}
	if err := gw.AddAPI("/", api); err != nil {
		t.Fatal(err)
	}
	d, err := gw.Deploy("pets", "")
	if err != nil {
		t.Fatal(err)
	}
	host := func(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }
	for _, st := range []gateway.Stage{
		{Name: "prod", DeploymentID: d.ID, Variables: map[string]string{"backend": host(blue), "prefix": "v1", "name": "prod"}},
		{Name: "beta", DeploymentID: d.ID, Variables: map[string]string{"backend": host(green), "prefix": "v2", "name": "beta"}},
	} {
		if err := gw.PutStage("pets", st); err != nil {
			t.Fatal(err)
		}
	}
	for target, want := range map[string]string{
		"/prod/legacy/a/b?x=1": "blue /v1/a/b?stage=prod&x=1",
		"/beta/legacy/a/b":     "green /v2/a/b?stage=beta",
		"/beta/fn":             "beta",
	} {
		if code, b := body(t, gw, target); code != 200 || b != want {
			t.Errorf("%s: %d %q, want %q", target, code, b, want)
		}
	}
	if payloadVars["backend"] != host(green) || payloadVars["prefix"] != "v2" {
		t.Errorf("payload stageVariables %v", payloadVars)
	}
	// As the managed service does, a named stage is part of the paths.
	if rawPath != "/beta/fn" || httpPath != "/beta/fn" {
		t.Errorf("payload rawPath %q, http.path %q, want /beta/fn", rawPath, httpPath)
	}

	// A stage without a variable the URL uses is refused when configured.
	err = gw.PutStage("pets", gateway.Stage{Name: "alpha", DeploymentID: d.ID, Variables: map[string]string{"backend": host(blue), "name": "a"}})
	if err == nil || !strings.Contains(err.Error(), `"prefix"`) || !strings.Contains(err.Error(), "ANY /legacy/{proxy+}") {
		t.Errorf("missing variable: %v", err)
	}
	// So is a value that makes the URL invalid: here {proxy} would land
	// in the query string.
	err = gw.PutStage("pets", gateway.Stage{Name: "alpha", DeploymentID: d.ID, Variables: map[string]string{"backend": "a?b", "prefix": "p", "name": "a"}})
	if err == nil || !strings.Contains(err.Error(), "path parameters are allowed in the path only") {
		t.Errorf("URL broken by a value: %v", err)
	}
}

func TestFunctionNamed(t *testing.T) {
	gw := gateway.New()
	defer gw.Close()
	for _, env := range []string{"beta", "prod"} {
		if err := gw.RegisterFunction("orders-"+env, says("orders-"+env)); err != nil {
			t.Fatal(err)
		}
	}
	if err := gw.RegisterFunction("bad name", says("x")); err == nil {
		t.Error("RegisterFunction accepted a name with a space")
	}
	api := &gateway.API{Name: "shop", Routes: []gateway.Route{{Key: "GET /orders", Integration: gateway.FunctionNamed("orders-${stageVariables.env}")}}}
	if err := gw.AddAPI("/", api); err != nil {
		t.Fatal(err)
	}
	d, err := gw.Deploy("shop", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{"beta", "prod"} {
		if err := gw.PutStage("shop", gateway.Stage{Name: env, DeploymentID: d.ID, Variables: map[string]string{"env": env}}); err != nil {
			t.Fatal(err)
		}
		if code, b := body(t, gw, "/"+env+"/orders"); code != 200 || !strings.HasPrefix(b, "orders-"+env+" ") {
			t.Errorf("%s: %d %q", env, code, b)
		}
	}
	if err := gw.PutStage("shop", gateway.Stage{Name: "dev", DeploymentID: d.ID, Variables: map[string]string{"env": "dev"}}); err == nil || !strings.Contains(err.Error(), `"orders-dev"`) {
		t.Errorf("unregistered function: %v", err)
	}
	api.Routes[0].Integration = gateway.FunctionNamed("orders-qa")
	if _, err := gw.Deploy("shop", ""); err == nil || !strings.Contains(err.Error(), `"orders-qa"`) {
		t.Errorf("fixed unregistered name: %v", err)
	}
}

func TestCanary(t *testing.T) {
	gw, _, d1, d2 := staged(t)
	const percent = 10.0
	err := gw.PutStage("pets", gateway.Stage{
		Name: "beta", DeploymentID: d1, Variables: map[string]string{"color": "blue"},
		Canary: &gateway.Canary{DeploymentID: d2, Percent: percent, Variables: map[string]string{"color": "green"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	const n = 10000
	canary := 0
	for range n {
		_, b := body(t, gw, "/beta/pets")
		switch b {
		case "v2 stage=beta color=green canary=true":
			canary++
		case "v1 stage=beta color=blue canary=false":
		default:
			t.Fatalf("unexpected answer %q", b)
		}
	}
	share := 100 * float64(canary) / n
	if share < percent-2 || share > percent+2 {
		t.Errorf("canary share %.2f%%, want %.1f%% ± 2", share, percent)
	}
	t.Logf("canary share over %d requests: %.2f%% (setting %.1f%%)", n, share, percent)

	if err := gw.PromoteCanary("pets", "beta"); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if _, b := body(t, gw, "/beta/new"); b != "v2 stage=beta color=green canary=false" {
			t.Fatalf("after promotion: %q", b)
		}
	}
	st, _ := gw.GetStage("pets", "beta")
	if st.DeploymentID != d2 || st.Canary != nil || st.Variables["color"] != "green" {
		t.Errorf("stage after promotion: %+v", st)
	}
}

func TestCustomDomains(t *testing.T) {
	gw := gateway.New()
	defer gw.Close()
	for _, v := range []string{"v1", "v2"} {
		if err := gw.AddAPI("/"+v, &gateway.API{Name: "pets-" + v, Routes: []gateway.Route{{Key: "GET /pets", Integration: says("pets-" + v)}}}); err != nil {
			t.Fatal(err)
		}
		d, err := gw.Deploy("pets-"+v, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := gw.PutStage("pets-"+v, gateway.Stage{Name: "prod", DeploymentID: d.ID}); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []gateway.DomainMapping{
		{Domain: "api.example.com", BasePath: "v1", API: "pets-v1", Stage: "prod"},
		{Domain: "api.example.com", BasePath: "v2", API: "pets-v2", Stage: "prod"},
		{Domain: "v2.example.com", API: "pets-v2", Stage: "prod"},
		{Domain: "*.tenants.example.com", API: "pets-v1", Stage: "prod"},
	} {
		if err := gw.MapDomain(m); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		url    string
		status int
		prefix string
	}{
		{"http://api.example.com/v1/pets", 200, "pets-v1 stage=prod"},
		{"http://api.example.com/v2/pets", 200, "pets-v2 stage=prod"},
		{"http://API.Example.com:8443/v2/pets", 200, "pets-v2 stage=prod"},
		{"http://v2.example.com/pets", 200, "pets-v2 stage=prod"},
		{"http://acme.tenants.example.com/pets", 200, "pets-v1 stage=prod"},
		{"http://api.example.com/v3/pets", 404, `{"message":"Not Found"}`},
		{"http://api.example.com/pets", 404, `{"message":"Not Found"}`},
		{"http://a.b.tenants.example.com/pets", 404, `{"message":"Not Found"}`}, // not a mapped domain: default endpoint, no such path
		// Other hosts reach the default endpoints: /{basePath}/{stage}/….
		{"http://localhost/v1/prod/pets", 200, "pets-v1 stage=prod"},
		{"http://localhost/v2/prod/pets", 200, "pets-v2 stage=prod"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if code, b := body(t, gw, tt.url); code != tt.status || !strings.HasPrefix(b, tt.prefix) {
				t.Errorf("%d %q, want %d %q", code, b, tt.status, tt.prefix)
			}
		})
	}
	if err := gw.UnmapDomain("api.example.com", "/v1"); err != nil {
		t.Fatal(err)
	}
	if code, _ := body(t, gw, "http://api.example.com/v1/pets"); code != 404 {
		t.Errorf("after UnmapDomain: %d", code)
	}
	if err := gw.UnmapDomain("api.example.com", "v1"); err == nil {
		t.Error("second UnmapDomain succeeded")
	}
}

func TestDisableDefaultEndpoint(t *testing.T) {
	gw := gateway.New()
	defer gw.Close()
	if err := gw.Mount("/", &gateway.API{Name: "private", DisableDefaultEndpoint: true, Routes: []gateway.Route{{Key: "GET /x", Integration: says("private")}}}); err != nil {
		t.Fatal(err)
	}
	if code, _ := body(t, gw, "/x"); code != 404 {
		t.Errorf("default endpoint served: %d", code)
	}
	if err := gw.MapDomain(gateway.DomainMapping{Domain: "private.example.com", API: "private", Stage: "$default"}); err != nil {
		t.Fatal(err)
	}
	if code, b := body(t, gw, "http://private.example.com/x"); code != 200 || !strings.HasPrefix(b, "private") {
		t.Errorf("custom domain: %d %q", code, b)
	}
}

// TestRedeployUnderLoad points a stage at one deployment after another
// (forward and back) 100 times while 20,000 requests run.
func TestRedeployUnderLoad(t *testing.T) {
	gw, _, d1, d2 := staged(t)
	if err := gw.PutStage("pets", gateway.Stage{Name: "prod", DeploymentID: d1}); err != nil {
		t.Fatal(err)
	}
	const workers, perWorker, redeploys = 8, 2500, 100
	var served, failed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				rec := httptest.NewRecorder()
				gw.ServeHTTP(rec, httptest.NewRequest("GET", "/prod/pets", nil))
				b, _ := io.ReadAll(rec.Body)
				if rec.Code != 200 || (!strings.HasPrefix(string(b), "v1 ") && !strings.HasPrefix(string(b), "v2 ")) {
					failed.Add(1)
				}
				served.Add(1)
			}
		})
	}
	done := 0
	for i := range redeploys {
		for served.Load() < int64(i*workers*perWorker/(redeploys+1)) {
			runtime.Gosched()
		}
		id := d1
		if i%2 == 0 {
			id = d2
		}
		if err := gw.SetStageDeployment("pets", "prod", id); err != nil {
			t.Fatal(err)
		}
		done++
	}
	wg.Wait()
	if done != redeploys || failed.Load() != 0 || served.Load() != workers*perWorker {
		t.Fatalf("redeploys %d, served %d, failed %d", done, served.Load(), failed.Load())
	}
}

// TestStageDefinition: what a stage serves is its deployment's
// definition, whatever the API has become since, and a copy.
func TestStageDefinition(t *testing.T) {
	gw, api, d1, d2 := staged(t)
	api.Routes = nil // the current definition: no routes
	for _, tt := range []struct {
		deployment string
		routes     []string
	}{{d1, []string{"GET /pets"}}, {d2, []string{"GET /pets", "GET /new"}}} {
		if err := gw.PutStage("pets", gateway.Stage{Name: "s", DeploymentID: tt.deployment}); err != nil {
			t.Fatal(err)
		}
		def, err := gw.StageDefinition("pets", "s")
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, rt := range def.Routes {
			keys = append(keys, rt.Key)
		}
		if def.Name != "pets" || strings.Join(keys, ",") != strings.Join(tt.routes, ",") {
			t.Errorf("deployment %s: %s %v, want pets %v", tt.deployment, def.Name, keys, tt.routes)
		}
		def.Routes[0].Key = "GET /changed"
		if again, _ := gw.StageDefinition("pets", "s"); again.Routes[0].Key != "GET /pets" {
			t.Error("changing the definition returned changed the stage's")
		}
	}
	if _, err := gw.StageDefinition("pets", "nope"); err == nil {
		t.Error("StageDefinition of no stage: no error")
	}
	if _, err := gw.StageDefinition("nope", "s"); err == nil {
		t.Error("StageDefinition of no API: no error")
	}
	if name, ok := gateway.FunctionName(gateway.FunctionNamed("orders-${stageVariables.env}")); !ok || name != "orders-${stageVariables.env}" {
		t.Errorf("FunctionName = %q, %v", name, ok)
	}
	if _, ok := gateway.FunctionName(&gateway.Mock{}); ok {
		t.Error("FunctionName says a Mock is a named function")
	}
	acc := gateway.New(gateway.WithAccount("eu-west-1", "123"))
	defer acc.Close()
	if region, account := acc.Account(); region != "eu-west-1" || account != "123" {
		t.Errorf("Account() = %s, %s", region, account)
	}
}
