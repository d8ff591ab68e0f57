package gateway_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
	"github.com/gatekit/gatekit/throttle"
)

// t0 is 2024-02-14 12:00 UTC, a Wednesday: 12 hours to the next day.
var t0 = time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)

// throttled is a gateway on a fake clock serving the "pets" API with an
// open route and two routes that require an API key, on stage "prod"
// (at /prod/…).
func throttled(t *testing.T, opts ...gateway.Option) (*gateway.Gateway, *gatewaytest.Clock) {
	t.Helper()
	clock := gatewaytest.NewClock(t0)
	gw := stagedGateway(t, gateway.Stage{}, []gateway.Route{
		{Key: "GET /pets", Integration: echo},
		{Key: "GET /pets/{id}", Integration: echo, APIKeyRequired: true},
		{Key: "POST /pets", Integration: echo, APIKeyRequired: true},
	}, append([]gateway.Option{gateway.WithClock(clock)}, opts...)...)
	return gw, clock
}

// newKey creates an API key and returns its id and value.
func newKey(t *testing.T, gw *gateway.Gateway, name string) (string, string) {
	t.Helper()
	k, value, err := gw.APIKeys().Create(context.Background(), name, "")
	if err != nil {
		t.Fatal(err)
	}
	return k.ID, value
}

// want checks a response's status, message and the headers named in
// header (name, value; a value of "" wants the header absent).
func want(t *testing.T, resp *http.Response, body string, status int, message string, header ...string) {
	t.Helper()
	if resp.StatusCode != status || (message != "" && body != `{"message":"`+message+`"}`) {
		t.Fatalf("got %d %s, want %d %q", resp.StatusCode, body, status, message)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if got := resp.Header.Get(header[i]); got != header[i+1] {
			t.Errorf("%s = %q, want %q", header[i], got, header[i+1])
		}
	}
}

func rate(perSecond float64, burst int) *throttle.Rate {
	return &throttle.Rate{PerSecond: perSecond, Burst: burst}
}

func TestStageThrottle(t *testing.T) {
	gw, clock := throttled(t)
	st, err := gw.GetStage("pets", "prod")
	if err != nil {
		t.Fatal(err)
	}
	st.Throttle = rate(1, 2)
	st.RouteThrottles = map[string]throttle.Rate{"POST /pets": {PerSecond: 1, Burst: 1}}
	if err := gw.PutStage("pets", st); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		resp, body := do(t, gw, "GET", "/prod/pets", nil)
		// Shared limits are not the client's own: no RateLimit headers.
		want(t, resp, body, 200, "", "RateLimit-Limit", "")
	}
	resp, body := do(t, gw, "GET", "/prod/pets", nil)
	want(t, resp, body, 429, "Too Many Requests",
		"Retry-After", "1", "RateLimit-Limit", "2", "RateLimit-Remaining", "0", "RateLimit-Reset", "2")

	// Each route has a bucket of its own; the override is tighter.
	_, key := newKey(t, gw, "k")
	resp, body = do(t, gw, "POST", "/prod/pets", nil, "X-Api-Key", key)
	want(t, resp, body, 200, "")
	resp, body = do(t, gw, "POST", "/prod/pets", nil, "X-Api-Key", key)
	want(t, resp, body, 429, "Too Many Requests", "Retry-After", "1")

	clock.Advance(time.Second)
	resp, body = do(t, gw, "GET", "/prod/pets", nil)
	want(t, resp, body, 200, "")

	// Taking the throttle off the stage frees it.
	st.Throttle, st.RouteThrottles = nil, nil
	if err := gw.PutStage("pets", st); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		resp, body = do(t, gw, "POST", "/prod/pets", nil, "X-Api-Key", key)
		want(t, resp, body, 200, "")
	}
}

func TestGatewayThrottle(t *testing.T) {
	gw, clock := throttled(t, gateway.WithGatewayThrottle(throttle.Rate{PerSecond: 2, Burst: 2}))
	for i, wantStatus := range []int{200, 200, 429} {
		if resp, _ := do(t, gw, "GET", "/prod/pets", nil); resp.StatusCode != wantStatus {
			t.Fatalf("request %d: status %d, want %d", i, resp.StatusCode, wantStatus)
		}
	}
	clock.Advance(500 * time.Millisecond)
	if resp, _ := do(t, gw, "GET", "/prod/pets", nil); resp.StatusCode != 200 {
		t.Fatalf("after half a second: status %d, want 200", resp.StatusCode)
	}

	// The default is the managed service's: burst 5,000.
	gw, _ = throttled(t)
	admitted := 0
	for range 5001 {
		if resp, _ := do(t, gw, "GET", "/prod/pets", nil); resp.StatusCode == 200 {
			admitted++
		}
	}
	if admitted != throttle.DefaultGatewayBurst {
		t.Errorf("default gateway-wide limit admitted %d at once, want %d", admitted, throttle.DefaultGatewayBurst)
	}
}

