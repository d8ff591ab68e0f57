package console_test

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/console"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
)

// managed is a gateway made with opts, with the API "pets" on stages prod
// (cached) and beta, a usage plan "free", and the console mounted at
// /console behind an authorizer that wants "Authorization: Bearer admin".
func managed(t *testing.T, opts ...gateway.Option) (*gateway.Gateway, http.Handler) {
	t.Helper()
	gw := gateway.New(opts...)
	t.Cleanup(func() { _ = gw.Close() })
	hello := &gateway.Mock{Body: "hello"}
	if err := gw.AddAPI("/", &gateway.API{Name: "pets", Routes: []gateway.Route{
		{Key: "GET /pets", Integration: hello},
		{Key: "GET /partner", Integration: hello, APIKeyRequired: true, Cache: &gateway.RouteCache{Disabled: true}},
	}}); err != nil {
		t.Fatal(err)
	}
	d, err := gw.Deploy("pets", "v1")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []gateway.Stage{{Name: "prod", DeploymentID: d.ID, Cache: &gateway.StageCache{Capacity: 1 << 20}}, {Name: "beta", DeploymentID: d.ID}} {
		if err := gw.PutStage("pets", st); err != nil {
			t.Fatal(err)
		}
	}
	if err := gw.PutUsagePlan(throttle.Plan{Name: "free", Stages: []throttle.StageRef{{API: "pets", Stage: "prod"}}, Quota: &throttle.Quota{Limit: 100, Period: throttle.Day}}); err != nil {
		t.Fatal(err)
	}
	admin := auth.AuthorizerFunc(func(_ context.Context, r *auth.Request) (*auth.Identity, error) {
		if r.HTTP.Header.Get("Authorization") != "Bearer admin" {
			return nil, auth.ErrUnauthorized
		}
		return &auth.Identity{Principal: "admin"}, nil
	})
	if err := gw.RegisterAuthorizer("admin", admin); err != nil {
		t.Fatal(err)
	}
	c := gateway.Handler(console.Handler(gw))
	if err := gw.Mount("/console", &gateway.API{Name: "console", Routes: []gateway.Route{
		{Key: "ANY /", Integration: c, Authorizer: "admin"},
		{Key: "ANY /{proxy+}", Integration: c, Authorizer: "admin"},
	}}); err != nil {
		t.Fatal(err)
	}
	return gw, gw
}

// call sends a console request as the admin and decodes the answer.
func call(t *testing.T, h http.Handler, method, path, body string, out any) int {
	t.Helper()
	r := httptest.NewRequest(method, "/console"+path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer admin")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if out != nil && w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, w.Body)
		}
	}
	return w.Code
}

