package gateway_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/gateway"
)

// refuse is an integration that answers every request with the gateway
// response for err.
func refuse(err error) gateway.Integration {
	return gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gateway.WriteError(w, r, err)
	}))
}

func TestGatewayResponseDefaults(t *testing.T) {
	tests := []struct {
		typ    gateway.ResponseType
		status int
		body   string
	}{
		{gateway.AccessDenied, 403, `{"message":"Forbidden"}`},
		{gateway.APIConfigurationError, 500, `{"message":"Internal server error"}`},
		{gateway.AuthorizerConfigurationError, 500, `{"message":"Internal server error"}`},
		{gateway.AuthorizerFailure, 500, `{"message":"Internal server error"}`},
		{gateway.BadRequestParameters, 400, `{"message":"Bad request parameters"}`},
		{gateway.BadRequestBody, 400, `{"message":"Invalid request body"}`},
		{gateway.ExpiredToken, 403, `{"message":"The security token included in the request is expired"}`},
		{gateway.IntegrationFailure, 504, `{"message":"Internal server error"}`},
		{gateway.IntegrationTimeout, 504, `{"message":"Endpoint request timed out"}`},
		{gateway.InvalidAPIKey, 403, `{"message":"Forbidden"}`},
		{gateway.InvalidSignature, 403, `{"message":"Invalid request signature"}`},
		{gateway.MissingAuthenticationToken, 403, `{"message":"Missing Authentication Token"}`},
		{gateway.QuotaExceeded, 429, `{"message":"Limit Exceeded"}`},
		{gateway.RequestTooLarge, 413, `{"message":"Request Too Long"}`},
		{gateway.ResourceNotFound, 404, `{"message":"Not Found"}`},
		{gateway.Throttled, 429, `{"message":"Too Many Requests"}`},
		{gateway.Unauthorized, 401, `{"message":"Unauthorized"}`},
		{gateway.UnsupportedMediaType, 415, `{"message":"Unsupported Media Type"}`},
		{gateway.Default4XX, 400, `{"message":"Bad Request"}`},
		{gateway.Default5XX, 500, `{"message":"Internal server error"}`},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			if got := tt.typ.DefaultStatus(); got != tt.status {
				t.Errorf("DefaultStatus %d, want %d", got, tt.status)
			}
			gw := mount(t, &gateway.API{Routes: []gateway.Route{{Key: "GET /x", Integration: refuse(&gateway.Error{Type: tt.typ})}}})
			resp, body := do(t, gw, "GET", "/x", nil)
			if resp.StatusCode != tt.status || body != tt.body {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

func TestGatewayResponseOverrides(t *testing.T) {
	api := func(err error) *gateway.API {
		return &gateway.API{
			Routes: []gateway.Route{{Key: "GET /x", Integration: refuse(err)}},
			Responses: map[gateway.ResponseType]gateway.Response{
				gateway.Throttled: {
					Status: 503,
					Header: http.Header{"Retry-After": {"7"}},
					Body:   `{"error":$context.error.messageString,"type":"$context.error.responseType","id":"$context.requestId"}`,
				},
				gateway.Default4XX: {Header: http.Header{"X-Class": {"4xx"}}, Body: `<e>$context.error.message</e>`},
				gateway.Default5XX: {Status: 502},
			},
		}
	}
	tests := []struct {
		name   string
		err    error
		status int
		body   string // "$id" is replaced by the request id
		header string // X-Class or Retry-After
	}{
		{"own override", &gateway.Error{Type: gateway.Throttled}, 503, `{"error":"Too Many Requests","type":"THROTTLED","id":"$id"}`, "7"},
		{"4xx fallback", &gateway.Error{Type: gateway.Unauthorized}, 401, `<e>Unauthorized</e>`, "4xx"},
		{"message replaced", &gateway.Error{Type: gateway.AccessDenied, Message: `no "way"`}, 403, `<e>no "way"</e>`, "4xx"},
		{"5xx fallback", &gateway.Error{Type: gateway.AuthorizerFailure}, 502, `{"message":"Internal server error"}`, ""},
		{"plain error is DEFAULT_5XX", errors.New("boom"), 502, `{"message":"Internal server error"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw := mount(t, api(tt.err))
			resp, body := do(t, gw, "GET", "/x", nil)
			want := tt.body
			if id := resp.Header.Get("X-Request-Id"); id != "" {
				want = strings.ReplaceAll(want, "$id", id)
			}
			if resp.StatusCode != tt.status || body != want {
				t.Errorf("got %d %s, want %d %s", resp.StatusCode, body, tt.status, want)
			}
			if tt.header != "" && resp.Header.Get("X-Class")+resp.Header.Get("Retry-After") != tt.header {
				t.Errorf("headers %v", resp.Header)
			}
		})
	}
}

func TestErrorUnwrap(t *testing.T) {
	cause := errors.New("cause")
	err := error(&gateway.Error{Type: gateway.Throttled, Err: cause})
	if !errors.Is(err, cause) {
		t.Error("errors.Is does not find the cause")
	}
	var ge *gateway.Error
	if !errors.As(err, &ge) || ge.Type != gateway.Throttled {
		t.Error("errors.As")
	}
}

func TestRequestIDs(t *testing.T) {
	gw := mount(t, &gateway.API{Routes: routes("GET /x")})
	seen := map[string]bool{}
	for range 1000 {
		resp, _ := do(t, gw, "GET", "/x", nil, "X-Request-Id", "client-chosen")
		id := resp.Header.Get("X-Request-Id")
		if len(id) != 36 || id[14] != '4' || seen[id] {
			t.Fatalf("bad or repeated request id %q", id)
		}
		seen[id] = true
	}
}
