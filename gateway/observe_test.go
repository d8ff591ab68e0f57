package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/throttle"
)

// observed is a gateway on stage "prod" of API "pets" with the given
// stage settings, reporting to a manual metric reader.
func observed(t *testing.T, st gateway.Stage, routes []gateway.Route, opts ...gateway.Option) (*gateway.Gateway, *sdkmetric.ManualReader) {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	return stagedGateway(t, st, routes, append(opts, gateway.WithMeterProvider(mp))...), reader
}

// collect reads the metrics, by name.
func collect(t *testing.T, reader *sdkmetric.ManualReader) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// counterValue is the value of a counter for one route.
func counterValue(t *testing.T, data map[string]metricdata.Aggregation, name, route string) int64 {
	t.Helper()
	sum, ok := data[name].(metricdata.Sum[int64])
	if !ok {
		return 0
	}
	var n int64
	for _, dp := range sum.DataPoints {
		if v, _ := dp.Attributes.Value("Resource"); v.AsString() == route {
			if api, _ := dp.Attributes.Value("ApiName"); api.AsString() != "pets" {
				t.Errorf("%s: ApiName %q", name, api.AsString())
			}
			if st, _ := dp.Attributes.Value("Stage"); st.AsString() != "prod" {
				t.Errorf("%s: Stage %q", name, st.AsString())
			}
			n += dp.Value
		}
	}
	return n
}

func TestMetrics(t *testing.T) {
	status := func(code int) gateway.Integration {
		return gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }))
	}
	gw, reader := observed(t, gateway.Stage{
		Cache:          &gateway.StageCache{Capacity: 1 << 20},
		RouteThrottles: map[string]throttle.Rate{"GET /limited": {PerSecond: 1, Burst: 1}},
	}, []gateway.Route{
		{Key: "GET /pets/{id}", Integration: status(200)},
		{Key: "GET /missing", Integration: status(404), Cache: &gateway.RouteCache{Disabled: true}},
		{Key: "GET /broken", Integration: status(500), Cache: &gateway.RouteCache{Disabled: true}},
		{Key: "GET /limited", Integration: status(200), Cache: &gateway.RouteCache{Disabled: true}},
	})
	for _, target := range []string{"/prod/pets/1", "/prod/pets/1", "/prod/pets/2", "/prod/missing", "/prod/broken", "/prod/broken", "/prod/limited", "/prod/limited"} {
		do(t, gw, "GET", target, nil)
	}
	data := collect(t, reader)
	for _, tt := range []struct {
		name, route string
		want        int64
	}{
		{"gatekit.Count", "GET /pets/{id}", 3},
		{"gatekit.CacheHitCount", "GET /pets/{id}", 1},
		{"gatekit.CacheMissCount", "GET /pets/{id}", 2},
		{"gatekit.4XXError", "GET /missing", 1},
		{"gatekit.5XXError", "GET /broken", 2},
		{"gatekit.Count", "GET /limited", 2},
		{"gatekit.ThrottleCount", "GET /limited", 1},
		{"gatekit.4XXError", "GET /limited", 1},
		{"gatekit.4XXError", "GET /pets/{id}", 0},
	} {
		if got := counterValue(t, data, tt.name, tt.route); got != tt.want {
			t.Errorf("%s{Resource=%q} = %d, want %d", tt.name, tt.route, got, tt.want)
		}
	}
	lat, ok := data["gatekit.Latency"].(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("gatekit.Latency is %T", data["gatekit.Latency"])
	}
	var latCount uint64
	for _, dp := range lat.DataPoints {
		latCount += dp.Count
	}
	if latCount != 8 {
		t.Errorf("gatekit.Latency has %d measurements, want 8", latCount)
	}
	integ := data["gatekit.IntegrationLatency"].(metricdata.Histogram[float64])
	var integCount uint64
	for _, dp := range integ.DataPoints {
		integCount += dp.Count
	}
	if integCount != 6 { // not the cache hit, not the throttled request
		t.Errorf("gatekit.IntegrationLatency has %d measurements, want 6", integCount)
	}
	semconv := data["http.server.request.duration"].(metricdata.Histogram[float64])
	found := false
	for _, dp := range semconv.DataPoints {
		route, _ := dp.Attributes.Value("http.route")
		code, _ := dp.Attributes.Value("http.response.status_code")
		if route.AsString() == "/broken" && code.AsInt64() == 500 && dp.Count == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("http.server.request.duration has no {http.route=/broken, status 500} point with 2 requests: %+v", semconv.DataPoints)
	}
}