func TestConsoleAPI(t *testing.T) {
	gw, h := managed(t)

	var apis []gateway.APIInfo
	if code := call(t, h, "GET", "/api/apis", "", &apis); code != 200 || len(apis) != 2 || apis[1].Name != "pets" ||
		strings.Join(apis[1].Stages, ",") != "beta,prod" || len(apis[1].Routes) != 2 || !apis[1].Routes[1].APIKeyRequired {
		t.Fatalf("GET /api/apis: %d %+v", code, apis)
	}

	// Deploy, then roll prod forward and back.
	var v1s []gateway.Deployment
	call(t, h, "GET", "/api/apis/pets/deployments", "", &v1s)
	var v2 gateway.Deployment
	if code := call(t, h, "POST", "/api/apis/pets/deployments", `{"description":"second"}`, &v2); code != 201 || v2.ID == "" || v2.Description != "second" {
		t.Fatalf("deploy: %d %+v", code, v2)
	}
	if code := call(t, h, "PUT", "/api/apis/pets/stages/prod/deployment", `{"deploymentId":"`+v2.ID+`"}`, nil); code != 204 {
		t.Fatalf("point prod at v2: %d", code)
	}
	if st, _ := gw.GetStage("pets", "prod"); st.DeploymentID != v2.ID {
		t.Errorf("prod serves %s, want %s", st.DeploymentID, v2.ID)
	}
	if code := call(t, h, "PUT", "/api/apis/pets/stages/prod/deployment", `{"deploymentId":"`+v1s[0].ID+`"}`, nil); code != 204 {
		t.Fatalf("roll back: %d", code)
	}

	// Stages with cache counts, and a flush.
	for range 2 {
		gw.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/prod/pets", nil))
	}
	var stages []struct {
		Name, DeploymentID string
		CacheStats         *gateway.CacheStats
	}
	if code := call(t, h, "GET", "/api/apis/pets/stages", "", &stages); code != 200 || len(stages) != 2 || stages[1].Name != "prod" ||
		stages[1].CacheStats == nil || stages[1].CacheStats.Hits != 1 || stages[1].CacheStats.Misses != 1 {
		t.Fatalf("GET stages: %d %+v", code, stages)
	}
	if code := call(t, h, "POST", "/api/apis/pets/stages/prod/cache/flush", "", nil); code != 204 {
		t.Errorf("flush: %d", code)
	}
	if code := call(t, h, "POST", "/api/apis/pets/stages/beta/cache/flush", "", nil); code != 400 {
		t.Errorf("flush of a stage without a cache: %d, want 400", code)
	}

	// Keys and plans.
	var created struct{ ID, Value string }
	if code := call(t, h, "POST", "/api/apikeys", `{"name":"partner"}`, &created); code != 201 || created.ID == "" || len(created.Value) != 40 {
		t.Fatalf("create key: %d %+v", code, created)
	}
	if code := call(t, h, "POST", "/api/usageplans/free/keys", `{"keyId":"`+created.ID+`"}`, nil); code != 204 {
		t.Fatalf("attach: %d", code)
	}
	r := httptest.NewRequest("GET", "/prod/partner", nil)
	r.Header.Set("X-Api-Key", created.Value)
	gw.ServeHTTP(httptest.NewRecorder(), r)
	var usage struct {
		Days  []throttle.DailyUsage
		Quota *throttle.Quota
	}
	if code := call(t, h, "GET", "/api/usageplans/free/keys/"+created.ID+"/usage", "", &usage); code != 200 || len(usage.Days) != 7 || usage.Days[6].Used != 1 || usage.Quota.Limit != 100 {
		t.Fatalf("usage: %d %+v", code, usage)
	}
	var plans []struct {
		Name string
		Keys []string
	}
	if call(t, h, "GET", "/api/usageplans", "", &plans); len(plans) != 1 || len(plans[0].Keys) != 1 || plans[0].Keys[0] != created.ID {
		t.Errorf("plans: %+v", plans)
	}
	if code := call(t, h, "PATCH", "/api/apikeys/"+created.ID, `{"enabled":false}`, nil); code != 204 {
		t.Fatalf("disable: %d", code)
	}
	var keys []map[string]any
	call(t, h, "GET", "/api/apikeys", "", &keys)
	if len(keys) != 1 || keys[0]["Enabled"] != false || keys[0]["Value"] != nil || keys[0]["Digest"] != nil {
		t.Errorf("keys: %v (no value, no digest, disabled)", keys)
	}
	if code := call(t, h, "DELETE", "/api/usageplans/free/keys/"+created.ID, "", nil); code != 204 {
		t.Errorf("detach: %d", code)
	}

	// Mistakes.
	for _, tt := range []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/api/apis/nope/stages", "", 404},
		{"POST", "/api/apis/nope/deployments", "{}", 400},
		{"PUT", "/api/apis/pets/stages/prod/deployment", `{"deploymentId":"nope"}`, 400},
		{"PUT", "/api/apis/pets/stages/prod/deployment", `{"deployment":`, 400},
		{"PATCH", "/api/apikeys/nope", `{"enabled":true}`, 404},
		{"PATCH", "/api/apikeys/" + created.ID, `{}`, 400},
		{"POST", "/api/apikeys", `{"name":""}`, 400},
		{"GET", "/api/usageplans/free/keys/x/usage?from=yesterday", "", 400},
		{"GET", "/api/nothing", "", 404},
	} {
		var e struct{ Message string }
		if code := call(t, h, tt.method, tt.path, tt.body, &e); code != tt.want || e.Message == "" {
			t.Errorf("%s %s: %d %q, want %d with a message", tt.method, tt.path, code, e.Message, tt.want)
		}
	}

	// Behind its authorizer.
	w := httptest.NewRecorder()
	gw.ServeHTTP(w, httptest.NewRequest("GET", "/console/api/apis", nil))
	if b, _ := io.ReadAll(w.Body); w.Code != 401 || !strings.Contains(string(b), "Unauthorized") {
		t.Errorf("without credentials: %d %s, want 401", w.Code, b)
	}
}

// A value without a JSON form is an error, not an empty answer.
func TestConsoleAPIUnencodable(t *testing.T) {
	gw, h := managed(t)
	ds, _ := gw.Deployments("pets")
	unlimited := &throttle.Rate{PerSecond: math.Inf(1)} // valid, as throttle.Inf is, but not JSON
	if err := gw.PutStage("pets", gateway.Stage{Name: "beta", DeploymentID: ds[0].ID, Throttle: unlimited}); err != nil {
		t.Fatal(err)
	}
	var e struct{ Message string }
	if code := call(t, h, "GET", "/api/apis/pets/stages", "", &e); code != 500 || !strings.Contains(e.Message, "+Inf") {
		t.Errorf("GET stages with an unlimited throttle: %d %q, want 500 and why", code, e.Message)
	}
}
