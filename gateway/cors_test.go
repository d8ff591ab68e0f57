package gateway_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
)

func TestCORS(t *testing.T) {
	corsAPI := func(c *gateway.CORS) *gateway.API {
		return &gateway.API{
			CORS: c,
			Routes: []gateway.Route{
				{Key: "GET /ok", Integration: gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Access-Control-Allow-Origin", "https://evil.example") // replaced by the gateway's
					w.Header().Set("X-Total", "3")
				}))},
				{Key: "GET /denied", Integration: refuse(&gateway.Error{Type: gateway.Unauthorized})},
			},
		}
	}
	strict := &gateway.CORS{
		AllowOrigins:     []string{"https://app.example.com"},
		AllowMethods:     []string{"GET", "POST"},
		AllowHeaders:     []string{"Authorization", "Content-Type"},
		ExposeHeaders:    []string{"X-Total"},
		AllowCredentials: true,
		MaxAge:           10 * time.Minute,
	}
	open := &gateway.CORS{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}}
	tests := []struct {
		name   string
		cors   *gateway.CORS
		method string
		path   string
		header []string
		status int
		want   map[string]string // "" means absent
	}{
		{"preflight allowed", strict, "OPTIONS", "/anything", []string{"Origin", "https://app.example.com", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"},
			204, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "content-type", "Access-Control-Allow-Credentials": "true", "Access-Control-Max-Age": "600"}},
		{"preflight bad origin", strict, "OPTIONS", "/ok", []string{"Origin", "https://other.example", "Access-Control-Request-Method", "GET"},
			204, map[string]string{"Access-Control-Allow-Origin": "", "Access-Control-Allow-Methods": ""}},
		{"preflight bad method", strict, "OPTIONS", "/ok", []string{"Origin", "https://app.example.com", "Access-Control-Request-Method", "DELETE"},
			204, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"preflight bad header", strict, "OPTIONS", "/ok", []string{"Origin", "https://app.example.com", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-secret"},
			204, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"simple request", strict, "GET", "/ok", []string{"Origin", "https://app.example.com"},
			200, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Expose-Headers": "X-Total", "Access-Control-Allow-Credentials": "true", "Vary": "Origin"}},
		{"on a gateway error", strict, "GET", "/denied", []string{"Origin", "https://app.example.com"},
			401, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com"}},
		{"on not found", strict, "GET", "/nowhere", []string{"Origin", "https://app.example.com"},
			404, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com"}},
		{"other origin gets none", strict, "GET", "/ok", []string{"Origin", "https://other.example"},
			200, map[string]string{"Access-Control-Allow-Origin": ""}},
		{"any origin", open, "GET", "/ok", []string{"Origin", "https://x.example"},
			200, map[string]string{"Access-Control-Allow-Origin": "*"}},
		{"any preflight", open, "OPTIONS", "/ok", []string{"Origin", "https://x.example", "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "x-a,x-b"},
			204, map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "PATCH", "Access-Control-Allow-Headers": "x-a,x-b"}},
		{"plain OPTIONS is routed", strict, "OPTIONS", "/ok", []string{"Origin", "https://app.example.com"},
			404, map[string]string{"Access-Control-Allow-Origin": "https://app.example.com"}},
		{"no CORS config", nil, "GET", "/ok", []string{"Origin", "https://app.example.com"},
			200, map[string]string{"Access-Control-Allow-Origin": "https://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gw := mount(t, corsAPI(tt.cors))
			resp, body := do(t, gw, tt.method, tt.path, nil, tt.header...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tt.status, body)
			}
			for k, v := range tt.want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
				if n := len(resp.Header.Values(k)); v != "" && k != "Vary" && n != 1 {
					t.Errorf("%s sent %d times", k, n)
				}
			}
		})
	}
}
