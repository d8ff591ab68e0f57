package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatekit/gatekit/cache"
)

// Cache defaults and limits, as in the managed service.
const (
	// DefaultCacheTTL is how long a stage keeps responses when its
	// StageCache sets no TTL.
	DefaultCacheTTL = 300 * time.Second
	// MaxCacheTTL is the longest TTL a stage or route may set.
	MaxCacheTTL = time.Hour
	// DefaultMaxCacheEntryBytes is the largest response a stage caches
	// when its StageCache sets no MaxEntryBytes.
	DefaultMaxCacheEntryBytes = 1 << 20
	// InvalidateCachePermission is what a caller's identity must grant,
	// as a scope or as a true value in its authorizer context, to
	// invalidate a cache entry (see [CacheInvalidation]).
	InvalidateCachePermission = "execute-api:InvalidateCache"
)

// StageCache turns on a stage's response cache: the responses of its GET
// routes are kept and served again without calling the integration, keyed
// by method, route, path parameters, the route's [RouteCache] key
// parameters and, on routes with an authorizer or an API key, the caller.
type StageCache struct {
	// Capacity is the size in bytes of the stage's in-memory cache (an LRU
	// bounded by bytes). Required unless Store is set.
	Capacity int64
	// TTL is how long a response is kept, at most MaxCacheTTL. If zero,
	// DefaultCacheTTL; routes may override it.
	TTL time.Duration
	// MaxEntryBytes is the largest response body kept; larger responses
	// are served but not cached. If zero, DefaultMaxCacheEntryBytes.
	MaxEntryBytes int64
	// Store, if set, keeps the entries instead of an in-memory cache of
	// Capacity bytes. Give several gateways one shared store (package
	// cache/rediscache) and one Version to share one cache. Its errors
	// are misses, never failed requests.
	Store cache.Store
	// Version tells apart the entries of different releases of the API.
	// If empty, entries are keyed by the deployment that made them, so a
	// new deployment never serves an old one's responses; but each
	// gateway makes its own deployment ids, so gateways sharing a Store
	// share entries only when they set the same Version — your release's
	// version, say. Change it when responses change.
	Version string
	// Invalidation says who may refresh an entry with a request header
	// Cache-Control: max-age=0.
	Invalidation CacheInvalidation
}

// CacheInvalidation controls the Cache-Control: max-age=0 request header,
// with which a client skips the cache and refreshes the entry. Unlike in
// the managed service, by default only authorized callers may: those whose
// identity grants [InvalidateCachePermission], as a token scope or as a
// true value in a custom authorizer's context.
type CacheInvalidation struct {
	// AllowUnauthorized lets every caller invalidate.
	AllowUnauthorized bool
	// Unauthorized is what an unauthorized attempt gets. If empty,
	// FailWith403.
	Unauthorized UnauthorizedCacheControl
}

// UnauthorizedCacheControl is what a request gets whose Cache-Control:
// max-age=0 it may not use, with the managed service's names.
type UnauthorizedCacheControl string

// The strategies for unauthorized invalidation.
const (
	// FailWith403 refuses the request: 403 ACCESS_DENIED.
	FailWith403 UnauthorizedCacheControl = "FAIL_WITH_403"
	// SucceedWithResponseHeader ignores the header, serves the request
	// as usual (from the cache if it can) and says so in a Warning
	// response header.
	SucceedWithResponseHeader UnauthorizedCacheControl = "SUCCEED_WITH_RESPONSE_HEADER"
	// SucceedWithoutResponseHeader ignores the header silently.
	SucceedWithoutResponseHeader UnauthorizedCacheControl = "SUCCEED_WITHOUT_RESPONSE_HEADER"
)

// RouteCache tunes caching for one route, on stages that cache.
type RouteCache struct {
	// Disabled turns caching off for the route (as a TTL of 0 does in the
	// managed service).
	Disabled bool
	// TTL overrides the stage's TTL, at most MaxCacheTTL. If zero, the
	// stage's.
	TTL time.Duration
	// KeyParameters are the request parameters besides the path that
	// tell responses apart: "querystring.name" and "header.Name" (the
	// managed service's "method.request.querystring.name" is accepted
	// too). Requests that differ only in other parameters share an entry.
	// Path parameters are always part of the key; naming them
	// ("path.id") is allowed and changes nothing.
	KeyParameters []string
	// Shared declares that the response is the same for every caller: on
	// a route with an authorizer or an API key, the caller's identity is
	// then left out of the key, and callers share entries.
	Shared bool
	// AllMethods caches the route's responses whatever the request's
	// method; by default only GET responses are cached (and HEAD served
	// from them).
	AllMethods bool
}