func TestTracing(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	var backendTraceparent string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		backendTraceparent = r.Header.Get("Traceparent")
	}))
	defer backend.Close()
	var fnTrace trace.SpanContext
	fn := gateway.Function(func(ctx context.Context, _ events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		fnTrace = trace.SpanContextFromContext(ctx)
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	})
	gw, _ := observed(t, gateway.Stage{Tracing: gateway.Tracing{Enabled: true}}, []gateway.Route{
		{Key: "GET /fn", Integration: fn, Authorizer: "bearer"},
		{Key: "GET /proxy", Integration: &gateway.HTTPProxy{URL: backend.URL}},
	}, gateway.WithTracerProvider(tp), gateway.WithPropagator(propagation.TraceContext{}))

	const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	do(t, gw, "GET", "/prod/fn", nil, "Authorization", "Bearer alice", "Traceparent", parent)
	spans := exp.GetSpans()
	byName := map[string]tracetest.SpanStub{}
	for _, sp := range spans {
		byName[sp.Name] = sp
	}
	server, ok := byName["GET /fn"]
	if !ok {
		t.Fatalf("no server span named for the route; spans: %v", names(spans))
	}
	if server.SpanKind != trace.SpanKindServer || server.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || server.Parent.SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("server span %+v: want kind server, continuing the request's trace", server.SpanContext)
	}
	for _, child := range []string{"authorizer", "throttle", "integration"} {
		sp, ok := byName[child]
		if !ok || sp.Parent.SpanID() != server.SpanContext.SpanID() {
			t.Errorf("span %q: found %v, parent %v; want a child of the server span", child, ok, sp.Parent.SpanID())
		}
	}
	if fnTrace.TraceID() != server.SpanContext.TraceID() {
		t.Errorf("the function's context carries trace %v, want the request's", fnTrace.TraceID())
	}
	attrs := attribute.NewSet(server.Attributes...)
	if v, _ := attrs.Value("http.response.status_code"); v.AsInt64() != 200 {
		t.Errorf("server span status attribute = %v", v)
	}

	exp.Reset()
	do(t, gw, "GET", "/prod/proxy", nil)
	if !strings.HasPrefix(backendTraceparent, "00-") || !strings.Contains(backendTraceparent, exp.GetSpans()[len(exp.GetSpans())-1].SpanContext.TraceID().String()) {
		t.Errorf("the backend got traceparent %q, want the request's trace", backendTraceparent)
	}
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}

func TestAccessLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	format := `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod","route":"$context.routeKey",` +
		`"path":"$context.path","status":"$context.status","len":"$context.responseLength","proto":"$context.protocol",` +
		`"integration":"$context.integrationStatus","error":"$context.error.message","who":"$context.authorizer.principalId"}`
	gw, _ := observed(t, gateway.Stage{AccessLog: &gateway.AccessLog{Logger: logger, Format: format}}, []gateway.Route{
		{Key: "GET /pets/{id}", Integration: gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("hello")) })), Authorizer: "bearer"},
	})
	resp, _ := do(t, gw, "GET", "/prod/pets/7", nil, "Authorization", "Bearer alice")
	do(t, gw, "GET", "/prod/pets/7", nil) // refused: no token
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d access-log lines, want 2:\n%s", len(lines), buf.String())
	}
	var rec struct{ Msg string }
	_ = json.Unmarshal([]byte(lines[0]), &rec)
	var got map[string]string
	if err := json.Unmarshal([]byte(rec.Msg), &got); err != nil {
		t.Fatalf("line %q: %v", rec.Msg, err)
	}
	want := map[string]string{"requestId": resp.Header.Get("X-Request-Id"), "method": "GET", "route": "GET /pets/{id}", "path": "/prod/pets/7",
		"status": "200", "len": "5", "proto": "HTTP/1.1", "integration": "200", "error": "-", "who": "alice"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	_ = json.Unmarshal([]byte(lines[1]), &rec)
	if !strings.Contains(rec.Msg, `"status":"401"`) || !strings.Contains(rec.Msg, `"error":"Unauthorized"`) || !strings.Contains(rec.Msg, `"integration":"-"`) {
		t.Errorf("refused request's line: %s", rec.Msg)
	}

	// Without a Format, one attribute per variable.
	buf.Reset()
	st, _ := gw.GetStage("pets", "prod")
	st.AccessLog = &gateway.AccessLog{Logger: logger}
	if err := gw.PutStage("pets", st); err != nil {
		t.Fatal(err)
	}
	do(t, gw, "GET", "/prod/pets/7", nil, "Authorization", "Bearer bob")
	var structured map[string]string
	if err := json.Unmarshal(buf.Bytes(), &structured); err != nil || structured["status"] != "200" || structured["authorizer.principalId"] != "bob" || structured["routeKey"] != "GET /pets/{id}" {
		t.Errorf("structured record %s (%v)", buf.String(), err)
	}

	st.AccessLog = &gateway.AccessLog{Logger: logger, Format: "$context.requestId $context.nosuchthing $context.identity.bogus"}
	if err := gw.PutStage("pets", st); err == nil || !strings.Contains(err.Error(), "$context.nosuchthing") || !strings.Contains(err.Error(), "$context.identity.bogus") {
		t.Errorf("PutStage with unknown variables = %v, want an error naming both", err)
	}
	st.AccessLog, st.Tracing = nil, gateway.Tracing{Enabled: true, SampleRate: 2}
	if err := gw.PutStage("pets", st); err == nil || !strings.Contains(err.Error(), "Tracing.SampleRate") {
		t.Errorf("PutStage with a sample rate of 2 = %v, want an error", err)
	}
}

