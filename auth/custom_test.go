package auth

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// authRequest is an auth.Request for method and path on API "pets",
// stage "prod".
func authRequest(method, target string, header ...string) *Request {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return &Request{
		HTTP: r, Method: method, Path: r.URL.Path, RouteKey: method + " " + r.URL.Path,
		APIID: "pets", Stage: "prod", Region: "local", AccountID: "000000000000",
		SourceIP: "192.0.2.1", StageVariables: map[string]string{"tier": "gold"},
	}
}

// allowGET is a TOKEN authorizer that allows GET on every path for the
// token "good", denies everything for "deny", and answers Unauthorized
// otherwise.
func allowGET(calls *atomic.Int32) func(context.Context, events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	return func(_ context.Context, req events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
		calls.Add(1)
		effect := "Allow"
		switch req.AuthorizationToken {
		case "good":
		case "deny":
			effect = "Deny"
		case "boom":
			return events.APIGatewayCustomAuthorizerResponse{}, errors.New("database down")
		case "panic":
			panic("authorizer bug")
		default:
			return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
		}
		return events.APIGatewayCustomAuthorizerResponse{
			PrincipalID: "user-1",
			PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{
				{Effect: effect, Action: []string{"execute-api:Invoke"}, Resource: []string{"arn:aws:execute-api:*:*:pets/prod/GET/*"}},
			}},
			Context:            map[string]any{"tier": "gold"},
			UsageIdentifierKey: "key-of-user-1",
		}, nil
	}
}

func TestCustomToken(t *testing.T) {
	var calls atomic.Int32
	c := &Custom{Token: allowGET(&calls), ValidationExpression: `^[a-z]+$`}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, token string
		want                error // nil: allowed
		calls               int32
	}{
		{"allowed", "GET", "good", nil, 1},
		{"cached, same route", "GET", "good", nil, 0},
		// The cached policy is evaluated again for this request's own
		// resource: a POST is not allowed by it.
		{"cached, other route", "POST", "good", ErrForbidden, 0},
		{"explicit deny", "GET", "deny", ErrForbidden, 1},
		{"function says Unauthorized", "GET", "nobody", ErrUnauthorized, 1},
		{"missing token, not called", "GET", "", ErrUnauthorized, 0},
		{"fails validation, not called", "GET", "UPPER", ErrUnauthorized, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			id, err := c.Authorize(context.Background(), authRequest(tt.method, "/pets/1", "Authorization", tt.token))
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("Authorize: %v", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("Authorize = %v, want %v", err, tt.want)
			case tt.want == nil && (id.Principal != "user-1" || id.Context["tier"] != "gold" || id.UsageIdentifierKey != "key-of-user-1" || id.Kind != "custom"):
				t.Errorf("identity %+v", id)
			}
			if got := calls.Load() - before; got != tt.calls {
				t.Errorf("%d calls, want %d", got, tt.calls)
			}
		})
	}
	for _, tok := range []string{"boom", "panic"} {
		_, err := c.Authorize(context.Background(), authRequest("GET", "/pets/1", "Authorization", tok))
		if err == nil || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) {
			t.Errorf("%s: %v, want an authorizer failure", tok, err)
		}
	}
}

func TestCustomCacheExpiry(t *testing.T) {
	var calls atomic.Int32
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &Custom{Token: allowGET(&calls), ResultTTL: time.Minute, Clock: func() time.Time { return now }}
	call := func() {
		if _, err := c.Authorize(context.Background(), authRequest("GET", "/pets", "Authorization", "good")); err != nil {
			t.Fatal(err)
		}
	}
	call()
	call()
	now = now.Add(time.Minute)
	call()
	if calls.Load() != 2 {
		t.Errorf("%d calls, want 2", calls.Load())
	}
	uncached := &Custom{Token: allowGET(&calls), ResultTTL: -1}
	calls.Store(0)
	for range 3 {
		if _, err := uncached.Authorize(context.Background(), authRequest("GET", "/pets", "Authorization", "good")); err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 3 {
		t.Errorf("negative ResultTTL: %d calls, want 3", calls.Load())
	}
}

func TestCustomRequestAndSimple(t *testing.T) {
	var got events.APIGatewayCustomAuthorizerRequestTypeRequest
	req := &Custom{
		IdentitySources: []string{"$request.header.X-Token", "$request.querystring.tenant", "$stageVariables.tier", "$context.sourceIp"},
		Request: func(_ context.Context, e events.APIGatewayCustomAuthorizerRequestTypeRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
			got = e
			return events.APIGatewayCustomAuthorizerResponse{PrincipalID: "p", PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
				Statement: []events.IAMPolicyStatement{{Effect: "Allow", Action: []string{"execute-api:*"}, Resource: []string{e.MethodArn}}},
			}}, nil
		},
	}
	if _, err := req.Authorize(context.Background(), authRequest("GET", "/pets?tenant=acme", "X-Token", "t")); err != nil {
		t.Fatal(err)
	}
	if got.Type != "REQUEST" || got.Headers["X-Token"] != "t" || got.QueryStringParameters["tenant"] != "acme" || got.StageVariables["tier"] != "gold" ||
		got.MethodArn != "arn:aws:execute-api:local:000000000000:pets/prod/GET/pets" {
		t.Errorf("request event %+v", got)
	}
	if _, err := req.Authorize(context.Background(), authRequest("GET", "/pets", "X-Token", "t")); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("missing query source: %v", err)
	}

	simple := &Custom{
		IdentitySources: []string{"$request.header.Authorization"},
		Simple: func(_ context.Context, e events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: e.IdentitySource[0] == "yes", Context: map[string]any{"k": "v"}}, nil
		},
	}
	id, err := simple.Authorize(context.Background(), authRequest("GET", "/x", "Authorization", "yes"))
	if err != nil || id.Context["k"] != "v" {
		t.Errorf("simple allowed: %+v, %v", id, err)
	}
	if _, err := simple.Authorize(context.Background(), authRequest("GET", "/x", "Authorization", "no")); !errors.Is(err, ErrForbidden) {
		t.Errorf("simple denied: %v", err)
	}
}

func TestCustomValidate(t *testing.T) {
	tok := allowGET(new(atomic.Int32))
	tests := []struct {
		name string
		c    *Custom
		want string
	}{
		{"no function", &Custom{}, "exactly one"},
		{"two functions", &Custom{Token: tok, Simple: func(context.Context, events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
			return events.APIGatewayV2CustomAuthorizerSimpleResponse{}, nil
		}}, "exactly one"},
		{"ttl over an hour", &Custom{Token: tok, ResultTTL: 2 * time.Hour}, "ResultTTL"},
		{"bad source", &Custom{Token: tok, IdentitySources: []string{"$request.body.x"}}, "$request.body.x"},
		{"token with query source", &Custom{Token: tok, IdentitySources: []string{"$request.querystring.t"}}, "a header"},
		{"bad regexp", &Custom{Token: tok, ValidationExpression: "("}, "ValidationExpression"},
		{"unknown context", &Custom{Token: tok, IdentitySources: []string{"$context.secret"}}, "$context.secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func BenchmarkCustomCacheHit(b *testing.B) {
	c := &Custom{Token: allowGET(new(atomic.Int32))}
	r := authRequest("GET", "/pets/1", "Authorization", "good")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Authorize(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}
