package gateway_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
)

// bearer is an authorizer that accepts "Bearer ok-SCOPE" tokens and
// challenges everything else.
type bearer struct{}

func (bearer) Authorize(_ context.Context, r *auth.Request) (*auth.Identity, error) {
	h := r.HTTP.Header.Get("Authorization")
	switch {
	case h == "":
		return nil, fmt.Errorf("%w: no token", auth.ErrUnauthorized)
	case h == "Bearer broken":
		return nil, errors.New("identity provider unreachable: secret detail")
	case !strings.HasPrefix(h, "Bearer ok-"):
		return nil, fmt.Errorf("%w: signature of kid 7 failed: secret detail", auth.ErrUnauthorized)
	}
	scope := strings.TrimPrefix(h, "Bearer ok-")
	return &auth.Identity{Kind: "jwt", Principal: "alice", Claims: map[string]any{"sub": "alice", "n": 3.0}, Scopes: []string{scope}}, nil
}

func (bearer) Challenge(err error) string { return `Bearer realm="test"` }

func TestAuthorizers(t *testing.T) {
	var got events.APIGatewayV2HTTPRequest
	fn := func(_ context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		got = req
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "fn"}, nil
	}
	handler := gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := gateway.Identity(r.Context())
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "handler %s %s key=%s body=%s", id.Kind, id.Principal, gateway.APIKeyID(r.Context()), body)
	}))
	custom := &auth.Custom{Token: func(_ context.Context, e events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		if e.AuthorizationToken != "letmein" {
			return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
		}
		return events.APIGatewayCustomAuthorizerResponse{
			PrincipalID: "bob",
			PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Statement: []events.IAMPolicyStatement{
				{Effect: "Allow", Action: []string{"execute-api:Invoke"}, Resource: []string{"arn:aws:execute-api:*:*:shop/$default/GET/*"}},
			}},
			Context: map[string]any{"tier": "gold"},
		}, nil
	}}

	gw := gateway.New()
	defer gw.Close()
	for name, a := range map[string]auth.Authorizer{"bearer": bearer{}, "custom": custom} {
		if err := gw.RegisterAuthorizer(name, a); err != nil {
			t.Fatal(err)
		}
	}
	k, keyValue, err := gw.APIKeys().Create(context.Background(), "partner", "")
	if err != nil {
		t.Fatal(err)
	}
	_, disabledValue, _ := gw.APIKeys().Create(context.Background(), "old", "")
	keys, _ := gw.APIKeys().List(context.Background())
	if err := gw.APIKeys().SetEnabled(context.Background(), keys[1].ID, false); err != nil {
		t.Fatal(err)
	}
	err = gw.Mount("/", &gateway.API{Name: "shop", Routes: []gateway.Route{
		{Key: "GET /fn", Integration: gateway.Function(fn), Authorizer: "bearer"},
		{Key: "POST /handler", Integration: handler, Authorizer: "bearer", AuthorizationScopes: []string{"write", "admin"}},
		{Key: "GET /custom", Integration: handler, Authorizer: "custom"},
		{Key: "POST /custom", Integration: handler, Authorizer: "custom"},
		{Key: "GET /keyed", Integration: handler, Authorizer: "bearer", APIKeyRequired: true},
		{Key: "GET /keyonly", Integration: gateway.Function(fn), APIKeyRequired: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path string
		header             []string
		status             int
		body               string // prefix
		challenge          bool
	}{
		{"no token", "GET", "/fn", nil, 401, `{"message":"Unauthorized"}`, true},
		{"bad token", "GET", "/fn", []string{"Authorization", "Bearer forged"}, 401, `{"message":"Unauthorized"}`, true},
		{"authorizer fails", "GET", "/fn", []string{"Authorization", "Bearer broken"}, 500, `{"message":"Internal server error"}`, false},
		{"good token", "GET", "/fn", []string{"Authorization", "Bearer ok-read"}, 200, "fn", false},
		{"missing scope", "POST", "/handler", []string{"Authorization", "Bearer ok-read"}, 403, `{"message":"Forbidden"}`, false},
		{"one of the scopes", "POST", "/handler", []string{"Authorization", "Bearer ok-admin"}, 200, "handler jwt alice key= body=", false},
		{"custom allows GET", "GET", "/custom", []string{"Authorization", "letmein"}, 200, "handler custom bob", false},
		{"custom policy denies POST", "POST", "/custom", []string{"Authorization", "letmein"}, 403, `{"message":"Forbidden"}`, false},
		{"custom says Unauthorized", "GET", "/custom", []string{"Authorization", "nope"}, 401, `{"message":"Unauthorized"}`, false},
		{"key missing", "GET", "/keyed", []string{"Authorization", "Bearer ok-read"}, 403, `{"message":"Forbidden"}`, false},
		{"key unknown", "GET", "/keyed", []string{"Authorization", "Bearer ok-read", "X-Api-Key", "guess"}, 403, `{"message":"Forbidden"}`, false},
		{"key disabled", "GET", "/keyed", []string{"Authorization", "Bearer ok-read", "X-Api-Key", disabledValue}, 403, `{"message":"Forbidden"}`, false},
		{"key good", "GET", "/keyed", []string{"Authorization", "Bearer ok-read", "X-Api-Key", keyValue}, 200, "handler jwt alice key=" + k.ID, false},
		{"key only", "GET", "/keyonly", []string{"X-Api-Key", keyValue}, 200, "fn", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := do(t, gw, tt.method, tt.path, strings.NewReader(""), tt.header...)
			if resp.StatusCode != tt.status || !strings.HasPrefix(body, tt.body) {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body, tt.status, tt.body)
			}
			if strings.Contains(body, "secret") {
				t.Error("the client sees the authorizer's detail")
			}
			if got := resp.Header.Get("WWW-Authenticate"); (got != "") != tt.challenge {
				t.Errorf("WWW-Authenticate %q", got)
			}
		})
	}
	// The function got the identity in its payload.
	do(t, gw, "GET", "/fn", nil, "Authorization", "Bearer ok-read")
	if a := got.RequestContext.Authorizer; a == nil || a.JWT == nil || a.JWT.Claims["sub"] != "alice" || a.JWT.Claims["n"] != "3" || a.JWT.Scopes[0] != "read" {
		t.Errorf("payload authorizer %+v", got.RequestContext.Authorizer)
	}
}

