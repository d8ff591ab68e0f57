package gateway_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
)

// hello is the handler the handler benchmarks wrap.
var hello = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "hello")
})

// benchServe measures h serving GET target, with the header pairs given,
// through httptest, the way the baseline calls a bare handler.
func benchServe(b *testing.B, h http.Handler, target string, header ...string) {
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

func benchGateway(b *testing.B, in gateway.Integration, opts ...gateway.Option) http.Handler {
	return mount(b, &gateway.API{Name: "bench", Routes: []gateway.Route{
		{Key: "GET /pets", Integration: in},
		{Key: "GET /pets/{id}", Integration: in},
		{Key: "GET /owners/{owner}/pets/{id}", Integration: in},
		{Key: "ANY /files/{proxy+}", Integration: in},
		{Key: "POST /pets", Integration: in},
	}}, append([]gateway.Option{highGatewayRate}, opts...)...)
}

// BenchmarkHandler compares a Handler route with calling the handler
// directly: the gateway's own cost per request.
func BenchmarkHandler(b *testing.B) {
	b.Run("direct", func(b *testing.B) { benchServe(b, hello, "/pets/42") })
	b.Run("gateway", func(b *testing.B) { benchServe(b, benchGateway(b, gateway.Handler(hello)), "/pets/42") })
	b.Run("gateway-literal", func(b *testing.B) { benchServe(b, benchGateway(b, gateway.Handler(hello)), "/pets") })
}

// BenchmarkStats measures what WithStats costs a Handler route: "off" is
// BenchmarkHandler's gateway case, "on" the same with statistics kept,
// serially and from every CPU at once on the one route (the worst case
// for contention: every request takes the same series lock).
func BenchmarkStats(b *testing.B) {
	off := benchGateway(b, gateway.Handler(hello))
	on := benchGateway(b, gateway.Handler(hello), gateway.WithStats())
	b.Run("off", func(b *testing.B) { benchServe(b, off, "/pets/42") })
	b.Run("on", func(b *testing.B) { benchServe(b, on, "/pets/42") })
	b.Run("off-parallel", func(b *testing.B) { benchParallel(b, off, "/pets/42") })
	b.Run("on-parallel", func(b *testing.B) { benchParallel(b, on, "/pets/42") })
}

// benchParallel measures h serving GET target from every CPU at once.
func benchParallel(b *testing.B, h http.Handler, target string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest("GET", target, nil)
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("status %d", rec.Code)
				return
			}
		}
	})
}

func BenchmarkMock(b *testing.B) {
	benchServe(b, benchGateway(b, &gateway.Mock{Body: "hello"}), "/pets/42")
}

func BenchmarkFunction(b *testing.B) {
	fnV2 := func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "hello " + req.PathParameters["id"]}, nil
	}
	fnV1 := func(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "hello " + req.PathParameters["id"]}, nil
	}
	b.Run("direct-v2", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = fnV2(context.Background(), events.APIGatewayV2HTTPRequest{PathParameters: map[string]string{"id": "42"}})
		}
	})
	b.Run("gateway-v2", func(b *testing.B) { benchServe(b, benchGateway(b, gateway.Function(fnV2)), "/pets/42") })
	b.Run("gateway-v1", func(b *testing.B) { benchServe(b, benchGateway(b, gateway.Function(fnV1)), "/pets/42") })
}

// BenchmarkProxy compares an HTTPProxy route with a bare
// httputil.ReverseProxy to the same loopback backend, in parallel.
func BenchmarkProxy(b *testing.B) {
	backend := httptest.NewServer(hello)
	defer backend.Close()
	target, _ := url.Parse(backend.URL)
	transport := &http.Transport{MaxIdleConnsPerHost: 256}
	defer transport.CloseIdleConnections()
	bare := &httputil.ReverseProxy{
		Transport: transport,
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded()
		},
	}
	gw := mount(b, &gateway.API{Routes: []gateway.Route{
		{Key: "ANY /files/{proxy+}", Integration: &gateway.HTTPProxy{URL: backend.URL + "/{proxy}", Transport: transport}},
	}}, highGatewayRate)
	b.Run("bare", func(b *testing.B) { benchParallel(b, bare, "/files/a/b") })
	b.Run("gateway", func(b *testing.B) { benchParallel(b, gw, "/files/a/b") })
}

