package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatekit/gatekit/internal/urlpath"
	"github.com/gatekit/gatekit/stage"
)

// HTTPProxy is an integration that forwards requests to an HTTP backend
// and streams the response back, with the hygiene of a reverse proxy:
// hop-by-hop headers (and those named in Connection) are removed in both
// directions; X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host are
// set by the gateway (client-sent values are believed only from trusted
// proxies, see [WithTrustedProxies]); the backend gets the gateway's
// X-Request-Id; bodies stream both ways; connections are kept alive and
// pooled.
//
// A backend that cannot be reached, or fails before answering, gets the
// client 502. One that sends no response headers within the route's
// timeout gets 504 {"message":"Endpoint request timed out"}; once headers
// have arrived, the body streams for as long as it takes.
type HTTPProxy struct {
	// URL is the backend URL template, http:// or https://. It may use the
	// route's path parameters as {name} (a greedy {proxy+} is {proxy}) and
	// stage variables as ${stageVariables.name}; parameter values are
	// inserted escaped, so an encoded slash stays encoded. A stage that
	// lacks a variable the URL uses cannot serve the route: the error comes
	// when the stage is configured. If the URL has
	// no path at all ("http://backend:8080"), the request's path (relative
	// to the API) is appended. The request's query string is appended to
	// the URL's.
	URL string
	// Transport, if non-nil, replaces the gateway's transport.
	Transport http.RoundTripper
	// Rewrite, if non-nil, is called after the gateway has prepared the
	// outbound request. It may modify pr.Out but not pr.In.
	Rewrite func(pr *httputil.ProxyRequest)
}

// errIntegrationTimeout is the cancel cause of a proxied request whose
// backend did not answer in time.
var errIntegrationTimeout = errors.New("gateway: backend did not answer within the integration timeout")

// Bind parses and checks the URL template against the route's
// parameters; a URL that uses stage variables is checked again for each
// stage the deployment is served by (see [Binding.CheckStage]).
func (p *HTTPProxy) Bind(b *Binding) (http.Handler, error) {
	urls, err := newProxyURLs(p.URL, b)
	if err != nil {
		return nil, fmt.Errorf("HTTPProxy: %w", err)
	}
	transport := p.Transport
	if transport == nil {
		transport = b.Transport
	}
	rewrite := p.Rewrite
	rp := &httputil.ReverseProxy{
		Transport:  transport,
		BufferPool: proxyBuffers,
		ErrorLog:   slog.NewLogLogger(b.Logger.Handler(), slog.LevelWarn),
		Rewrite: func(pr *httputil.ProxyRequest) {
			s := stateFrom(pr.In.Context())
			s.proxy.target.apply(pr.Out.URL, s, pr.In.URL.RawQuery)
			pr.Out.Host = ""
			h := pr.Out.Header
			h["X-Forwarded-For"] = []string{s.forwardedFor()}
			h["X-Forwarded-Proto"] = []string{s.proto()}
			h["X-Forwarded-Host"] = []string{s.host(pr.In)}
			h["X-Request-Id"] = s.idHdr[:]
			if trace.SpanContextFromContext(s).IsValid() {
				s.dep.gw.obs.propagator.Inject(s, propagation.HeaderCarrier(h))
			}
			if rewrite != nil {
				rewrite(pr)
			}
		},
		ModifyResponse: func(resp *http.Response) error {
			if s := stateFrom(resp.Request.Context()); s != nil && s.proxy != nil {
				s.proxy.timer.Stop()
			}
			// The gateway's request id is the response's; the backend got it
			// in the request.
			delete(resp.Header, "X-Request-Id")
			return nil
		},
		ErrorHandler: proxyError,
	}
	timeout := b.Timeout
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := stateFrom(r.Context())
		target, err := urls.get(s.vars)
		if err != nil {
			WriteError(w, r, &Error{Type: APIConfigurationError, Err: err})
			return
		}
		p := &proxyState{target: target}
		s.proxy = p
		if !prereadBody(w, r, p) {
			return
		}
		ctx, cancel := context.WithCancelCause(r.Context())
		defer cancel(context.Canceled)
		p.timer = time.AfterFunc(timeout, func() { cancel(errIntegrationTimeout) })
		defer p.timer.Stop()
		rp.ServeHTTP(w, r.WithContext(ctx))
	}), nil
}

// proxyError answers a proxied request that got no response.
func proxyError(w http.ResponseWriter, r *http.Request, err error) {
	s := stateFrom(r.Context())
	switch {
	case context.Cause(r.Context()) == errIntegrationTimeout:
		WriteError(w, r, &Error{Type: IntegrationTimeout, Err: err})
	case s != nil && s.proxy != nil && s.proxy.bodyErr.Load() != nil:
		writeBodyError(w, r, s.proxy.bodyErr.Load().err)
	case r.Context().Err() != nil:
		// The client went away; there is no one to answer.
		w.WriteHeader(499)
	default:
		WriteError(w, r, &Error{Type: IntegrationFailure, Status: http.StatusBadGateway, Message: "Bad Gateway", Err: err})
	}
}

// proxyBuffers recycles the 32 KiB buffers ReverseProxy copies bodies
// through.
var proxyBuffers = &bufferPool{}

type bufferPool struct{ p sync.Pool }

func (bp *bufferPool) Get() []byte {
	if b, ok := bp.p.Get().(*[]byte); ok {
		return *b
	}
	return make([]byte, 32<<10)
}

func (bp *bufferPool) Put(b []byte) { bp.p.Put(&b) }

