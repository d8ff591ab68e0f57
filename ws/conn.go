package ws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"

	"github.com/gatekit/gatekit/gateway"
)

// conn is one open connection.
type conn struct {
	srv  *Server
	info ConnInfo
	base Event // the fields every event of the connection shares
	ws   *websocket.Conn

	lastActive  atomic.Int64 // unix nanos of the client's last message
	lastTouched time.Time    // when LastActiveAt was last stored; reader only

	mu      sync.Mutex
	queue   []outMsg // waiting to be written
	writing bool     // a drain goroutine runs
	closed  bool     // a close frame was sent, or the connection failed
	timers  []*time.Timer

	closeCode   int    // the code the server closed with, for $disconnect
	closeReason string // and its reason
}

type outMsg struct {
	data   []byte
	binary bool
}

// newConn describes the connection an upgrade request asks for, with the
// identity the gateway's authorization established.
func (s *Server) newConn(r *http.Request) *conn {
	now := time.Now()
	ctx := r.Context()
	id := Identity{SourceIP: gateway.SourceIP(ctx), UserAgent: r.UserAgent(), APIKeyID: gateway.APIKeyID(ctx)}
	if id.SourceIP == "" {
		id.SourceIP = r.RemoteAddr
	}
	var authorizer map[string]any
	if who := gateway.Identity(ctx); who != nil {
		id.Principal = who.Principal
		authorizer = map[string]any{"principalId": who.Principal}
		for k, v := range who.Context {
			authorizer[k] = v
		}
		if len(who.Claims) > 0 {
			authorizer["claims"] = who.Claims
		}
		if len(who.Scopes) > 0 {
			authorizer["scopes"] = who.Scopes
		}
	}
	c := &conn{srv: s, info: ConnInfo{ID: randomID(12), Instance: s.instance, ConnectedAt: now, LastActiveAt: now, Identity: id}}
	c.lastActive.Store(now.UnixNano())
	c.base = Event{
		StageVariables: gateway.StageVariables(ctx),
		RequestContext: events.APIGatewayWebsocketProxyRequestContext{
			Stage:        gateway.StageName(ctx),
			APIID:        s.apiName(r),
			ConnectedAt:  now.UnixMilli(),
			ConnectionID: c.info.ID,
			DomainName:   r.Host,
			Identity:     events.APIGatewayRequestIdentity{SourceIP: id.SourceIP, UserAgent: id.UserAgent, APIKeyID: id.APIKeyID},
		},
	}
	if authorizer != nil {
		c.base.RequestContext.Authorizer = authorizer
	}
	return c
}

// event returns the payload of one event of the connection.
func (c *conn) event(routeKey, eventType string, msg []byte, binary bool) *Event {
	ev := c.base
	now := time.Now()
	rc := &ev.RequestContext
	rc.RouteKey, rc.EventType = routeKey, eventType
	rc.RequestID = randomID(12)
	rc.ExtendedRequestID = rc.RequestID
	rc.RequestTime = now.UTC().Format("02/Jan/2006:15:04:05 -0700")
	rc.RequestTimeEpoch = now.UnixMilli()
	rc.MessageDirection = "IN"
	if eventType == "MESSAGE" {
		rc.MessageID = randomID(12)
		if binary {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(msg), true
		} else {
			ev.Body = string(msg)
		}
	}
	return &ev
}

// attach gives the registered connection its socket: messages posted
// since it was registered start on their way, and a close requested
// meanwhile is sent.
func (c *conn) attach(wc *websocket.Conn) {
	c.mu.Lock()
	c.ws = wc
	closed, code, reason := c.closed, c.closeCode, c.closeReason
	start := !closed && len(c.queue) > 0
	if start {
		c.writing = true
		c.srv.wg.Add(1)
	}
	c.mu.Unlock()
	if closed {
		c.sendClose(code, reason)
	}
	if start {
		go c.drain()
	}
}

