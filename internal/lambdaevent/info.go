package lambdaevent

import (
	"cmp"
	"time"
)

// Info is what the gateway knows about a request beyond the *http.Request:
// the matched route, the stage, the caller and the time it arrived. [V2] and
// [V1] copy it into the event; fields left empty give empty event fields,
// except StagePath, which defaults to Path.
//
// Info is read only. The events get their own copies of PathParameters and
// StageVariables, so a function that changes its event cannot change the
// gateway's maps.
type Info struct {
	// RequestID identifies the request; it is requestContext.requestId in
	// both payloads and requestContext.extendedRequestId in 1.0.
	RequestID string
	// APIID is the API's id or name.
	APIID string
	// Stage is the stage name, or "$default" when the API has no named
	// stage. A named stage also prefixes the 2.0 rawPath and
	// requestContext.http.path, as the service does.
	Stage string
	// RouteKey is the matched route, such as "GET /pets/{id}" or "$default".
	RouteKey string
	// Resource is the route's path template, such as "/pets/{id}" or
	// "/{proxy+}", or "$default" for the $default route. It is the 1.0
	// resource and requestContext.resourcePath.
	Resource string
	// Path is the decoded request path relative to the stage, such as
	// "/pets/1". It is the 1.0 path.
	Path string
	// RawPath is the escaped request path relative to the stage, as
	// received. With the stage prefix it is the 2.0 rawPath.
	RawPath string
	// StagePath is the decoded path including the stage prefix, such as
	// "/prod/pets/1". It is the 1.0 requestContext.path and the 2.0
	// requestContext.http.path. If empty, Path is used, which is right
	// for the $default stage.
	StagePath string
	// SourceIP is the client's address, without a port. It is
	// requestContext sourceIp and the X-Forwarded-For header.
	SourceIP string
	// DomainName is the host the request was sent to, without a port.
	// Its first label is requestContext.domainPrefix.
	DomainName string
	// Time is when the request arrived. The events carry it in UTC and as
	// milliseconds since the Unix epoch. The caller must set it.
	Time time.Time
	// PathParameters are the decoded values of the route's path
	// parameters; nil when the route has none.
	PathParameters map[string]string
	// StageVariables are the stage's variables; nil when it has none.
	StageVariables map[string]string
	// ForwardedProto is "http" or "https", the X-Forwarded-Proto header
	// the service adds. If empty, the header is left out.
	ForwardedProto string
	// ForwardedPort is the port the client connected to, such as "443",
	// the X-Forwarded-Port header the service adds. If empty, the header
	// is left out.
	ForwardedPort string
	// APIKey is the API key the caller presented, when the method
	// requires one. It is the 1.0 requestContext.identity.apiKey; 2.0 has
	// no such field.
	APIKey string
	// APIKeyID is the id of APIKey, the 1.0
	// requestContext.identity.apiKeyId.
	APIKeyID string
	// Authorizer is what the route's authorizer found out about the
	// caller, or nil: requestContext.authorizer in both payloads.
	Authorizer *Authorizer
}

// Authorizer is what an authorizer found out about the caller.
type Authorizer struct {
	// Kind is "jwt", "custom", "sigv4" or "clientcert".
	Kind string
	// Principal identifies the caller.
	Principal string
	// Claims and Scopes come from a JWT: 2.0 authorizer.jwt, 1.0
	// authorizer.claims and authorizer.scopes.
	Claims map[string]any
	Scopes []string
	// Context comes from a custom authorizer (2.0 authorizer.lambda, 1.0
	// the authorizer map itself) or describes a signature or certificate.
	Context map[string]any
	// AccessKey is a SigV4 caller's access key id (2.0 authorizer.iam, 1.0
	// identity.accessKey).
	AccessKey string
}

// stagePath is the decoded path including the stage prefix.
func (in *Info) stagePath() string {
	return cmp.Or(in.StagePath, in.Path)
}
