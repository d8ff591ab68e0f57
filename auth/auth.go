package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
)

// Request is what an authorizer decides on: the HTTP request and what the
// gateway already knows about it. Authorizers must not modify HTTP.
type Request struct {
	// HTTP is the incoming request. Its body is for Body; do not read it
	// directly.
	HTTP *http.Request
	// Method is the HTTP method.
	Method string
	// Path is the canonical escaped request path relative to the stage
	// ("/pets/42").
	Path string
	// RouteKey is the matched route's key ("GET /pets/{id}").
	RouteKey string
	// APIID, Stage and Region, AccountID name the API and stage the
	// request is for; together with Method and Path they make its
	// execute-api resource (see [Request.MethodARN]).
	APIID, Stage, Region, AccountID string
	// StageVariables are the stage's variables.
	StageVariables map[string]string
	// SourceIP is the client's address as the gateway determined it.
	SourceIP string
	// Now is when the gateway received the request.
	Now time.Time
	// Body returns the request body, read once within the gateway's body
	// size limit and kept for the integration. Nil when there is none to
	// read.
	Body func() ([]byte, error)
}

// MethodARN returns the request's execute-api resource, as the managed
// service names it in policies:
// arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{path}
// (the path without its leading slash).
func (r *Request) MethodARN() string {
	var b strings.Builder
	b.Grow(40 + len(r.Region) + len(r.AccountID) + len(r.APIID) + len(r.Stage) + len(r.Method) + len(r.Path))
	b.WriteString("arn:aws:execute-api:")
	b.WriteString(r.Region)
	b.WriteByte(':')
	b.WriteString(r.AccountID)
	b.WriteByte(':')
	b.WriteString(r.APIID)
	b.WriteByte('/')
	b.WriteString(r.Stage)
	b.WriteByte('/')
	b.WriteString(r.Method)
	b.WriteByte('/')
	b.WriteString(strings.TrimPrefix(r.Path, "/"))
	return b.String()
}

// Identity is who an authorizer found the caller to be. It reaches
// integrations: function payloads carry it in requestContext.authorizer,
// and wrapped handlers read it with gateway.Identity.
type Identity struct {
	// Kind says which authorizer made it: "jwt", "custom", "sigv4",
	// "clientcert".
	Kind string
	// Principal identifies the caller: a JWT's subject, a custom
	// authorizer's principalId, a SigV4 credential's principal, a
	// certificate's subject.
	Principal string
	// Claims are a JWT's claims.
	Claims map[string]any
	// Scopes are the scopes a JWT grants (its "scope" or "scp" claim).
	Scopes []string
	// Context is what a custom authorizer returned for integrations.
	Context map[string]any
	// UsageIdentifierKey is an API key a custom authorizer chose for the
	// caller; the gateway uses it instead of the x-api-key header.
	UsageIdentifierKey string
}

// Authorizer decides whether a request may proceed and who its caller is.
// It returns an error wrapping [ErrUnauthorized] for missing or invalid
// credentials (401), [ErrForbidden] for a known caller who is not allowed
// (403), [ErrInvalidSignature] or [ErrExpiredToken] for signatures (403);
// any other error is the authorizer's own failure (500). Error details go
// to the gateway's log, never to the client.
//
// Authorize is called concurrently.
type Authorizer interface {
	Authorize(ctx context.Context, r *Request) (*Identity, error)
}

// AuthorizerFunc adapts a function to [Authorizer].
type AuthorizerFunc func(ctx context.Context, r *Request) (*Identity, error)

// Authorize calls f(ctx, r).
func (f AuthorizerFunc) Authorize(ctx context.Context, r *Request) (*Identity, error) {
	return f(ctx, r)
}

// Challenger is implemented by authorizers that answer a 401 with a
// WWW-Authenticate header (RFC 6750 for bearer tokens). err is the error
// Authorize returned.
type Challenger interface {
	Challenge(err error) string
}

// The outcomes an authorizer reports; the gateway maps each to its
// gateway response.
var (
	// ErrUnauthorized: credentials missing or invalid (401 UNAUTHORIZED).
	ErrUnauthorized = errors.New("auth: unauthorized")
	// ErrForbidden: a known caller that is not allowed (403 ACCESS_DENIED).
	ErrForbidden = errors.New("auth: forbidden")
	// ErrInvalidSignature: a signed request whose signature does not
	// verify (403 INVALID_SIGNATURE).
	ErrInvalidSignature = errors.New("auth: invalid signature")
	// ErrExpiredToken: a signature or security token that is no longer
	// valid (403 EXPIRED_TOKEN).
	ErrExpiredToken = errors.New("auth: expired token")
)
