package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/internal/urlpath"
	"github.com/gatekit/gatekit/throttle"
)

// Gateway serves the APIs mounted on it. It is an [http.Handler]: serve it
// with [http.Server], mount it in another mux, or call ServeHTTP from a test.
//
// Create one with [New]. A Gateway is safe for concurrent use: APIs can be
// mounted, replaced and unmounted while it serves; every request runs on the
// API as it was when the request arrived.
type Gateway struct {
	cfg    config
	table  atomic.Pointer[routingTable] // what requests read
	closed atomic.Bool

	keys    *auth.APIKeys
	limiter *throttle.Limiter
	obs     *observer
	stats   *statsStore // nil without WithStats
	optErr  error       // an invalid option, reported by Mount and AddAPI

	mu          sync.Mutex // guards what follows, and serializes changes
	apis        map[string]*apiEntry
	domains     []DomainMapping
	functions   map[string]Integration
	authorizers map[string]auth.Authorizer
}

// Clock tells the time. The gateway reads it for request timestamps; tests
// substitute a fake (see gatewaytest.Clock).
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

type config struct {
	logger    *slog.Logger
	clock     Clock
	trusted   []netip.Prefix
	transport http.RoundTripper
	ownsTrans bool
	keyStore  auth.KeyStore
	region    string
	account   string

	throttleStore throttle.Store
	gatewayRate   *throttle.Rate

	meters     metric.MeterProvider
	tracers    trace.TracerProvider
	propagator propagation.TextMapPropagator
	stats      bool
}

// Option configures a Gateway in [New].
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithLogger sets the logger for what the gateway reports that is not a
// response: integration panics, integration errors, backend failures.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger = l })
}

// WithClock sets the clock the gateway reads request times from.
func WithClock(clk Clock) Option {
	return optionFunc(func(c *config) { c.clock = clk })
}

// WithTrustedProxies names the peers (load balancers, CDNs) whose
// X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host headers the
// gateway believes. For a request from any other peer those headers are
// discarded: the source IP is the connection's peer address. There is no
// default: without this option no forwarding header is trusted.
func WithTrustedProxies(prefixes ...netip.Prefix) Option {
	return optionFunc(func(c *config) { c.trusted = append(c.trusted, prefixes...) })
}

// WithTransport sets the RoundTripper that HTTP proxy integrations use
// unless they set their own. The gateway does not close it.
func WithTransport(rt http.RoundTripper) Option {
	return optionFunc(func(c *config) { c.transport, c.ownsTrans = rt, false })
}

// WithKeyStore sets where API keys are kept (see [Gateway.APIKeys]). The
// default keeps them in memory.
func WithKeyStore(ks auth.KeyStore) Option {
	return optionFunc(func(c *config) { c.keyStore = ks })
}

// WithAccount sets the region and account id that name the gateway's
// resources in policies (arn:aws:execute-api:{region}:{account}:…) and
// appear in function payloads. The defaults are "local" and
// "000000000000".
func WithAccount(region, accountID string) Option {
	return optionFunc(func(c *config) { c.region, c.account = region, accountID })
}

// Account returns the region and account id set with [WithAccount].
func (g *Gateway) Account() (region, accountID string) {
	return g.cfg.region, g.cfg.account
}

// New returns a Gateway with no APIs. Defaults: the logger is
// [slog.Default], the clock is the system clock, no proxy is trusted for
// forwarding headers, and HTTP proxy integrations share a keep-alive
// transport (up to 256 idle connections per backend host) that [Gateway.Close]
// closes, throttles are kept in memory with the managed service's
// gateway-wide rate of 10,000 requests a second, burst 5,000 (see
// [WithGatewayThrottle] to change it), and no in-memory statistics are
// kept (see [WithStats]).
func New(opts ...Option) *Gateway {
	g := &Gateway{cfg: config{clock: systemClock{}, region: "local", account: "000000000000"}}
	g.cfg.transport, g.cfg.ownsTrans = defaultTransport(), true
	for _, o := range opts {
		o.apply(&g.cfg)
	}
	if g.cfg.logger == nil {
		g.cfg.logger = slog.Default()
	}
	g.keys = &auth.APIKeys{Store: g.cfg.keyStore, Clock: g.cfg.clock.Now}
	g.newLimiter()
	g.obs = g.cfg.newObserver()
	if g.cfg.stats {
		g.stats = newStatsStore()
	}
	g.table.Store(&routingTable{})
	return g
}

func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 256
	return t
}

// Close releases the idle backend connections of the gateway's own
// transport. The gateway keeps serving; Close is safe to call more than
// once.
func (g *Gateway) Close() error {
	if !g.closed.Swap(true) && g.cfg.ownsTrans {
		if t, ok := g.cfg.transport.(interface{ CloseIdleConnections() }); ok {
			t.CloseIdleConnections()
		}
	}
	return nil
}

