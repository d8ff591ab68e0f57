package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

// syncBuffer is a log sink that tests read while the gateway writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, nil)), buf
}

func TestFunctionPayloadV2(t *testing.T) {
	clock := gatewaytest.NewClock(time.Date(2026, 3, 12, 19, 3, 58, 0, time.UTC))
	var got events.APIGatewayV2HTTPRequest
	fn := func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		got = req
		return events.APIGatewayV2HTTPResponse{
			StatusCode:        201,
			Headers:           map[string]string{"Content-Type": "text/plain"},
			MultiValueHeaders: map[string][]string{"X-Multi": {"a", "b"}},
			Cookies:           []string{"a=1", "b=2"},
			Body:              "created",
		}, nil
	}
	gw := mount(t, &gateway.API{Name: "pets", Routes: []gateway.Route{{Key: "POST /pets/{id}", Integration: gateway.Function(fn)}}}, gateway.WithClock(clock))
	resp, body := do(t, gw, "POST", "http://api.example.com/pets/a%20b?x=1&x=2&y=3", strings.NewReader(`{"n":1}`),
		"Content-Type", "application/json", "Cookie", "c1=v1; c2=v2", "X-Forwarded-For", "6.6.6.6")
	if resp.StatusCode != 201 || body != "created" {
		t.Fatalf("got %d %q", resp.StatusCode, body)
	}
	if v := resp.Header.Values("X-Multi"); len(v) != 2 {
		t.Errorf("X-Multi %v", v)
	}
	if v := resp.Header.Values("Set-Cookie"); len(v) != 2 || v[0] != "a=1" {
		t.Errorf("Set-Cookie %v", v)
	}
	rc := got.RequestContext
	checks := []struct{ name, got, want string }{
		{"version", got.Version, "2.0"},
		{"routeKey", got.RouteKey, "POST /pets/{id}"},
		{"rawPath", got.RawPath, "/pets/a%20b"},
		{"rawQueryString", got.RawQueryString, "x=1&x=2&y=3"},
		{"query x", got.QueryStringParameters["x"], "1,2"},
		{"path id", got.PathParameters["id"], "a b"},
		{"body", got.Body, `{"n":1}`},
		{"content-type", got.Headers["content-type"], "application/json"},
		{"x-forwarded-for", got.Headers["x-forwarded-for"], "192.0.2.1"},
		{"cookies", strings.Join(got.Cookies, "|"), "c1=v1|c2=v2"},
		{"requestId", rc.RequestID, resp.Header.Get("X-Request-Id")},
		{"apiId", rc.APIID, "pets"},
		{"stage", rc.Stage, "$default"},
		{"domainName", rc.DomainName, "api.example.com"},
		{"domainPrefix", rc.DomainPrefix, "api"},
		{"method", rc.HTTP.Method, "POST"},
		{"path", rc.HTTP.Path, "/pets/a b"},
		{"sourceIp", rc.HTTP.SourceIP, "192.0.2.1"},
		{"time", rc.Time, "12/Mar/2026:19:03:58 +0000"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if rc.TimeEpoch != clock.Now().UnixMilli() {
		t.Errorf("timeEpoch %d", rc.TimeEpoch)
	}
}

func TestFunctionPayloadV1(t *testing.T) {
	var got events.APIGatewayProxyRequest
	fn := func(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		got = req
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "aGVsbG8=", IsBase64Encoded: true,
			MultiValueHeaders: map[string][]string{"X-A": {"1", "2"}}}, nil
	}
	for _, kind := range []gateway.Kind{gateway.REST, gateway.HTTP} {
		t.Run(kind.String(), func(t *testing.T) {
			gw := mount(t, &gateway.API{Kind: kind, Routes: []gateway.Route{{Key: "GET /pets/{id}", Integration: gateway.Function(fn)}}})
			resp, body := do(t, gw, "GET", "/pets/7?q=a&q=b", nil, "X-H", "1", "X-H", "2")
			if resp.StatusCode != 200 || body != "hello" {
				t.Fatalf("got %d %q", resp.StatusCode, body)
			}
			if v := resp.Header.Values("X-A"); len(v) != 2 {
				t.Errorf("X-A %v", v)
			}
			if got.Resource != "/pets/{id}" || got.Path != "/pets/7" || got.HTTPMethod != "GET" ||
				got.PathParameters["id"] != "7" || got.QueryStringParameters["q"] != "b" ||
				len(got.MultiValueQueryStringParameters["q"]) != 2 || len(got.MultiValueHeaders["X-H"]) != 2 ||
				got.RequestContext.RequestID != resp.Header.Get("X-Request-Id") || got.RequestContext.ResourcePath != "/pets/{id}" {
				t.Errorf("payload %+v", got)
			}
		})
	}
}