// CacheStats are a stage cache's counters since the stage was created.
type CacheStats struct {
	Hits, Misses uint64
	// StoreErrors counts calls to the store that failed; each was served
	// as a miss.
	StoreErrors uint64
}

// routeCache is a RouteCache compiled at deploy time.
type routeCache struct {
	disabled   bool
	ttl        time.Duration
	query      []string // query parameter names
	headers    []string // canonical header names
	shared     bool
	allMethods bool
}

// compileRouteCache validates rc against the route's path parameters.
func compileRouteCache(rc *RouteCache, params []string) (*routeCache, error) {
	if rc == nil {
		return nil, nil
	}
	c := &routeCache{disabled: rc.Disabled, ttl: rc.TTL, shared: rc.Shared, allMethods: rc.AllMethods}
	var errs []error
	if rc.TTL < 0 || rc.TTL > MaxCacheTTL {
		errs = append(errs, fmt.Errorf("Cache.TTL %v: want 0 to %v", rc.TTL, MaxCacheTTL))
	}
	for i, p := range rc.KeyParameters {
		kind, name, ok := strings.Cut(strings.TrimPrefix(p, "method.request."), ".")
		switch {
		case !ok || name == "":
			errs = append(errs, fmt.Errorf("Cache.KeyParameters[%d] %q: want querystring.NAME, header.NAME or path.NAME", i, p))
		case kind == "querystring":
			c.query = append(c.query, name)
		case kind == "header":
			c.headers = append(c.headers, http.CanonicalHeaderKey(name))
		case kind == "path":
			if !slices.Contains(params, name) {
				errs = append(errs, fmt.Errorf("Cache.KeyParameters[%d] %q: the route has no path parameter %q", i, p, name))
			}
		default:
			errs = append(errs, fmt.Errorf("Cache.KeyParameters[%d] %q: unknown kind %q (want querystring, header or path)", i, p, kind))
		}
	}
	return c, errors.Join(errs...)
}

// applies reports whether r's response may come from the cache: a GET or
// HEAD (any method with AllMethods), and never a protocol upgrade such as
// a WebSocket handshake, whose "response" is a connection.
func (c *routeCache) applies(r *http.Request) bool {
	if len(r.Header["Upgrade"]) > 0 {
		return false
	}
	m := r.Method
	if c == nil {
		return m == http.MethodGet || m == http.MethodHead
	}
	return !c.disabled && (c.allMethods || m == http.MethodGet || m == http.MethodHead)
}

// stageCache is a stage's cache at run time: its store and settings, and
// the counters that outlive configuration changes.
type stageCache struct {
	store       cache.Store
	version     string
	ownStore    bool // an in-memory store the gateway made from Capacity
	capacity    int64
	namespace   string // "api/stage/"
	ttl         time.Duration
	maxEntry    int64
	invalidate  CacheInvalidation
	stats       *cacheCounters
	flight      *flightGroup
	errorLogged *atomic.Bool
}

type cacheCounters struct {
	hits, misses, storeErrors atomic.Uint64
}