// serve reads the connection's messages until it closes, then runs
// $disconnect. It runs on a goroutine of its own.
func (c *conn) serve(wc *websocket.Conn) {
	s, lim := c.srv, c.srv.api.limits
	_ = wc.NetConn().SetDeadline(time.Time{}) // the HTTP server's deadlines do not apply
	wc.SetReadLimit(lim.MaxMessageBytes)
	liveness := lim.IdleTimeout
	if lim.PingInterval > 0 {
		liveness = 2 * lim.PingInterval
		wc.SetPongHandler(func(string) error { c.extendRead(liveness); return nil })
	}
	c.attach(wc)
	c.extendRead(liveness)
	if lim.PingInterval > 0 {
		c.every(lim.PingInterval, c.ping)
	}
	c.after(lim.MaxDuration, func() { c.close(websocket.CloseGoingAway, "maximum connection duration reached") })

	var err error
	for {
		var typ int
		var msg []byte
		if typ, msg, err = wc.ReadMessage(); err != nil {
			break
		}
		now := time.Now()
		c.lastActive.Store(now.UnixNano())
		c.extendRead(liveness)
		if now.Sub(c.lastTouched) >= s.touch {
			c.lastTouched = now
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			if terr := s.store.Touch(ctx, c.info.ID, now); terr != nil {
				s.log.Warn("ws: could not record activity", "connection_id", c.info.ID, "err", terr)
			}
			cancel()
		}
		c.handle(msg, typ == websocket.BinaryMessage)
	}
	code, reason := c.finish(err)
	_ = wc.NetConn().Close()
	c.disconnect(code, reason)
}

// disconnect forgets the connection and runs $disconnect.
func (c *conn) disconnect(code int, reason string) {
	s := c.srv
	s.unregister(c)
	if rt := s.api.routes[RouteDisconnect]; rt != nil {
		ev := c.event(RouteDisconnect, "DISCONNECT", nil, false)
		ev.RequestContext.DisconnectStatusCode = int64(code)
		ev.RequestContext.DisconnectReason = &reason
		ctx, cancel := context.WithTimeout(s.ctx, connectTimeout)
		if _, derr := c.invoke(ctx, rt, ev); derr != nil {
			s.log.Error("ws: $disconnect integration failed", "connection_id", c.info.ID, "err", derr)
		}
		cancel()
	}
}

// handle routes one message and sends the route response, or the error
// message the managed service sends.
func (c *conn) handle(msg []byte, binary bool) {
	api := c.srv.api
	key := ""
	if !binary {
		key = api.sel.selectRoute(msg)
	}
	rt := api.routes[key]
	if rt == nil || key == RouteConnect || key == RouteDisconnect {
		rt = api.routes[RouteDefault]
	}
	if rt == nil {
		c.add(c.srv.meters.clientErr, "$none") // not the client's key: unbounded
		c.sendError("Forbidden", "")
		return
	}
	c.add(c.srv.meters.message, rt.Key)
	ev := c.event(rt.Key, "MESSAGE", msg, binary)
	ctx, cancel := context.WithTimeout(c.srv.ctx, connectTimeout)
	res, err := c.invoke(ctx, rt, ev)
	cancel()
	if err != nil {
		c.srv.log.Error("ws: integration failed", "connection_id", c.info.ID, "route", rt.Key, "err", err)
		c.sendError("Internal server error", ev.RequestContext.RequestID)
		return
	}
	if rt.TwoWay && len(res.Body) > 0 && c.send(res.Body, res.Binary) == nil {
		c.add(c.srv.meters.message, rt.Key)
	}
}

// sendError sends the managed service's error message.
func (c *conn) sendError(message, requestID string) {
	body := `{"message":` + strconv.Quote(message) + `,"connectionId":` + strconv.Quote(c.info.ID)
	if requestID != "" {
		body += `,"requestId":` + strconv.Quote(requestID)
	}
	_ = c.send([]byte(body+"}"), false)
}

// errQueueFull is why a slow client was disconnected.
var errQueueFull = errors.New("ws: the client reads too slowly: its send queue is full")

// send queues a message for the client. A full queue closes the
// connection with 1008.
func (c *conn) send(data []byte, binary bool) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrGone
	}
	if len(c.queue) >= c.srv.api.limits.SendQueue {
		c.mu.Unlock()
		c.close(websocket.ClosePolicyViolation, "send queue full")
		return errQueueFull
	}
	c.queue = append(c.queue, outMsg{data, binary})
	start := !c.writing && c.ws != nil // before attach, the queue waits
	c.writing = c.writing || start
	if start {
		c.srv.wg.Add(1)
	}
	c.mu.Unlock()
	if start {
		go c.drain()
	}
	return nil
}