func TestUsagePlan(t *testing.T) {
	gw, clock := throttled(t)
	ctx := context.Background()
	prod := throttle.StageRef{API: "pets", Stage: "prod"}
	err := gw.PutUsagePlan(throttle.Plan{
		Name:            "free",
		Stages:          []throttle.StageRef{prod},
		Throttle:        rate(10, 10),
		MethodThrottles: map[string]throttle.Rate{"POST /pets": {PerSecond: 1, Burst: 1}},
		Quota:           &throttle.Quota{Limit: 3, Period: throttle.Day},
	})
	if err != nil {
		t.Fatal(err)
	}
	id1, key1 := newKey(t, gw, "one")
	_, key2 := newKey(t, gw, "two")
	if err := gw.AttachKey(ctx, "free", id1); err != nil {
		t.Fatal(err)
	}

	// A key on no plan of the stage is refused; the open route is not
	// concerned.
	resp, body := do(t, gw, "GET", "/prod/pets/1", nil, "X-Api-Key", key2)
	want(t, resp, body, 403, "Forbidden", "RateLimit-Limit", "")
	resp, body = do(t, gw, "GET", "/prod/pets", nil)
	want(t, resp, body, 200, "")

	// The per-method throttle.
	resp, body = do(t, gw, "POST", "/prod/pets", nil, "X-Api-Key", key1)
	want(t, resp, body, 200, "", "RateLimit-Remaining", "0")
	resp, body = do(t, gw, "POST", "/prod/pets", nil, "X-Api-Key", key1)
	want(t, resp, body, 429, "Too Many Requests", "Retry-After", "1")

	// The quota: 3 a day, one spent; the headers count it down.
	for _, remaining := range []string{"1", "0"} {
		resp, body = do(t, gw, "GET", "/prod/pets/1", nil, "X-Api-Key", key1)
		want(t, resp, body, 200, "", "RateLimit-Limit", "3", "RateLimit-Remaining", remaining, "RateLimit-Reset", "43200")
	}
	resp, body = do(t, gw, "GET", "/prod/pets/1", nil, "X-Api-Key", key1)
	want(t, resp, body, 429, "Limit Exceeded", "Retry-After", "43200", "RateLimit-Remaining", "0")

	// Granting more quota.
	if rem, err := gw.AdjustQuota(ctx, "free", id1, 2); err != nil || rem != 2 {
		t.Fatalf("AdjustQuota(+2) = %d, %v; want 2", rem, err)
	}
	resp, body = do(t, gw, "GET", "/prod/pets/1", nil, "X-Api-Key", key1)
	want(t, resp, body, 200, "", "RateLimit-Remaining", "1")

	usage, err := gw.GetUsage(ctx, "free", id1, t0.Add(-24*time.Hour), t0)
	if err != nil || len(usage) != 2 || usage[0].Used != 0 || usage[1].Used != 4 {
		t.Errorf("GetUsage() = %+v, %v; want 0 yesterday and 4 today", usage, err)
	}

	// A new day brings the full quota back.
	clock.Advance(12 * time.Hour)
	resp, body = do(t, gw, "GET", "/prod/pets/1", nil, "X-Api-Key", key1)
	want(t, resp, body, 200, "", "RateLimit-Remaining", "2")

	// Detached, the key is on no plan of the stage.
	if err := gw.DetachKey(ctx, "free", id1); err != nil {
		t.Fatal(err)
	}
	resp, body = do(t, gw, "GET", "/prod/pets/1", nil, "X-Api-Key", key1)
	want(t, resp, body, 403, "Forbidden")
	if keys, err := gw.UsagePlanKeys(ctx, "free"); err != nil || len(keys) != 0 {
		t.Errorf("UsagePlanKeys(free) = %v, %v; want none", keys, err)
	}

	// Without plans on the stage, any valid key passes.
	if err := gw.DeleteUsagePlan(ctx, "free"); err != nil {
		t.Fatal(err)
	}
	resp, body = do(t, gw, "GET", "/prod/pets/1", nil, "X-Api-Key", key2)
	want(t, resp, body, 200, "", "RateLimit-Limit", "")
}

