package ws

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"go.opentelemetry.io/otel/metric"

	"github.com/gatekit/gatekit/gateway"
)

// DefaultShutdownTimeout bounds [Server.Close].
const DefaultShutdownTimeout = 10 * time.Second

// connectTimeout bounds the $connect and $disconnect integrations.
const connectTimeout = 29 * time.Second

// ErrGone is the error for a connection that is not open (or never
// was): the connections API answers 410 Gone.
var ErrGone = errors.New("ws: connection gone")

// Options configure a Server.
type Options struct {
	// Store records which instance holds each connection. If nil, a
	// MemoryStore: enough for one instance.
	Store Store
	// Bus carries Post and Delete to the instance that holds a
	// connection. If nil, the server acts on its own connections only.
	Bus Bus
	// Instance names this instance in the Store and on the Bus. If empty,
	// a random name.
	Instance string
	// TouchInterval is how often, at most, a connection's LastActiveAt is
	// written to the Store as its client sends messages. If zero, 10
	// seconds. A connection of this instance reports its exact time.
	TouchInterval time.Duration
	// Logger receives what is not a response: integration errors, store
	// and bus failures. If nil, slog.Default().
	Logger *slog.Logger
	// MeterProvider receives the metrics (see the package doc). If nil,
	// OpenTelemetry's global MeterProvider.
	MeterProvider metric.MeterProvider
}

// Server serves one WebSocket API. It is an http.Handler for the upgrade
// requests: mount it as the integration of a gateway route (a
// gateway.Handler on "GET /" of a gateway API), so that the route's
// authorizer, API key, throttling and stage apply to $connect — a refused
// caller gets the HTTP status before any upgrade — and the identity they
// establish reaches every message's payload. ConnectionsHandler serves
// the connections API.
//
// A Server is safe for concurrent use. Each connection costs one
// goroutine of the Server's, which reads the connection (the upgrade
// request's goroutine returns, with its HTTP buffers), plus one while
// messages wait to be written. Shutdown closes them all.
type Server struct {
	api      *compiledAPI
	store    Store
	bus      Bus
	instance string
	touch    time.Duration
	log      *slog.Logger
	meters   *meters
	upgrader websocket.Upgrader

	// ctx is the parent of every integration call; Shutdown cancels it
	// when its deadline passes.
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	conns   map[string]*conn
	closing bool
	wg      sync.WaitGroup // one per upgrade request and open connection, and per drain goroutine
}

// New returns a Server for api. Every mistake in api — an invalid route
// selection expression, an unknown special route key, a route without an
// integration, a negative limit, a malformed origin — is returned here,
// all together. With a Bus, New subscribes to it: call Shutdown or Close
// to end the subscription.
func New(api *API, opts Options) (*Server, error) {
	c, err := compile(api)
	if err != nil {
		return nil, err
	}
	s := &Server{api: c, store: opts.Store, bus: opts.Bus, instance: opts.Instance, touch: opts.TouchInterval, log: opts.Logger, conns: map[string]*conn{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.meters = newMeters(opts.MeterProvider)
	if s.store == nil {
		s.store = &MemoryStore{}
	}
	if s.instance == "" {
		s.instance = "i-" + randomID(8)
	}
	if s.touch == 0 {
		s.touch = 10 * time.Second
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:   1024,
		WriteBufferPool:  &sync.Pool{},
		HandshakeTimeout: 10 * time.Second,
		CheckOrigin:      s.checkOrigin,
		Error: func(w http.ResponseWriter, _ *http.Request, status int, err error) {
			writeJSONError(w, status, err.Error())
		},
	}
	if s.bus != nil {
		if err := s.bus.Subscribe(context.Background(), s.instance, s.deliver); err != nil {
			s.cancel()
			return nil, fmt.Errorf("ws: Bus.Subscribe: %w", err)
		}
	}
	return s, nil
}

// checkOrigin allows requests without Origin, from the allowed origins,
// or (by default) from the host they were sent to.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || s.api.anyOrig {
		return true
	}
	o := strings.ToLower(origin)
	if len(s.api.origins) == 0 {
		_, host, ok := strings.Cut(o, "://")
		return ok && host == strings.ToLower(r.Host)
	}
	for _, a := range s.api.origins {
		if a == o {
			return true
		}
	}
	return false
}