// drain writes the queued messages, and exits when the queue is empty.
func (c *conn) drain() {
	defer c.srv.wg.Done()
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.closed {
			c.queue, c.writing = nil, false
			c.mu.Unlock()
			return
		}
		m := c.queue[0]
		c.queue[0] = outMsg{}
		c.queue = c.queue[1:]
		c.mu.Unlock()
		typ := websocket.TextMessage
		if m.binary {
			typ = websocket.BinaryMessage
		}
		_ = c.ws.SetWriteDeadline(time.Now().Add(c.srv.api.limits.WriteTimeout))
		if err := c.ws.WriteMessage(typ, m.data); err != nil {
			c.drop()
			continue
		}
	}
}

// extendRead gives the client d more to show it is alive, unless the
// connection is closing: then the close's short deadline stands.
func (c *conn) extendRead(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed && c.ws != nil {
		_ = c.ws.SetReadDeadline(time.Now().Add(d))
	}
}

// ping sends a keep-alive ping, and closes a connection that has been
// idle for its IdleTimeout.
func (c *conn) ping() {
	lim := c.srv.api.limits
	if time.Since(time.Unix(0, c.lastActive.Load())) >= lim.IdleTimeout {
		c.close(websocket.CloseGoingAway, "idle timeout")
		return
	}
	_ = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(lim.WriteTimeout))
}

// every runs f every d until the connection closes.
func (c *conn) every(d time.Duration, f func()) {
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		f()
		c.mu.Lock()
		if !c.closed {
			t.Reset(d)
		}
		c.mu.Unlock()
	})
	c.addTimer(t)
}

// after runs f once after d, unless the connection closes first.
func (c *conn) after(d time.Duration, f func()) { c.addTimer(time.AfterFunc(d, f)) }

func (c *conn) addTimer(t *time.Timer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		t.Stop()
		return
	}
	c.timers = append(c.timers, t)
}

// close sends a close frame with code and reason, and gives the client a
// moment to answer it before the reader gives up. It is safe to call
// more than once and from any goroutine; only the first call counts.
//
// Before the socket is attached, the close is only recorded; attach
// sends it.
func (c *conn) close(code int, reason string) {
	if first, attached := c.markClosed(code, reason); first && attached {
		c.sendClose(code, reason)
	}
}

// sendClose writes the close frame and shortens the read deadline.
func (c *conn) sendClose(code int, reason string) {
	deadline := time.Now().Add(time.Second)
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), deadline)
	_ = c.ws.SetReadDeadline(deadline)
}

// drop ends the connection at once, without a close frame.
func (c *conn) drop() {
	if _, attached := c.markClosed(websocket.CloseAbnormalClosure, "dropped"); attached {
		_ = c.ws.NetConn().Close()
	}
}

// markClosed records the first close and stops the timers; it reports
// whether this call was the first, and whether the socket is attached.
func (c *conn) markClosed(code int, reason string) (first, attached bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	attached = c.ws != nil
	if c.closed {
		return false, attached
	}
	c.closed, c.closeCode, c.closeReason = true, code, reason
	for _, t := range c.timers {
		t.Stop()
	}
	c.timers = nil
	return true, attached
}

// finish records why the reader stopped and returns the close code and
// reason for $disconnect.
func (c *conn) finish(err error) (int, string) {
	code, reason := websocket.CloseAbnormalClosure, "connection lost"
	var ce *websocket.CloseError
	switch {
	case errors.As(err, &ce):
		code, reason = ce.Code, ce.Text
	case errors.Is(err, websocket.ErrReadLimit):
		code, reason = websocket.CloseMessageTooBig, fmt.Sprintf("message over %d bytes", c.srv.api.limits.MaxMessageBytes)
	}
	c.mu.Lock()
	if c.closed && c.closeCode != 0 {
		code, reason = c.closeCode, c.closeReason
	}
	c.closed = true
	for _, t := range c.timers {
		t.Stop()
	}
	c.timers = nil
	c.mu.Unlock()
	return code, reason
}

// snapshot returns the connection's record with its exact LastActiveAt.
func (c *conn) snapshot() ConnInfo {
	info := c.info
	info.LastActiveAt = time.Unix(0, c.lastActive.Load())
	return info
}