// newStageCache validates cfg and builds the stage's cache, keeping the
// in-memory store of prev when its capacity is unchanged, so that
// reconfiguring a stage does not empty its cache.
func (g *Gateway) newStageCache(namespace string, cfg *StageCache, prev *stageCache, counters *cacheCounters) (*stageCache, error) {
	if cfg == nil {
		return nil, nil
	}
	var errs []error
	if cfg.TTL < 0 || cfg.TTL > MaxCacheTTL {
		errs = append(errs, fmt.Errorf("Cache.TTL %v: want 0 (the default, %v) to %v", cfg.TTL, DefaultCacheTTL, MaxCacheTTL))
	}
	if cfg.Store == nil && cfg.Capacity <= 0 {
		errs = append(errs, fmt.Errorf("Cache.Capacity %d: a cache needs a positive capacity in bytes, or a Store", cfg.Capacity))
	}
	if cfg.MaxEntryBytes < 0 {
		errs = append(errs, fmt.Errorf("Cache.MaxEntryBytes %d is negative", cfg.MaxEntryBytes))
	}
	switch cfg.Invalidation.Unauthorized {
	case "", FailWith403, SucceedWithResponseHeader, SucceedWithoutResponseHeader:
	default:
		errs = append(errs, fmt.Errorf("Cache.Invalidation.Unauthorized %q: want %s, %s or %s", cfg.Invalidation.Unauthorized, FailWith403, SucceedWithResponseHeader, SucceedWithoutResponseHeader))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sc := &stageCache{
		store: cfg.Store, version: cfg.Version, capacity: cfg.Capacity, namespace: namespace,
		ttl: cfg.TTL, maxEntry: cfg.MaxEntryBytes, invalidate: cfg.Invalidation,
		stats: counters, flight: &flightGroup{}, errorLogged: &atomic.Bool{},
	}
	if sc.ttl == 0 {
		sc.ttl = DefaultCacheTTL
	}
	if sc.maxEntry == 0 {
		sc.maxEntry = DefaultMaxCacheEntryBytes
	}
	if sc.invalidate.Unauthorized == "" {
		sc.invalidate.Unauthorized = FailWith403
	}
	if sc.store == nil {
		if prev != nil && prev.ownStore && prev.capacity == cfg.Capacity {
			sc.store = prev.store
		} else {
			ms, err := cache.NewMemoryStore(cfg.Capacity, g.cfg.clock.Now)
			if err != nil {
				return nil, fmt.Errorf("Cache: %w", err)
			}
			sc.store = ms
		}
		sc.ownStore = true
	}
	return sc, nil
}

// serveCached serves a request of a route that the stage caches.
func (g *Gateway) serveCached(w http.ResponseWriter, r *http.Request, s *reqState, sc *stageCache) {
	rt := s.route
	var rc routeCache
	if rt.cache != nil {
		rc = *rt.cache
	}
	var buf [256]byte
	material, ok := s.cacheMaterial(buf[:0], r, sc.version, &rc)
	if !ok {
		s.runIntegration(rt.handler, w, r) // a caller the key cannot tell apart: never shared
		return
	}
	key := cache.Key(sc.namespace, material)
	ttl := sc.ttl
	if rc.ttl > 0 {
		ttl = rc.ttl
	}

	refresh := false
	if wantsRefresh(r.Header) {
		switch {
		case sc.invalidate.AllowUnauthorized || s.mayInvalidate():
			refresh = true
		case sc.invalidate.Unauthorized == FailWith403:
			g.writeError(w, s, &Error{Type: AccessDenied, Err: errors.New("cache invalidation not authorized")})
			return
		case sc.invalidate.Unauthorized == SucceedWithResponseHeader:
			w.Header().Set("Warning", `199 gatekit "cache invalidation not authorized; header ignored"`)
		}
	}

	if !refresh {
		end := s.child("cache")
		e := g.cacheGet(s, sc, key)
		end(nil)
		if e != nil {
			sc.stats.hits.Add(1)
			s.out.cache = 1
			g.writeEntry(w, r, e)
			return
		}
	}
	sc.stats.misses.Add(1)
	s.out.cache = -1
	w.Header()["X-Cache"] = cacheMiss
	if r.Method == http.MethodHead {
		s.runIntegration(rt.handler, w, r) // nothing to store without a body
		return
	}
	if refresh {
		g.fill(w, r, s, sc, key, ttl)
		return
	}
	call, leader := sc.flight.join(key)
	if leader {
		defer sc.flight.done(key, call)
		call.entry = g.fill(w, r, s, sc, key, ttl)
		return
	}
	// Another request is calling the integration for this key: wait for
	// its response, within this request's own timeout.
	timer := time.NewTimer(rt.timeout)
	defer timer.Stop()
	select {
	case <-call.ready:
		if call.entry != nil {
			w.Header()["X-Cache"] = cacheHit
			g.writeEntry(w, r, call.entry)
			return
		}
		s.runIntegration(rt.handler, w, r) // not cacheable: call it ourselves
	case <-timer.C:
		g.writeError(w, s, &Error{Type: IntegrationTimeout, Err: errors.New("timed out waiting for a concurrent request's response to cache")})
	case <-s.Done():
	}
}

var (
	cacheHit  = []string{"Hit"}
	cacheMiss = []string{"Miss"}
)

// wantsRefresh reports whether the request asks to skip the cache:
// Cache-Control: max-age=0.
func wantsRefresh(h http.Header) bool {
	for _, v := range h["Cache-Control"] {
		for d := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(d), "max-age=0") {
				return true
			}
		}
	}
	return false
}