// ServeHTTP runs $connect for an upgrade request and, if it accepts,
// serves the connection until it closes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !websocket.IsWebSocketUpgrade(r) {
		w.Header().Set("Upgrade", "websocket")
		writeJSONError(w, http.StatusUpgradeRequired, "Expected a WebSocket upgrade request")
		return
	}
	// The handshake's own checks come first, so that $connect never runs
	// for a request the upgrade would refuse.
	if r.Method != http.MethodGet || r.Header.Get("Sec-Websocket-Key") == "" || r.Header.Get("Sec-Websocket-Version") != "13" {
		s.refused(r)
		w.Header().Set("Sec-Websocket-Version", "13")
		writeJSONError(w, http.StatusBadRequest, "Invalid WebSocket handshake: want GET with Sec-WebSocket-Key and Sec-WebSocket-Version 13")
		return
	}
	if !s.checkOrigin(r) {
		s.refused(r)
		writeJSONError(w, http.StatusForbidden, "Origin not allowed")
		return
	}
	s.mu.Lock()
	closing := s.closing
	if !closing {
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if closing {
		writeJSONError(w, http.StatusServiceUnavailable, "Service Unavailable")
		return
	}
	served := false // the connection's goroutine took over the wg count
	defer func() {
		if !served {
			s.wg.Done()
		}
	}()

	c := s.newConn(r)
	if rt := s.api.routes[RouteConnect]; rt != nil {
		ev := c.event(RouteConnect, "CONNECT", nil, false)
		ev.Headers, ev.MultiValueHeaders = singleHeaders(r.Header), r.Header
		ev.QueryStringParameters, ev.MultiValueQueryStringParameters = singleQuery(r), r.URL.Query()
		ctx, cancel := context.WithTimeout(r.Context(), connectTimeout)
		stop := context.AfterFunc(s.ctx, cancel)
		res, err := c.invoke(ctx, rt, ev)
		stop()
		cancel()
		if err == nil && !statusOK(res.StatusCode) && res.StatusCode < 500 {
			c.add(s.meters.clientErr, RouteConnect)
		}
		switch {
		case err != nil:
			s.log.Error("ws: $connect integration failed", "connection_id", c.info.ID, "err", err)
			writeJSONError(w, http.StatusInternalServerError, "Internal server error")
			return
		case !statusOK(res.StatusCode):
			body := res.Body
			if len(body) == 0 {
				body = statusText(res.StatusCode)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(res.StatusCode)
			_, _ = w.Write(body)
			return
		}
	}
	// Recorded before the client hears 101, so that a Post as soon as it
	// is connected finds the connection (its messages wait for the
	// socket).
	if !s.register(c) {
		writeJSONError(w, http.StatusServiceUnavailable, "Service Unavailable")
		c.disconnect(websocket.CloseGoingAway, "server shutting down")
		return
	}
	c.add(s.meters.connect, RouteConnect)
	wc, err := s.upgrader.Upgrade(hijackable(w), r, nil)
	if err != nil {
		s.log.Info("ws: upgrade failed", "connection_id", c.info.ID, "err", err)
		c.finish(err)
		c.disconnect(websocket.CloseAbnormalClosure, "upgrade failed")
		return
	}
	// Read on a goroutine of our own, so that the HTTP request's
	// goroutine, buffers and state are freed: a third of the memory of an
	// idle connection.
	served = true
	go func() {
		defer s.wg.Done()
		c.serve(wc)
	}()
}

// hijackable returns w, or the writer under it that can be hijacked: the
// gateway wraps the ResponseWriter (for CORS) with an Unwrap method.
func hijackable(w http.ResponseWriter) http.ResponseWriter {
	for rw := w; ; {
		if _, ok := rw.(http.Hijacker); ok {
			return rw
		}
		u, ok := rw.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		rw = u.Unwrap()
	}
}

// writeJSONError answers a refused upgrade.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "{\"message\":%q}\n", msg)
}

// register records c as open, here and in the Store. It fails if the
// server is shutting down.
func (s *Server) register(c *conn) bool {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return false
	}
	s.conns[c.info.ID] = c
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.store.Put(ctx, c.info, s.api.limits.MaxDuration+time.Minute); err != nil {
		s.log.Warn("ws: could not record the connection; other instances cannot reach it", "connection_id", c.info.ID, "err", err)
	}
	return true
}

// unregister forgets c, here and in the Store.
func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	delete(s.conns, c.info.ID)
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.store.Delete(ctx, c.info.ID); err != nil {
		s.log.Warn("ws: could not delete the connection's record", "connection_id", c.info.ID, "err", err)
	}
}

// local returns the open connection id of this instance, or nil.
func (s *Server) local(id string) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns[id]
}

// Shutdown closes every connection with 1001 (going away), runs their
// $disconnect routes, and waits for them until ctx ends; then it ends the
// Bus subscription. New upgrade requests get 503 from the start. If ctx
// ends first, the remaining connections are dropped, the integrations
// still running see their context cancelled, and ctx's error is returned
// once they have returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close(websocket.CloseGoingAway, "server shutting down")
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
		s.cancel() // integrations still running give up
		s.mu.Lock()
		for _, c := range s.conns {
			c.drop()
		}
		s.mu.Unlock()
		<-done
	}
	s.cancel()
	if s.bus != nil {
		if berr := s.bus.Close(); berr != nil && err == nil {
			err = berr
		}
	}
	return err
}

// Close is Shutdown with DefaultShutdownTimeout.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), DefaultShutdownTimeout)
	defer cancel()
	return s.Shutdown(ctx)
}

// randomID returns n random bytes in URL-safe base64.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.URLEncoding.EncodeToString(b)
}

// singleHeaders returns the first value of each header.
func singleHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

// singleQuery returns the first value of each query parameter.
func singleQuery(r *http.Request) map[string]string {
	q := r.URL.Query()
	if len(q) == 0 {
		return nil
	}
	out := make(map[string]string, len(q))
	for k, vs := range q {
		out[k] = vs[0]
	}
	return out
}

// apiName is the payload's apiId: the ws API's name, or the gateway API's.
func (s *Server) apiName(r *http.Request) string {
	if s.api.name != "" {
		return s.api.name
	}
	return gateway.APIName(r.Context())
}