// BenchmarkUsagePlan compares a route that requires an API key on a stage
// without plans ("key") with the same route on a stage where every level
// applies: a stage throttle, a usage plan with a per-key throttle, a
// per-method throttle and a daily quota, all in memory ("plan").
func BenchmarkUsagePlan(b *testing.B) {
	high := throttle.Rate{PerSecond: 1e9, Burst: 1e9}
	gw := gateway.New(highGatewayRate)
	b.Cleanup(func() { _ = gw.Close() })
	const route = "GET /pets/{id}"
	api := &gateway.API{Name: "bench", Routes: []gateway.Route{{Key: route, Integration: gateway.Handler(hello), APIKeyRequired: true}}}
	if err := gw.AddAPI("/", api); err != nil {
		b.Fatal(err)
	}
	d, err := gw.Deploy("bench", "")
	if err != nil {
		b.Fatal(err)
	}
	for _, st := range []gateway.Stage{{Name: "key", DeploymentID: d.ID}, {Name: "plan", DeploymentID: d.ID, Throttle: &high}} {
		if err := gw.PutStage("bench", st); err != nil {
			b.Fatal(err)
		}
	}
	err = gw.PutUsagePlan(throttle.Plan{
		Name: "bench", Stages: []throttle.StageRef{{API: "bench", Stage: "plan"}},
		Throttle: &high, MethodThrottles: map[string]throttle.Rate{route: high},
		Quota: &throttle.Quota{Limit: 1 << 50, Period: throttle.Day},
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	k, value, err := gw.APIKeys().Create(ctx, "bench", "")
	if err != nil {
		b.Fatal(err)
	}
	if err := gw.AttachKey(ctx, "bench", k.ID); err != nil {
		b.Fatal(err)
	}
	for _, stage := range []string{"key", "plan"} {
		b.Run(stage, func(b *testing.B) { benchServe(b, gw, "/"+stage+"/pets/42", "X-Api-Key", value) })
	}
}

// BenchmarkCache compares a cache hit with the same route calling a
// function integration that takes 1 ms, through the gateway.
func BenchmarkCache(b *testing.B) {
	slow := gateway.Function(func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		time.Sleep(time.Millisecond)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: `{"id":42,"name":"Fido"}`}, nil
	})
	gw := gateway.New(highGatewayRate)
	b.Cleanup(func() { _ = gw.Close() })
	if err := gw.AddAPI("/", &gateway.API{Name: "bench", Routes: []gateway.Route{{Key: "GET /pets/{id}", Integration: slow}}}); err != nil {
		b.Fatal(err)
	}
	d, err := gw.Deploy("bench", "")
	if err != nil {
		b.Fatal(err)
	}
	for _, st := range []gateway.Stage{
		{Name: "uncached", DeploymentID: d.ID},
		{Name: "cached", DeploymentID: d.ID, Cache: &gateway.StageCache{Capacity: 1 << 20}},
	} {
		if err := gw.PutStage("bench", st); err != nil {
			b.Fatal(err)
		}
	}
	for _, stage := range []string{"uncached", "cached"} {
		b.Run(stage, func(b *testing.B) { benchServe(b, gw, "/"+stage+"/pets/42") })
	}
}

// BenchmarkValidate measures a route's request validator: a POST of a
// small JSON body to a Handler route that reads it, without validation,
// with its parameters checked, and with its body checked against a JSON
// Schema as well.
func BenchmarkValidate(b *testing.B) {
	const body = `{"name":"Rex","type":"dog","age":3,"tags":["good","brown"]}`
	model := &gateway.Model{Name: "NewPet", Schema: `{
		"type": "object",
		"required": ["name"],
		"properties": {
			"name": {"type": "string", "minLength": 1},
			"type": {"type": "string", "enum": ["dog", "cat", "fish"]},
			"age": {"type": "integer", "minimum": 0},
			"tags": {"type": "array", "items": {"type": "string"}}
		}
	}`}
	params := []gateway.Parameter{
		{In: "querystring", Name: "dryRun", Type: "boolean"},
		{In: "header", Name: "X-Tenant", Required: true},
	}
	read := gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	}))
	for _, tt := range []struct {
		name     string
		validate gateway.Validation
	}{{"none", gateway.ValidateNone}, {"parameters", gateway.ValidateParameters}, {"body-and-parameters", gateway.ValidateAll}} {
		b.Run(tt.name, func(b *testing.B) {
			h := mount(b, &gateway.API{Name: "bench", Routes: []gateway.Route{{Key: "POST /pets", Integration: read,
				RequestModel: model, RequestParameters: params, Validate: tt.validate}}}, highGatewayRate)
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/pets?dryRun=true", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Tenant", "acme")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