// mayInvalidate reports whether the caller's identity grants
// InvalidateCachePermission.
func (s *reqState) mayInvalidate() bool {
	if s.auth == nil || s.auth.identity == nil {
		return false
	}
	id := s.auth.identity
	granted, _ := id.Context[InvalidateCachePermission].(bool)
	return granted || slices.Contains(id.Scopes, InvalidateCachePermission)
}

// cacheMaterial returns what tells this request's response apart: the
// version (or deployment), canary or not, method, route, path
// parameters, the route's key parameters, and the caller unless the
// route is shared. It reports false
// for a caller on an authorized route who has no principal to key on.
func (s *reqState) cacheMaterial(b []byte, r *http.Request, version string, rc *routeCache) ([]byte, bool) {
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if version == "" {
		version = s.dep.id
	}
	b = appendParts(b, version, method, s.route.key)
	if s.canary {
		b = appendParts(b, "canary")
	}
	for i := range s.params.Len() {
		b = appendParts(b, "p", s.params.Name(i), s.params.Value(i))
	}
	if len(rc.query) > 0 {
		q := r.URL.Query()
		for _, name := range rc.query {
			b = appendParts(appendParts(b, "q", name), q[name]...)
		}
	}
	for _, name := range rc.headers {
		b = appendParts(appendParts(b, "h", name), r.Header[name]...)
	}
	if !rc.shared && s.auth != nil {
		if s.route.authz != nil {
			if s.auth.identity == nil || s.auth.identity.Principal == "" {
				return nil, false
			}
			b = appendParts(b, "who", s.auth.identity.Principal)
		}
		if s.auth.apiKeyID != "" {
			b = appendParts(b, "key", s.auth.apiKeyID)
		}
	}
	return b, true
}

// appendParts appends each part, prefixed by its length, so that no two
// lists of parts give the same bytes.
func appendParts(b []byte, parts ...string) []byte {
	for _, p := range parts {
		b = strconv.AppendInt(b, int64(len(p)), 10)
		b = append(b, ':')
		b = append(b, p...)
	}
	return b
}

// cacheGet looks key up, counting a store error as a miss.
func (g *Gateway) cacheGet(s *reqState, sc *stageCache, key string) *cache.Entry {
	e, err := sc.store.Get(s, key)
	if err != nil {
		g.cacheStoreError(s, sc, "get", err)
		return nil
	}
	return e
}

// cacheStoreError counts a store failure and logs the first of a run.
func (g *Gateway) cacheStoreError(s *reqState, sc *stageCache, op string, err error) {
	sc.stats.storeErrors.Add(1)
	if !sc.errorLogged.Swap(true) {
		g.cfg.logger.Warn("gateway: cache store failing; serving as misses", "request_id", s.requestID(), "op", op, "err", err)
	}
}

// writeEntry answers with a cached response.
func (g *Gateway) writeEntry(w http.ResponseWriter, r *http.Request, e *cache.Entry) {
	h := w.Header()
	for k, vs := range e.Header {
		h[k] = vs
	}
	h["X-Cache"] = cacheHit
	// Age and Content-Length share one string and one slice.
	var buf [40]byte
	b := strconv.AppendInt(buf[:0], int64(max(0, g.cfg.clock.Now().Sub(e.StoredAt))/time.Second), 10)
	i := len(b)
	b = strconv.AppendInt(b, int64(len(e.Body)), 10)
	all := string(b)
	vals := []string{all[:i], all[i:]}
	h["Age"] = vals[0:1:1]
	h["Content-Length"] = vals[1:2:2]
	w.WriteHeader(e.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(e.Body)
	}
}