// proxyURLs is an HTTPProxy's URL template: compiled once when it uses no
// stage variables, else compiled per set of stage variables and cached.
type proxyURLs struct {
	static *urlTemplate
	src    stage.Template
	params []string

	mu    sync.Mutex
	cache map[string]*urlTemplate // by expanded URL; bounded
}

// maxCachedURLs bounds proxyURLs.cache: there are as many entries as
// distinct variable sets that stages serve the route with.
const maxCachedURLs = 64

func newProxyURLs(raw string, b *Binding) (*proxyURLs, error) {
	src, err := stage.ParseTemplate(raw)
	if err != nil {
		return nil, err
	}
	u := &proxyURLs{src: src, params: b.Params}
	if src.IsLiteral() {
		u.static, err = parseURLTemplate(raw, b.Params)
		return u, err
	}
	// Check the shape now, with every variable standing in as "x"; each
	// stage's real values are checked when a stage serves the deployment.
	probe := stage.Variables{}
	for _, n := range src.Names() {
		probe[n] = "x"
	}
	if _, err := parseURLTemplate(src.Expand(probe), b.Params); err != nil {
		return nil, err
	}
	b.CheckStage(func(vars map[string]string) error {
		if missing := src.Missing(vars); len(missing) > 0 {
			return fmt.Errorf("HTTPProxy: URL %q uses stage variable %q, which is not defined", raw, missing[0])
		}
		_, err := parseURLTemplate(src.Expand(vars), b.Params)
		if err != nil {
			return fmt.Errorf("HTTPProxy: with this stage's variables: %w", err)
		}
		return nil
	})
	u.cache = map[string]*urlTemplate{}
	return u, nil
}

// get returns the compiled URL for the stage variables vars.
func (u *proxyURLs) get(vars map[string]string) (*urlTemplate, error) {
	if u.static != nil {
		return u.static, nil
	}
	raw := u.src.Expand(vars)
	u.mu.Lock()
	t := u.cache[raw]
	u.mu.Unlock()
	if t != nil {
		return t, nil
	}
	// CheckStage made sure it parses for every stage that serves it.
	t, err := parseURLTemplate(raw, u.params)
	if err != nil {
		return nil, err
	}
	u.mu.Lock()
	if len(u.cache) < maxCachedURLs {
		u.cache[raw] = t
	}
	u.mu.Unlock()
	return t, nil
}

// urlTemplate is a compiled HTTPProxy URL.
type urlTemplate struct {
	scheme, host string
	path         []tmplPart // escaped path; nil: append the request's path
	query        string     // the template's raw query
}

// tmplPart is literal escaped text, or the path parameter with index
// param when param >= 0.
type tmplPart struct {
	lit   string
	param int
}

func parseURLTemplate(s string, params []string) (*urlTemplate, error) {
	raw := s
	if s == "" {
		return nil, errors.New("URL is empty")
	}
	scheme, after, ok := strings.Cut(s, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return nil, fmt.Errorf("URL %q: scheme must be http or https", raw)
	}
	t := &urlTemplate{scheme: scheme}
	hostEnd := strings.IndexAny(after, "/?#")
	if hostEnd < 0 {
		hostEnd = len(after)
	}
	t.host = after[:hostEnd]
	if t.host == "" || strings.ContainsAny(t.host, "{}@ ") || !validHost(t.host) {
		return nil, fmt.Errorf("URL %q: invalid host %q", raw, t.host)
	}
	after = after[hostEnd:]
	if i := strings.IndexByte(after, '#'); i >= 0 {
		return nil, fmt.Errorf("URL %q: a fragment is not allowed", raw)
	}
	path, query, _ := strings.Cut(after, "?")
	if strings.ContainsAny(query, "{}") {
		return nil, fmt.Errorf("URL %q: path parameters are allowed in the path only", raw)
	}
	t.query = query
	if path == "" {
		return t, nil
	}
	for path != "" {
		i := strings.IndexByte(path, '{')
		if i < 0 {
			t.path = append(t.path, tmplPart{lit: path, param: -1})
			break
		}
		j := strings.IndexByte(path[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("URL %q: unclosed {", raw)
		}
		if i > 0 {
			t.path = append(t.path, tmplPart{lit: path[:i], param: -1})
		}
		name := path[i+1 : i+j]
		idx := -1
		for k, p := range params {
			if p == name {
				idx = k
			}
		}
		if idx < 0 {
			return nil, fmt.Errorf("URL %q: {%s} is not a path parameter of the route", raw, name)
		}
		t.path = append(t.path, tmplPart{param: idx})
		path = path[i+j+1:]
	}
	for _, p := range t.path {
		if p.param < 0 {
			if _, err := urlpath.Canonical("/" + p.lit); err != nil || strings.ContainsAny(p.lit, " \"<>\\^`|") {
				return nil, fmt.Errorf("URL %q: invalid path text %q", raw, p.lit)
			}
		}
	}
	return t, nil
}

// apply points u at the backend for the request in s.
func (t *urlTemplate) apply(u *url.URL, s *reqState, rawQuery string) {
	u.Scheme, u.Host = t.scheme, t.host
	var escaped string
	if t.path == nil {
		escaped = s.path
	} else {
		var b strings.Builder
		for _, p := range t.path {
			if p.param < 0 {
				b.WriteString(p.lit)
			} else {
				b.WriteString(s.params.Value(p.param))
			}
		}
		escaped = b.String()
	}
	u.Path, u.RawPath = urlpath.Unescape(escaped), escaped
	if u.Path == escaped {
		u.RawPath = ""
	}
	switch {
	case t.query == "":
		u.RawQuery = rawQuery
	case rawQuery == "":
		u.RawQuery = t.query
	default:
		u.RawQuery = t.query + "&" + rawQuery
	}
}