type pet struct {
	Name string `json:"name"`
}

func TestFunctionBareJSON(t *testing.T) {
	fn := func(context.Context, events.APIGatewayV2HTTPRequest) ([]pet, error) {
		return []pet{{"Fido"}}, nil
	}
	gw := mount(t, &gateway.API{Routes: []gateway.Route{{Key: "GET /pets", Integration: gateway.Function(fn)}}})
	resp, body := do(t, gw, "GET", "/pets", nil)
	if resp.StatusCode != 200 || body != `[{"name":"Fido"}]` || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("got %d %q %v", resp.StatusCode, body, resp.Header)
	}
}

func TestFunctionFailures(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	tests := []struct {
		name    string
		fn      func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)
		status  int
		body    string
		logHas  string
		timeout time.Duration
	}{
		{
			name: "error",
			fn: func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{}, errors.New("db down")
			},
			status: 502, body: `{"message":"Internal Server Error"}`, logHas: "db down",
		},
		{
			name: "panic",
			fn: func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				panic("secret detail")
			},
			status: 502, body: `{"message":"Internal Server Error"}`, logHas: "function_test.go",
		},
		{
			name: "bad base64",
			fn: func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "!!", IsBase64Encoded: true}, nil
			},
			status: 502, body: `{"message":"Internal Server Error"}`, logHas: "malformed",
		},
		{
			name: "header injection",
			fn: func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X": "a\r\nSet-Cookie: x=1"}}, nil
			},
			status: 502, body: `{"message":"Internal Server Error"}`, logHas: "malformed",
		},
		{
			name: "timeout, function ignores its context",
			fn: func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
				<-release
				return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
			},
			timeout: 20 * time.Millisecond,
			status:  504, body: `{"message":"Endpoint request timed out"}`, logHas: "did not return",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := testLogger()
			gw := mount(t, &gateway.API{Routes: []gateway.Route{{Key: "GET /x", Integration: gateway.Function(tt.fn), Timeout: tt.timeout}}}, gateway.WithLogger(logger))
			resp, body := do(t, gw, "GET", "/x", nil)
			if resp.StatusCode != tt.status || body != tt.body {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.body)
			}
			if !strings.Contains(logs.String(), tt.logHas) {
				t.Errorf("log %q does not contain %q", logs.String(), tt.logHas)
			}
			if strings.Contains(body, "secret") {
				t.Error("panic value sent to the client")
			}
		})
	}
}

func TestFunctionBindErrors(t *testing.T) {
	v2 := func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, nil
	}
	tests := []struct {
		name string
		kind gateway.Kind
		in   gateway.Integration
		want string
	}{
		{"2.0 on REST", gateway.REST, gateway.Function(v2), "payload 1.0"},
		{"wrong request type", gateway.HTTP, gateway.Function(func(context.Context, string) (string, error) { return "", nil }), "must take"},
		{"1.0 with wrong response", gateway.REST, gateway.Function(func(context.Context, events.APIGatewayProxyRequest) (string, error) { return "", nil }), "APIGatewayProxyResponse"},
		{"2.0 with 1.0 response", gateway.HTTP, gateway.Function(func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayProxyResponse, error) {
			return events.APIGatewayProxyResponse{}, nil
		}), "APIGatewayV2HTTPResponse"},
		{"nil function", gateway.HTTP, gateway.Function[events.APIGatewayV2HTTPRequest, events.APIGatewayV2HTTPResponse](nil), "nil function"},
		{"lambda 2.0 on REST", gateway.REST, &gateway.Lambda{Handler: invokerFunc(nil), PayloadVersion: "2.0"}, `"1.0"`},
		{"lambda bad version", gateway.HTTP, &gateway.Lambda{Handler: invokerFunc(nil), PayloadVersion: "3"}, `"3"`},
		{"lambda nil handler", gateway.HTTP, &gateway.Lambda{}, "nil Handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := gateway.New().Mount("/", &gateway.API{Kind: tt.kind, Routes: []gateway.Route{{Key: "GET /x", Integration: tt.in}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `"GET /x"`) {
				t.Errorf("error %v, want one naming the route and %q", err, tt.want)
			}
		})
	}
}