// cleanBasePath validates a base path and returns it without a trailing
// slash ("" for the root).
func cleanBasePath(p string) (string, error) {
	if p == "" || p == "/" {
		return "", nil
	}
	if !strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("gateway: base path %q must start with '/'", p)
	}
	p = strings.TrimSuffix(p, "/")
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", fmt.Errorf("gateway: base path %q has an empty or dot segment", p)
		}
		for i := 0; i < len(seg); i++ {
			if c := seg[i]; !isAlnum(c) && !strings.ContainsRune("-._~", rune(c)) {
				return "", fmt.Errorf("gateway: base path %q: character %q is not allowed", p, c)
			}
		}
	}
	return p, nil
}

// ServeHTTP routes the request to its API and route and runs the route's
// pipeline. Every refusal is a gateway response; every response carries
// X-Request-Id.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := &reqState{Context: r.Context()}
	s.newID()
	w.Header()["X-Request-Id"] = s.idHdr[:]
	s.sw.ResponseWriter = w
	w = &s.sw
	defer g.finish(r, s, &s.sw)

	escaped := r.URL.EscapedPath()
	path, err := urlpath.Canonical(escaped)
	if err != nil {
		g.writeError(w, s, &Error{Type: BadRequestParameters, Message: "Invalid request path", Err: err})
		return
	}
	se, rest := g.table.Load().resolve(r.Host, path)
	if se == nil {
		g.writeError(w, s, &Error{Type: ResourceNotFound, Err: ErrNoRoute})
		return
	}
	dep, vars, canary := se.pick()
	s.stage, s.dep, s.vars, s.canary = se, dep, vars, canary
	s.path, s.changed = rest, rest != escaped
	if so := se.obs.Load(); g.observed(so) {
		s.out.timed = true
		s.out.instrumented = g.stats == nil || g.instrumented(so)
		s.time() // the start, for latencies
		g.startSpan(r, s, so)
	}

	if dep.cors != nil {
		if origin := r.Header["Origin"]; len(origin) == 1 {
			if dep.cors.preflight(w, r, origin[0]) {
				return
			}
			cw := dep.cors.wrap(w, origin[0])
			// A handler that writes nothing never calls WriteHeader.
			defer cw.setHeaders()
			w = cw
		}
	}

	rt, ok := dep.table.Match(r.Method, rest, &s.params)
	if !ok {
		g.writeError(w, s, dep.notFound())
		return
	}
	s.route = rt

	if max := dep.maxBody; max > 0 && r.ContentLength > max {
		w.Header().Set("Connection", "close")
		g.writeError(w, s, &Error{Type: RequestTooLarge})
		return
	}
	if len(r.TransferEncoding) > 0 && r.ProtoMajor == 1 {
		// net/http drops a Content-Length sent beside Transfer-Encoding
		// before any handler runs, so the gateway cannot tell such a request
		// (a smuggling attempt) from a plain chunked one. RFC 9112 §6.1 wants
		// the connection closed after it: close after every chunked request,
		// so bytes hidden behind the body are never read as a request.
		w.Header().Set("Connection", "close")
	}
	// The integration's request lives in s: one allocation for both. The
	// copy WithContext makes does not escape, so it stays on the stack.
	s.req = *r.WithContext(s)
	r = &s.req
	g.forwarding(r, s)
	if max := dep.maxBody; max > 0 && r.ContentLength < 0 {
		r.Body = http.MaxBytesReader(w, r.Body, max)
	}
	if (rt.authz != nil || rt.keyRequired || dep.policy != nil) && !g.authorize(w, r, s) {
		return
	}
	if !g.admit(w, s) {
		return
	}
	if rt.valid != nil && !g.validate(w, r, s) {
		return
	}
	if sc := s.stage.cache.Load(); sc != nil && rt.cache.applies(r) {
		g.serveCached(w, r, s, sc)
		return
	}
	s.runIntegration(rt.handler, w, r)
}

// writeError answers with the gateway response for err.
func (g *Gateway) writeError(w http.ResponseWriter, s *reqState, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Type: Default5XX, Err: err}
	}
	var rs *responseSet
	if s.dep != nil {
		rs = s.dep.responses
	}
	s.out.errMessage, s.out.errType = e.message(), e.typ()
	if e.Err != nil {
		s.out.errCause = e.Err.Error()
	}
	if e.status() >= 500 && e.Err != nil {
		g.cfg.logger.Error("gateway: "+string(e.typ()), "request_id", s.requestID(), "route", routeKeyOf(s), "err", e.Err)
	}
	rs.write(w, e, s.requestID())
}

func routeKeyOf(s *reqState) string {
	if s.route != nil {
		return s.route.key
	}
	return ""
}

// WriteError answers r with the gateway response for err, as customized by
// the API serving r. err is usually an [*Error]; any other error is a
// DEFAULT_5XX response and is logged. Integrations use it for the
// refusals they make. Outside a gateway request it writes the built-in
// response.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	s := stateFrom(r.Context())
	if s == nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Err: err}
		}
		(*responseSet)(nil).write(w, e, "")
		return
	}
	s.dep.gw.writeError(w, s, err)
}