func TestAuthorizerConfigurationErrors(t *testing.T) {
	gw := gateway.New()
	defer gw.Close()
	if err := gw.RegisterAuthorizer("bad", &auth.Custom{}); err == nil || !strings.Contains(err.Error(), "exactly one") {
		t.Errorf("invalid custom authorizer: %v", err)
	}
	if err := gw.RegisterAuthorizer("", bearer{}); err == nil {
		t.Error("empty name accepted")
	}
	err := gw.Mount("/", &gateway.API{Routes: []gateway.Route{{Key: "GET /x", Integration: &gateway.Mock{}, Authorizer: "nope"}}})
	if err == nil || !strings.Contains(err.Error(), `no authorizer "nope"`) || !strings.Contains(err.Error(), `"GET /x"`) {
		t.Errorf("unknown authorizer: %v", err)
	}
	err = gw.Mount("/", &gateway.API{Routes: []gateway.Route{{Key: "GET /x", Integration: &gateway.Mock{}, AuthorizationScopes: []string{"a"}}}})
	if err == nil || !strings.Contains(err.Error(), "need an Authorizer") {
		t.Errorf("scopes without authorizer: %v", err)
	}
}

func TestResourcePolicy(t *testing.T) {
	policy := &auth.ResourcePolicy{Policy: auth.Policy{Statement: []auth.Statement{
		{Effect: auth.Allow, Action: auth.Strings{auth.InvokeAction}, Resource: auth.Strings{"arn:aws:execute-api:*:*:internal/*"},
			Condition: map[string]map[string]auth.Strings{"IpAddress": {"aws:SourceIp": {"192.0.2.0/24"}}}},
		{Effect: auth.Deny, Action: auth.Strings{"*"}, Resource: auth.Strings{"arn:aws:execute-api:*:*:internal/*/DELETE/*"}},
	}}}
	gw := mount(t, &gateway.API{Name: "internal", ResourcePolicy: policy, Routes: routes("GET /x", "DELETE /x")},
		gateway.WithTrustedProxies(netip.MustParsePrefix("192.0.2.1/32")))
	tests := []struct {
		name, method, xff string
		status            int
	}{
		{"allowed range", "GET", "", 200}, // gatewaytest's peer is 192.0.2.1
		{"explicit deny", "DELETE", "", 403},
		{"outside the range", "GET", "203.0.113.9", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.xff != "" {
				header = []string{"X-Forwarded-For", tt.xff}
			}
			if resp, body := do(t, gw, tt.method, "/x", nil, header...); resp.StatusCode != tt.status {
				t.Errorf("got %d %s, want %d", resp.StatusCode, body, tt.status)
			}
		})
	}
	bad := &auth.ResourcePolicy{}
	if err := gateway.New().Mount("/", &gateway.API{ResourcePolicy: bad}); err == nil || !strings.Contains(err.Error(), "ResourcePolicy") {
		t.Errorf("invalid policy: %v", err)
	}
}
