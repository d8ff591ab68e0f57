package lambdaevent

import (
	"encoding/json"
	"maps"

	"github.com/aws/aws-lambda-go/events"
)

// v2 is the payload 2.0 requestContext.authorizer, or nil.
func (a *Authorizer) v2() *events.APIGatewayV2HTTPRequestContextAuthorizerDescription {
	if a == nil {
		return nil
	}
	switch a.Kind {
	case "jwt":
		// The service passes every claim as a string.
		claims := make(map[string]string, len(a.Claims))
		for k, v := range a.Claims {
			claims[k] = claimString(v)
		}
		return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: a.Scopes},
		}
	case "sigv4":
		return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{AccessKey: a.AccessKey, UserARN: a.Principal, CallerID: a.Principal},
		}
	}
	return &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: maps.Clone(a.Context)}
}

// v1 is the payload 1.0 requestContext.authorizer, or nil: a JWT's claims
// under "claims", a custom authorizer's context entries themselves, and
// the principal as "principalId".
func (a *Authorizer) v1() map[string]any {
	if a == nil {
		return nil
	}
	m := map[string]any{"principalId": a.Principal}
	if a.Kind == "jwt" {
		m["claims"] = maps.Clone(a.Claims)
		if len(a.Scopes) > 0 {
			m["scopes"] = a.Scopes
		}
		return m
	}
	for k, v := range a.Context {
		m[k] = v
	}
	return m
}

func (a *Authorizer) accessKey() string {
	if a == nil {
		return ""
	}
	return a.AccessKey
}

func (a *Authorizer) sigv4Principal() string {
	if a == nil || a.Kind != "sigv4" {
		return ""
	}
	return a.Principal
}

// claimString renders a claim as the service does: strings as they are,
// anything else as JSON.
func claimString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