type invokerFunc func(context.Context, []byte) ([]byte, error)

func (f invokerFunc) Invoke(ctx context.Context, p []byte) ([]byte, error) { return f(ctx, p) }

func TestLambda(t *testing.T) {
	tests := []struct {
		name    string
		kind    gateway.Kind
		version string
		out     string
		status  int
		body    string
	}{
		{"2.0 bare object", gateway.HTTP, "", `{"hello":"world"}`, 200, `{"hello":"world"}`},
		{"2.0 bare string", gateway.HTTP, "", `"hi"`, 200, `"hi"`},
		{"2.0 response object", gateway.HTTP, "2.0", `{"statusCode":418,"body":"teapot"}`, 418, "teapot"},
		{"1.0 on HTTP", gateway.HTTP, "1.0", `{"statusCode":202,"body":"ok"}`, 202, "ok"},
		{"1.0 REST", gateway.REST, "", `{"statusCode":200,"body":"rest"}`, 200, "rest"},
		{"1.0 malformed", gateway.REST, "", `{"body":"no status"}`, 502, `{"message":"Internal Server Error"}`},
		{"invalid JSON", gateway.HTTP, "", `{`, 502, `{"message":"Internal Server Error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var version string
			h := invokerFunc(func(_ context.Context, p []byte) ([]byte, error) {
				var probe struct {
					Version string `json:"version"`
				}
				_ = json.Unmarshal(p, &probe)
				version = probe.Version
				return []byte(tt.out), nil
			})
			logger, _ := testLogger()
			gw := mount(t, &gateway.API{Kind: tt.kind, Routes: []gateway.Route{{Key: "GET /x", Integration: &gateway.Lambda{Handler: h, PayloadVersion: tt.version}}}}, gateway.WithLogger(logger))
			resp, body := do(t, gw, "GET", "/x", nil)
			if resp.StatusCode != tt.status || body != tt.body {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.body)
			}
			wantV := "2.0"
			if tt.kind == gateway.REST || tt.version == "1.0" {
				wantV = "" // payload 1.0 has no version field
			}
			if version != wantV {
				t.Errorf("payload version %q, want %q", version, wantV)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	fn := func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{Body: req.Body}, nil
	}
	gw := mount(t, &gateway.API{MaxBodyBytes: 16, Routes: []gateway.Route{
		{Key: "POST /f", Integration: gateway.Function(fn)},
		{Key: "POST /h", Integration: gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, err := io.ReadAll(r.Body)
			if err != nil {
				gateway.WriteError(w, r, &gateway.Error{Type: gateway.RequestTooLarge, Err: err})
			}
		}))},
	}})
	tests := []struct {
		name   string
		path   string
		body   io.Reader
		status int
	}{
		{"fits", "/f", strings.NewReader("0123456789abcdef"), 200},
		{"content-length over", "/f", strings.NewReader("0123456789abcdefX"), 413},
		{"chunked over, function", "/f", io.MultiReader(strings.NewReader(strings.Repeat("x", 40))), 413},
		{"chunked over, handler", "/h", io.MultiReader(strings.NewReader(strings.Repeat("x", 40))), 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := http.NewRequest("POST", "http://gw.test"+tt.path, tt.body)
			resp, err := gatewaytest.Client(gw).Do(r)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Errorf("got %d %s, want %d", resp.StatusCode, b, tt.status)
			}
			if tt.status == 413 && string(b) != `{"message":"Request Too Long"}` {
				t.Errorf("body %s", b)
			}
		})
	}
}
