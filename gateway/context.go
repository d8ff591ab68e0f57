package gateway

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/internal/route"
	"github.com/gatekit/gatekit/internal/urlpath"
)

// reqState is the gateway's request context ($context): made once per
// request, read by every later step. It is itself the request's
// context.Context, so that one allocation carries both.
type reqState struct {
	context.Context

	id    [36]byte
	idHdr [1]string // X-Request-Id header value, backed by id

	start  time.Time // see time
	stage  *stageEntry
	dep    *deployment
	vars   map[string]string // the stage's variables (canary overrides applied)
	canary bool              // the stage's canary serves the request
	route  *boundRoute
	path   string // canonical escaped path relative to the API's base path

	params route.Params

	sourceIP string     // the connection's peer, or what a trusted proxy said
	https    bool       // the request came over TLS, or a trusted proxy said so
	fwd      *forwarded // what a trusted proxy forwarded, or nil
	changed  bool       // path differs from the request's escaped path

	req   http.Request // the request the route's pipeline sees
	auth  *authState   // what authorization found, on routes that have it
	proxy *proxyState  // an HTTP proxy integration's request state

	sw  statusWriter // records the response's status and size
	out outcome      // what happened, for metrics, spans and the access log
}

// authState is what authorization found out about the caller.
type authState struct {
	identity *auth.Identity // what the route's authorizer found, or nil
	apiKeyID string         // the caller's API key, when the route requires one
	keyValue string         // its value, as presented
}

// proxyState is an HTTP proxy's per-request state.
type proxyState struct {
	target  *urlTemplate              // the backend URL
	timer   *time.Timer               // the integration timeout
	bodyErr atomic.Pointer[bodyError] // why reading the request body failed
}

// proto returns "https" or "http".
func (s *reqState) proto() string {
	if s.https {
		return "https"
	}
	return "http"
}

type stateKey struct{}

// Value returns the request state for the gateway's key and delegates every
// other key to the parent context.
func (s *reqState) Value(key any) any {
	if key == (stateKey{}) {
		return s
	}
	return s.Context.Value(key)
}

func stateFrom(ctx context.Context) *reqState {
	s, _ := ctx.Value(stateKey{}).(*reqState)
	return s
}

const hexDigits = "0123456789abcdef"

// newID fills s.id with a random UUID (version 4). math/rand/v2's global
// generator is seeded from the OS and safe for concurrent use; request ids
// need uniqueness, not secrecy.
func (s *reqState) newID() {
	a, b := rand.Uint64(), rand.Uint64()
	a = a&^(0xf<<12) | 0x4<<12 // version 4
	b = b&^(0x3<<62) | 0x2<<62 // RFC 4122 variant
	var raw [16]byte
	for i := range 8 {
		raw[i] = byte(a >> (56 - 8*i))
		raw[8+i] = byte(b >> (56 - 8*i))
	}
	j := 0
	for i, c := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s.id[j] = '-'
			j++
		}
		s.id[j] = hexDigits[c>>4]
		s.id[j+1] = hexDigits[c&0xf]
		j += 2
	}
	// s.id is never written again, so a string viewing it is immutable.
	s.idHdr[0] = unsafe.String(&s.id[0], len(s.id))
}

func (s *reqState) requestID() string { return s.idHdr[0] }

// time returns when the gateway received the request. The clock is read
// the first time something needs the time (a function payload, an
// authorizer), microseconds after arrival, so that requests that need
// none do not pay for the read.
func (s *reqState) time() time.Time {
	if s.start.IsZero() {
		s.start = s.dep.gw.cfg.clock.Now()
	}
	return s.start
}

// stageName is the name of the stage serving the request.
func (s *reqState) stageName() string {
	if s.stage == nil {
		return ""
	}
	return s.stage.name
}

// pathParams returns the decoded path parameters as a new map, or nil.
func (s *reqState) pathParams() map[string]string {
	n := s.params.Len()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for i := range n {
		m[s.params.Name(i)] = urlpath.Unescape(s.params.Value(i))
	}
	return m
}

// RequestID returns the id the gateway gave the request (also sent as the
// X-Request-Id response header), or "" if ctx is not a gateway request's.
func RequestID(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil {
		return s.requestID()
	}
	return ""
}

// PathParam returns the decoded value of the path parameter name of the
// matched route, or "". Handler integrations can also use r.PathValue.
func PathParam(ctx context.Context, name string) string {
	if s := stateFrom(ctx); s != nil {
		if v, ok := s.params.Get(name); ok {
			return urlpath.Unescape(v)
		}
	}
	return ""
}

// PathParams returns the decoded path parameters of the matched route as a
// new map, or nil when it has none.
func PathParams(ctx context.Context) map[string]string {
	if s := stateFrom(ctx); s != nil {
		return s.pathParams()
	}
	return nil
}

// RouteKey returns the key of the matched route, such as "GET /pets/{id}" or
// "$default".
func RouteKey(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil && s.route != nil {
		return s.route.key
	}
	return ""
}

// APIName returns the name of the API serving the request.
func APIName(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil && s.dep != nil {
		return s.dep.name
	}
	return ""
}

// StageName returns the name of the stage serving the request ("$default"
// for an API served without named stages).
func StageName(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil {
		return s.stageName()
	}
	return ""
}

// StageVariables returns the stage variables of the stage serving the
// request, or nil when it has none. The map must not be modified.
func StageVariables(ctx context.Context) map[string]string {
	if s := stateFrom(ctx); s != nil {
		return s.vars
	}
	return nil
}

// Identity returns what the route's authorizer found out about the
// caller, or nil for a route without one. The Identity must not be
// modified.
func Identity(ctx context.Context) *auth.Identity {
	if s := stateFrom(ctx); s != nil && s.auth != nil {
		return s.auth.identity
	}
	return nil
}

// APIKeyID returns the id of the API key the caller presented on a route
// that requires one, or "".
func APIKeyID(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil && s.auth != nil {
		return s.auth.apiKeyID
	}
	return ""
}

// IsCanary reports whether the request is served by its stage's canary
// deployment.
func IsCanary(ctx context.Context) bool {
	if s := stateFrom(ctx); s != nil {
		return s.canary
	}
	return false
}

// SourceIP returns the client's IP address as the gateway determined it:
// the connection's peer, or for a trusted proxy (see [WithTrustedProxies])
// the address it forwarded.
func SourceIP(ctx context.Context) string {
	if s := stateFrom(ctx); s != nil {
		return s.sourceIP
	}
	return ""
}