// TestThrottleResponses checks that throttling refusals are gateway
// responses the API can customize.
func TestThrottleResponses(t *testing.T) {
	gw := gateway.New(gateway.WithGatewayThrottle(throttle.Rate{PerSecond: 1, Burst: 1}))
	defer gw.Close()
	err := gw.Mount("/", &gateway.API{
		Routes: routes("GET /pets"),
		Responses: map[gateway.ResponseType]gateway.Response{
			gateway.Throttled: {Status: 503, Header: http.Header{"X-Slow-Down": {"yes"}}, Body: `{"error":"$context.error.message"}`},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	do(t, gw, "GET", "/pets", nil)
	resp, body := do(t, gw, "GET", "/pets", nil)
	want(t, resp, body, 503, "", "X-Slow-Down", "yes")
	if body != `{"error":"Too Many Requests"}` || resp.Header.Get("Retry-After") == "" {
		t.Errorf("body %s, Retry-After %q; want the custom body and a Retry-After", body, resp.Header.Get("Retry-After"))
	}
}

// TestThrottleStoreDown checks that a store that cannot answer gives 503,
// and that requests meeting no shared limit do not depend on it.
func TestThrottleStoreDown(t *testing.T) {
	down := throttle.StoreFunc(func(context.Context, throttle.TakeRequest) (throttle.Result, error) {
		return throttle.Result{}, errors.New("connection refused")
	})
	gw, _ := throttled(t, gateway.WithThrottleStore(down))
	resp, body := do(t, gw, "GET", "/prod/pets", nil)
	want(t, resp, body, 200, "")
	st, _ := gw.GetStage("pets", "prod")
	st.Throttle = rate(100, 100)
	if err := gw.PutStage("pets", st); err != nil {
		t.Fatal(err)
	}
	resp, body = do(t, gw, "GET", "/prod/pets", nil)
	want(t, resp, body, 503, "Service Unavailable")
}

func TestThrottleConfigErrors(t *testing.T) {
	ctx := context.Background()
	gw, _ := throttled(t)
	prod := throttle.StageRef{API: "pets", Stage: "prod"}
	stageErrs := []struct {
		name  string
		stage gateway.Stage
		want  string
	}{
		{"unknown route", gateway.Stage{RouteThrottles: map[string]throttle.Rate{"GET /nope": {PerSecond: 1, Burst: 1}}}, `RouteThrottles["GET /nope"]: no route "GET /nope"`},
		{"bad route key", gateway.Stage{RouteThrottles: map[string]throttle.Rate{"pets": {PerSecond: 1, Burst: 1}}}, `RouteThrottles["pets"]`},
		{"no burst", gateway.Stage{Throttle: rate(5, 0)}, "Throttle"},
		{"negative", gateway.Stage{RouteThrottles: map[string]throttle.Rate{"GET /pets": {PerSecond: -1}}}, `RouteThrottles["GET /pets"]`},
	}
	for _, tt := range stageErrs {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := gw.GetStage("pets", "prod")
			st.Throttle, st.RouteThrottles = tt.stage.Throttle, tt.stage.RouteThrottles
			if err := gw.PutStage("pets", st); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PutStage() = %v, want an error naming %s", err, tt.want)
			}
		})
	}
	planErrs := []struct {
		name string
		plan throttle.Plan
		want string
	}{
		{"unknown stage", throttle.Plan{Name: "p", Stages: []throttle.StageRef{{API: "pets", Stage: "dev"}}}, `Stages[0]: gateway: API "pets" has no stage "dev"`},
		{"unknown method", throttle.Plan{Name: "p", Stages: []throttle.StageRef{prod}, MethodThrottles: map[string]throttle.Rate{"DELETE /pets": {PerSecond: 1, Burst: 1}}}, `MethodThrottles["DELETE /pets"]`},
		{"bad quota", throttle.Plan{Name: "p", Stages: []throttle.StageRef{prod}, Quota: &throttle.Quota{Limit: 5, Period: "YEAR"}}, "Period"},
	}
	for _, tt := range planErrs {
		t.Run(tt.name, func(t *testing.T) {
			if err := gw.PutUsagePlan(tt.plan); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PutUsagePlan() = %v, want an error naming %s", err, tt.want)
			}
		})
	}
	if len(gw.UsagePlans()) != 0 {
		t.Fatalf("failed PutUsagePlan calls left plans: %+v", gw.UsagePlans())
	}

	if err := gw.PutUsagePlan(throttle.Plan{Name: "free", Stages: []throttle.StageRef{prod}}); err != nil {
		t.Fatal(err)
	}
	if err := gw.AttachKey(ctx, "free", "no-such-key"); err == nil {
		t.Error("AttachKey accepted a key that does not exist")
	}
	id, _ := newKey(t, gw, "k")
	if err := gw.AttachKey(ctx, "gold", id); err == nil {
		t.Error("AttachKey accepted a plan that does not exist")
	}
	if err := gw.DeleteStage("pets", "prod"); err == nil || !strings.Contains(err.Error(), `usage plan "free"`) {
		t.Errorf("DeleteStage of a stage in a plan = %v, want an error naming the plan", err)
	}
	if err := gw.RemoveAPI("pets"); err == nil || !strings.Contains(err.Error(), `usage plan "free"`) {
		t.Errorf("RemoveAPI of an API with a stage in a plan = %v, want an error naming the plan", err)
	}
	if err := gw.DeleteUsagePlan(ctx, "free"); err != nil {
		t.Fatal(err)
	}
	if err := gw.DeleteStage("pets", "prod"); err != nil {
		t.Errorf("DeleteStage after the plan went: %v", err)
	}

	bad := gateway.New(gateway.WithGatewayThrottle(throttle.Rate{PerSecond: 5}))
	if err := bad.Mount("/", &gateway.API{Routes: routes("GET /pets")}); err == nil || !strings.Contains(err.Error(), "WithGatewayThrottle") {
		t.Errorf("Mount with an invalid gateway-wide rate = %v, want an error naming WithGatewayThrottle", err)
	}
}
