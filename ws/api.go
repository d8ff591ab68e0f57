package ws

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The special route keys.
const (
	// RouteConnect runs before the connection is accepted; a non-2xx
	// answer refuses it.
	RouteConnect = "$connect"
	// RouteDisconnect runs after the connection has closed.
	RouteDisconnect = "$disconnect"
	// RouteDefault gets the messages no other route matches.
	RouteDefault = "$default"
)

// DefaultRouteSelectionExpression selects the route from a JSON message's
// "action" field, as the managed service's console proposes.
const DefaultRouteSelectionExpression = "$request.body.action"

// The managed service's limits, the defaults of [Limits].
const (
	DefaultMaxMessageBytes = 128 << 10
	DefaultIdleTimeout     = 10 * time.Minute
	DefaultMaxDuration     = 2 * time.Hour
	DefaultPingInterval    = 30 * time.Second
	DefaultSendQueue       = 256
	DefaultWriteTimeout    = 10 * time.Second
)

// API is a WebSocket API: its routes and how a message picks one.
type API struct {
	// Name is the API's name, reported as the payload's apiId. If empty,
	// the gateway API's name.
	Name string
	// RouteSelectionExpression picks a message's route:
	// "$request.body.NAME" (NAME may be a dotted path into nested
	// objects) reads the message as JSON and takes that string field. A
	// message that is not JSON, or lacks the field, or names no route,
	// goes to $default. If empty, DefaultRouteSelectionExpression.
	RouteSelectionExpression string
	// Routes are the API's routes: $connect, $disconnect, $default and
	// custom keys such as "sendmessage".
	Routes []Route
	// Limits bound messages and connections.
	Limits Limits
	// AllowedOrigins are the web origins ("https://app.example.com") whose
	// pages may open connections, against cross-site WebSocket hijacking;
	// "*" allows any. A request without an Origin header (not a browser)
	// is always allowed. If empty, only pages of the host the request
	// was sent to.
	AllowedOrigins []string
}

// Route connects a route key to an integration.
type Route struct {
	// Key is $connect, $disconnect, $default, or a custom key that the
	// route selection expression yields.
	Key string
	// Integration handles the route's events. Required.
	Integration Integration
	// TwoWay sends the integration's response body back to the client
	// (the managed service's route response). On $connect and
	// $disconnect it has no meaning.
	TwoWay bool
}

// Limits bound messages and connections. Zero fields take the defaults:
// the managed service's limits, and keep-alive pings it does not send.
type Limits struct {
	// MaxMessageBytes is the largest message a client may send; a larger
	// one closes the connection with 1009 (message too big). Default
	// 128 KB.
	MaxMessageBytes int64
	// IdleTimeout closes a connection whose client sent no message for
	// this long, with 1001 (going away). Default 10 minutes.
	IdleTimeout time.Duration
	// MaxDuration closes every connection this long after it opened,
	// with 1001. Default 2 hours.
	MaxDuration time.Duration
	// PingInterval is how often the server pings each client; a client
	// that does not answer within two intervals is disconnected. Negative
	// turns pings off. Default 30 seconds.
	PingInterval time.Duration
	// SendQueue is how many messages may wait for a slow client; a Post
	// to a connection whose queue is full closes it with 1008 (policy
	// violation) and fails. Default 256.
	SendQueue int
	// WriteTimeout bounds writing one message to a client; a client that
	// does not read for this long is disconnected. Default 10 seconds.
	WriteTimeout time.Duration
}