// fill calls the integration, streaming its response to the client, and
// stores it if it may be; it returns the stored entry or nil.
func (g *Gateway) fill(w http.ResponseWriter, r *http.Request, s *reqState, sc *stageCache, key string, ttl time.Duration) *cache.Entry {
	cw := &captureWriter{ResponseWriter: w, max: sc.maxEntry}
	s.runIntegration(s.route.handler, cw, r)
	if !cw.wroteHeader {
		cw.WriteHeader(http.StatusOK)
	}
	if cw.overflow || !cache.Cacheable(cw.status, cw.header) {
		return nil
	}
	e := &cache.Entry{Status: cw.status, Header: cw.header, Body: cw.body, StoredAt: g.cfg.clock.Now()}
	if err := sc.store.Set(s, key, e, ttl); err != nil {
		g.cacheStoreError(s, sc, "set", err)
		return nil
	}
	sc.errorLogged.Store(false)
	return e
}

// captureWriter passes a response through and keeps a copy of it, up to
// max body bytes.
type captureWriter struct {
	http.ResponseWriter
	max         int64
	wroteHeader bool
	status      int
	header      http.Header
	body        []byte
	overflow    bool
}

func (cw *captureWriter) WriteHeader(code int) {
	if !cw.wroteHeader && code >= 200 {
		cw.wroteHeader, cw.status = true, code
		cw.header = cache.StoredHeader(cw.ResponseWriter.Header())
	}
	cw.ResponseWriter.WriteHeader(code)
}

func (cw *captureWriter) Write(b []byte) (int, error) {
	if !cw.wroteHeader {
		cw.WriteHeader(http.StatusOK)
	}
	if !cw.overflow {
		if int64(len(cw.body)+len(b)) > cw.max {
			cw.overflow, cw.body = true, nil
		} else {
			cw.body = append(cw.body, b...)
		}
	}
	return cw.ResponseWriter.Write(b)
}

// Flush sends buffered data to the client, if the underlying writer can.
func (cw *captureWriter) Flush() {
	if !cw.wroteHeader {
		cw.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(cw.ResponseWriter).Flush()
}

// Unwrap returns the underlying ResponseWriter.
func (cw *captureWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }

// flightGroup lets concurrent misses for one key make one integration
// call: the first is the leader, the others wait for its entry.
type flightGroup struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	ready chan struct{}
	entry *cache.Entry // set by the leader before ready closes; nil if not cacheable
}

// join returns the call in flight for key, or a new one with the caller
// as its leader.
func (fg *flightGroup) join(key string) (*flightCall, bool) {
	fg.mu.Lock()
	defer fg.mu.Unlock()
	if c := fg.calls[key]; c != nil {
		return c, false
	}
	if fg.calls == nil {
		fg.calls = make(map[string]*flightCall)
	}
	c := &flightCall{ready: make(chan struct{})}
	fg.calls[key] = c
	return c, true
}

// done ends the leader's call, releasing the waiters.
func (fg *flightGroup) done(key string, c *flightCall) {
	fg.mu.Lock()
	delete(fg.calls, key)
	fg.mu.Unlock()
	close(c.ready)
}

// FlushStageCache removes every cached response of a stage.
func (g *Gateway) FlushStageCache(ctx context.Context, apiName, stageName string) error {
	g.mu.Lock()
	_, se, err := g.stageLocked(apiName, stageName)
	g.mu.Unlock()
	if err != nil {
		return fmt.Errorf("gateway: FlushStageCache: %w", err)
	}
	sc := se.cache.Load()
	if sc == nil {
		return fmt.Errorf("gateway: FlushStageCache: stage %s/%s has no cache", apiName, stageName)
	}
	if err := sc.store.Flush(ctx, sc.namespace); err != nil {
		return fmt.Errorf("gateway: FlushStageCache %s/%s: %w", apiName, stageName, err)
	}
	return nil
}

// CacheStats returns the counters of a stage's cache: hits, misses and
// store errors since the stage was created (changing its cache settings
// does not reset them).
func (g *Gateway) CacheStats(apiName, stageName string) (CacheStats, error) {
	g.mu.Lock()
	_, se, err := g.stageLocked(apiName, stageName)
	g.mu.Unlock()
	if err != nil {
		return CacheStats{}, fmt.Errorf("gateway: CacheStats: %w", err)
	}
	c := &se.cacheStats
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), StoreErrors: c.storeErrors.Load()}, nil
}
