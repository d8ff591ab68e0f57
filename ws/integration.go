package ws

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Event is what an integration gets: the managed service's WebSocket
// payload (eventType CONNECT, MESSAGE or DISCONNECT).
type Event = events.APIGatewayWebsocketProxyRequest

// Response is an integration's answer. On $connect, a StatusCode outside
// 2xx refuses the connection with that status and Body. On a two-way
// route, Body is sent back to the client.
type Response struct {
	// StatusCode is the HTTP-style status; 0 means 200.
	StatusCode int
	// Body is the message to send back (two-way routes), or the body of
	// a refused $connect.
	Body []byte
	// Binary sends Body as a binary frame rather than a text frame.
	Binary bool
}

// Integration handles a route's events. Invoke is called on the
// connection's own goroutine, one message at a time, so a slow
// integration slows only its own connection.
type Integration interface {
	Invoke(ctx context.Context, ev *Event) (Response, error)
}

// IntegrationFunc adapts a function to an Integration.
type IntegrationFunc func(ctx context.Context, ev *Event) (Response, error)

// Invoke calls f.
func (f IntegrationFunc) Invoke(ctx context.Context, ev *Event) (Response, error) { return f(ctx, ev) }

// Function is an integration for a Lambda-style Go function taking the
// managed service's WebSocket payload: existing WebSocket Lambda handlers
// run unchanged. Its response's body is the route response; a base64
// body (IsBase64Encoded) is sent as a binary frame.
func Function(fn func(context.Context, events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error)) Integration {
	return IntegrationFunc(func(ctx context.Context, ev *Event) (Response, error) {
		out, err := fn(ctx, *ev)
		if err != nil {
			return Response{}, err
		}
		res := Response{StatusCode: out.StatusCode, Body: []byte(out.Body)}
		if out.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(out.Body)
			if err != nil {
				return Response{}, fmt.Errorf("ws: function response: isBase64Encoded body: %w", err)
			}
			res.Body, res.Binary = b, true
		}
		return res, nil
	})
}

type eventKey struct{}

// EventFrom returns the event a Handler integration is serving, from its
// request's context.
func EventFrom(ctx context.Context) *Event {
	ev, _ := ctx.Value(eventKey{}).(*Event)
	return ev
}

// Handler is an integration for an http.Handler: each event is a POST
// whose body is the message (decoded from base64 for binary frames),
// with the headers Connection-Id, Route-Key and Event-Type; [EventFrom]
// gives the whole payload. What the handler writes is the response.
func Handler(h http.Handler) Integration {
	return IntegrationFunc(func(ctx context.Context, ev *Event) (Response, error) {
		body, err := eventBody(ev)
		if err != nil {
			return Response{}, err
		}
		r, err := http.NewRequestWithContext(context.WithValue(ctx, eventKey{}, ev), http.MethodPost, "/", bytes.NewReader(body))
		if err != nil {
			return Response{}, err
		}
		setEventHeaders(r.Header, ev)
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		return Response{StatusCode: rec.status(), Body: rec.body.Bytes()}, nil
	})
}

// HTTPBackend is an integration that POSTs each event's message to URL,
// with the headers Connection-Id, Route-Key and Event-Type; the backend's
// response body is the route response.
type HTTPBackend struct {
	// URL receives the POSTs. Required.
	URL string
	// Client sends them. If nil, a client with a 29-second timeout.
	Client *http.Client
}

var defaultBackendClient = &http.Client{Timeout: 29 * time.Second}

// Invoke implements Integration.
func (b *HTTPBackend) Invoke(ctx context.Context, ev *Event) (Response, error) {
	body, err := eventBody(ev)
	if err != nil {
		return Response{}, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, b.URL, bytes.NewReader(body))
	if err != nil {
		return Response{}, err
	}
	setEventHeaders(r.Header, ev)
	if ev.IsBase64Encoded {
		r.Header.Set("Content-Type", "application/octet-stream")
	}
	c := b.Client
	if c == nil {
		c = defaultBackendClient
	}
	resp, err := c.Do(r)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, DefaultMaxMessageBytes+1))
	if err != nil {
		return Response{}, err
	}
	if len(out) > DefaultMaxMessageBytes {
		return Response{}, fmt.Errorf("ws: backend response over %d bytes", DefaultMaxMessageBytes)
	}
	return Response{StatusCode: resp.StatusCode, Body: out}, nil
}

// eventBody is the event's message as bytes.
func eventBody(ev *Event) ([]byte, error) {
	if ev.IsBase64Encoded {
		return base64.StdEncoding.DecodeString(ev.Body)
	}
	return []byte(ev.Body), nil
}

func setEventHeaders(h http.Header, ev *Event) {
	h.Set("Connection-Id", ev.RequestContext.ConnectionID)
	h.Set("Route-Key", ev.RequestContext.RouteKey)
	h.Set("Event-Type", ev.RequestContext.EventType)
}

// recorder is the ResponseWriter a Handler integration writes to.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

// statusOK reports whether a response status accepts: 0 or 2xx.
func statusOK(code int) bool { return code == 0 || (code >= 200 && code < 300) }

// statusText is the body of a refused $connect without one.
func statusText(code int) []byte {
	return []byte(`{"message":"` + http.StatusText(code) + `","status":` + strconv.Itoa(code) + "}")
}
