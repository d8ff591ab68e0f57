package gateway

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gatekit/gatekit/internal/urlpath"
)

// Integration connects a route to what serves it. The gateway calls Bind
// once per route when the API is mounted; Bind checks the integration
// against the route and returns the handler for the route's requests, or an
// error that makes the mount fail.
//
// The handler runs after the gateway has matched the route and made the
// request context: the accessors ([RequestID], [PathParam], [StageName], …)
// work on its request, and it answers refusals with [WriteError].
type Integration interface {
	Bind(b *Binding) (http.Handler, error)
}

// IntegrationFunc adapts a function to [Integration].
type IntegrationFunc func(b *Binding) (http.Handler, error)

// Bind calls f(b).
func (f IntegrationFunc) Bind(b *Binding) (http.Handler, error) { return f(b) }

var (
	_ Integration = IntegrationFunc(nil)
	_ Integration = handlerIntegration{}
	_ Integration = (*Mock)(nil)
)

// Handler returns an integration that calls h, an existing http.Handler.
// h sees the request's path relative to the API (without the base path it
// is mounted at), in the gateway's canonical form; it reads path
// parameters with r.PathValue or [PathParam], and the stage, stage
// variables, request id and source IP through this package's accessors.
func Handler(h http.Handler) Integration { return handlerIntegration{h} }

type handlerIntegration struct{ h http.Handler }

func (hi handlerIntegration) Bind(b *Binding) (http.Handler, error) {
	if hi.h == nil {
		return nil, fmt.Errorf("Handler: nil http.Handler")
	}
	timeout := b.Timeout
	if !b.explicitTimeout {
		timeout = 0
	}
	next := hi.h
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := stateFrom(r.Context())
		if s.changed {
			u := *r.URL
			u.Path, u.RawPath = urlpath.Unescape(s.path), s.path
			if u.Path == u.RawPath {
				u.RawPath = ""
			}
			r.URL = &u
		}
		for i := range s.params.Len() {
			r.SetPathValue(s.params.Name(i), urlpath.Unescape(s.params.Value(i)))
		}
		if timeout > 0 {
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			defer cancel()
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	}), nil
}

// Mock is an integration that answers every request with a fixed response.
type Mock struct {
	// Status is the response status. If zero, 200.
	Status int
	// Header holds the response headers.
	Header http.Header
	// Body is the response body.
	Body string
}

// Bind checks the status and headers.
func (m *Mock) Bind(*Binding) (http.Handler, error) {
	status := m.Status
	if status == 0 {
		status = http.StatusOK
	}
	if status < 100 || status > 599 {
		return nil, fmt.Errorf("Mock: status %d is outside 100-599", status)
	}
	for k := range m.Header {
		if !validHeaderName(k) {
			return nil, fmt.Errorf("Mock: invalid header name %q", k)
		}
	}
	header, body := m.Header.Clone(), []byte(m.Body)
	length := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		for k, vs := range header {
			h[k] = append(h[k], vs...)
		}
		h.Set("Content-Length", length)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}), nil
}