func TestExecutionLog(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	fail := gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }))
	for _, level := range []gateway.ExecutionLogLevel{gateway.LogInfo, gateway.LogError} {
		t.Run(string(level), func(t *testing.T) {
			buf.Reset()
			gw, _ := observed(t, gateway.Stage{ExecutionLog: gateway.ExecutionLog{Level: level, Logger: logger}}, []gateway.Route{
				{Key: "GET /ok", Integration: echo, Authorizer: "bearer"},
				{Key: "GET /fail", Integration: fail},
			})
			do(t, gw, "GET", "/prod/ok?access_token=s3cret&size=2", nil, "Authorization", "Bearer alice-token", "X-Api-Key", "k3y", "Cookie", "session=abc")
			do(t, gw, "GET", "/prod/ok", nil)
			do(t, gw, "GET", "/prod/fail", nil)
			var recs []map[string]any
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				recs = append(recs, m)
			}
			if level == gateway.LogError {
				if len(recs) != 1 || recs[0]["route"] != "GET /fail" || recs[0]["level"] != "ERROR" {
					t.Fatalf("ERROR level logged %v, want only the 5xx request", recs)
				}
				return
			}
			if len(recs) != 3 {
				t.Fatalf("INFO level logged %d records, want 3", len(recs))
			}
			ok, denied := recs[0], recs[1]
			if ok["authorizer"] != "bearer" || ok["authorizer_decision"] != "allow" || ok["principal"] != "alice-token" || ok["throttle"] != "admitted" || ok["integration_status"] != float64(200) {
				t.Errorf("allowed request's record: %v", ok)
			}
			if denied["authorizer_decision"] != "UNAUTHORIZED" || denied["status"] != float64(401) || denied["error"] == nil {
				t.Errorf("denied request's record: %v", denied)
			}
			if strings.Contains(buf.String(), "s3cret") || strings.Contains(buf.String(), "k3y") || strings.Contains(buf.String(), "session=abc") || strings.Contains(buf.String(), "Bearer alice") {
				t.Errorf("a credential reached the log:\n%s", buf.String())
			}
			if !strings.Contains(buf.String(), `"Bearer ****"`) || !strings.Contains(ok["query"].(string), "size=2") {
				t.Errorf("masking should keep the scheme and other parameters: %v", ok)
			}
		})
	}
	st := gateway.Stage{ExecutionLog: gateway.ExecutionLog{Level: "DEBUG", Logger: logger}}
	gw := gateway.New()
	defer gw.Close()
	if err := gw.Mount("/", &gateway.API{Routes: routes("GET /x")}); err != nil {
		t.Fatal(err)
	}
	cur, _ := gw.GetStage("api", "$default")
	cur.ExecutionLog = st.ExecutionLog
	if err := gw.PutStage("api", cur); err == nil || !strings.Contains(err.Error(), "ExecutionLog.Level") {
		t.Errorf("PutStage with level DEBUG = %v, want an error", err)
	}
}

// TestResponseLength: the access log counts bytes however the handler
// writes them (Write, io.WriteString, io.Copy).
func TestResponseLength(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	h := gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ab"))
		_, _ = io.WriteString(w, "cde")
		_, _ = io.Copy(w, strings.NewReader("fghi"))
	}))
	gw, _ := observed(t, gateway.Stage{AccessLog: &gateway.AccessLog{Logger: logger, Format: "$context.responseLength $context.status"}},
		[]gateway.Route{{Key: "GET /x", Integration: h}})
	_, body := do(t, gw, "GET", "/prod/x", nil)
	var rec struct{ Msg string }
	_ = json.Unmarshal(buf.Bytes(), &rec)
	if body != "abcdefghi" || rec.Msg != "9 200" {
		t.Errorf("body %q, access log %q; want 9 bytes counted", body, rec.Msg)
	}
}