// withDefaults returns l with its zero fields set to the defaults, or an
// error naming each negative one.
func (l Limits) withDefaults() (Limits, error) {
	var errs []error
	neg := func(name string, v int64) {
		if v < 0 {
			errs = append(errs, fmt.Errorf("ws: Limits.%s is negative", name))
		}
	}
	neg("MaxMessageBytes", l.MaxMessageBytes)
	neg("IdleTimeout", int64(l.IdleTimeout))
	neg("MaxDuration", int64(l.MaxDuration))
	neg("SendQueue", int64(l.SendQueue))
	neg("WriteTimeout", int64(l.WriteTimeout))
	if l.MaxMessageBytes == 0 {
		l.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if l.IdleTimeout == 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	if l.MaxDuration == 0 {
		l.MaxDuration = DefaultMaxDuration
	}
	if l.PingInterval == 0 {
		l.PingInterval = DefaultPingInterval
	}
	if l.SendQueue == 0 {
		l.SendQueue = DefaultSendQueue
	}
	if l.WriteTimeout == 0 {
		l.WriteTimeout = DefaultWriteTimeout
	}
	return l, errors.Join(errs...)
}

// selector is a compiled route selection expression: the path of field
// names into a JSON message.
type selector []string

// parseSelector compiles "$request.body.a.b".
func parseSelector(expr string) (selector, error) {
	if expr == "" {
		expr = DefaultRouteSelectionExpression
	}
	rest, ok := strings.CutPrefix(expr, "$request.body.")
	if !ok {
		return nil, fmt.Errorf("ws: RouteSelectionExpression %q: want $request.body.NAME", expr)
	}
	path := strings.Split(rest, ".")
	for _, p := range path {
		if p == "" || strings.ContainsAny(p, "$[]{} ") {
			return nil, fmt.Errorf("ws: RouteSelectionExpression %q: %q is not a field name", expr, p)
		}
	}
	return path, nil
}

// selectRoute returns the route key a message names, or "" when it names
// none: not JSON, no such field, or not a string.
func (sel selector) selectRoute(msg []byte) string {
	raw := json.RawMessage(msg)
	for _, name := range sel {
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return ""
		}
		if raw = obj[name]; raw == nil {
			return ""
		}
	}
	var key string
	if json.Unmarshal(raw, &key) != nil {
		return ""
	}
	return key
}

// compiledAPI is an API checked and indexed by New.
type compiledAPI struct {
	name    string
	sel     selector
	routes  map[string]*Route
	limits  Limits
	origins []string
	anyOrig bool
}

func compile(api *API) (*compiledAPI, error) {
	if api == nil {
		return nil, errors.New("ws: nil API")
	}
	c := &compiledAPI{name: api.Name, routes: make(map[string]*Route, len(api.Routes))}
	var errs []error
	sel, err := parseSelector(api.RouteSelectionExpression)
	if err != nil {
		errs = append(errs, err)
	}
	c.sel = sel
	if c.limits, err = api.Limits.withDefaults(); err != nil {
		errs = append(errs, err)
	}
	for i := range api.Routes {
		rt := &api.Routes[i]
		switch {
		case rt.Key == "" || strings.ContainsAny(rt.Key, " \t\n"):
			errs = append(errs, fmt.Errorf("ws: Routes[%d]: invalid route key %q", i, rt.Key))
		case strings.HasPrefix(rt.Key, "$") && rt.Key != RouteConnect && rt.Key != RouteDisconnect && rt.Key != RouteDefault:
			errs = append(errs, fmt.Errorf("ws: Routes[%d]: unknown special route key %q (want $connect, $disconnect or $default)", i, rt.Key))
		case rt.Integration == nil:
			errs = append(errs, fmt.Errorf("ws: route %q: no Integration", rt.Key))
		case c.routes[rt.Key] != nil:
			errs = append(errs, fmt.Errorf("ws: route %q: defined twice", rt.Key))
		default:
			r := *rt
			c.routes[rt.Key] = &r
		}
	}
	for i, o := range api.AllowedOrigins {
		switch {
		case o == "*":
			c.anyOrig = true
		case !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://"):
			errs = append(errs, fmt.Errorf("ws: AllowedOrigins[%d] %q: want \"*\" or scheme://host[:port]", i, o))
		default:
			c.origins = append(c.origins, strings.ToLower(strings.TrimSuffix(o, "/")))
		}
	}
	return c, errors.Join(errs...)
}
