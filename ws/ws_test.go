package ws_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/gorilla/websocket"
	"go.uber.org/goleak"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/ws"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// nopIntegration answers nothing.
var nopIntegration = ws.IntegrationFunc(func(context.Context, *ws.Event) (ws.Response, error) { return ws.Response{}, nil })

// recorder keeps the events an integration got.
type recorder struct {
	mu     sync.Mutex
	events []ws.Event
	got    chan ws.Event
}

func newRecorder() *recorder { return &recorder{got: make(chan ws.Event, 100)} }

// integration records the event and answers with respond's response.
func (rec *recorder) integration(respond func(ev *ws.Event) (ws.Response, error)) ws.Integration {
	return ws.IntegrationFunc(func(_ context.Context, ev *ws.Event) (ws.Response, error) {
		rec.mu.Lock()
		rec.events = append(rec.events, *ev)
		rec.mu.Unlock()
		rec.got <- *ev
		if respond == nil {
			return ws.Response{}, nil
		}
		return respond(ev)
	})
}

// next waits for the next event.
func (rec *recorder) next(t *testing.T) ws.Event {
	t.Helper()
	select {
	case ev := <-rec.got:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
		return ws.Event{}
	}
}

// echo answers with the route key and the body.
func echo(ev *ws.Event) (ws.Response, error) {
	return ws.Response{Body: []byte(ev.RequestContext.RouteKey + ":" + ev.Body)}, nil
}

// serve mounts srv on a gateway (route "GET /chat" of API "chat", stage
// $default, with the given route settings) on a real loopback server, and
// returns the ws:// URL. The gateway's authorizer "token" takes the
// principal from the query parameter "token".
func serve(t *testing.T, srv *ws.Server, route gateway.Route) string {
	t.Helper()
	gw := gateway.New()
	t.Cleanup(func() { _ = gw.Close() })
	tokenAuth := auth.AuthorizerFunc(func(_ context.Context, r *auth.Request) (*auth.Identity, error) {
		tok := r.HTTP.URL.Query().Get("token")
		if tok == "" {
			return nil, auth.ErrUnauthorized
		}
		return &auth.Identity{Kind: "test", Principal: tok, Context: map[string]any{"room": "lobby"}}, nil
	})
	if err := gw.RegisterAuthorizer("token", tokenAuth); err != nil {
		t.Fatal(err)
	}
	route.Key, route.Integration = "GET /chat", gateway.Handler(srv)
	if err := gw.Mount("/", &gateway.API{Name: "chat", Routes: []gateway.Route{route}}); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(gw)
	t.Cleanup(func() {
		_ = srv.Close()
		hs.Close()
	})
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/chat"
}

func newServer(t *testing.T, api *ws.API, opts ws.Options) *ws.Server {
	t.Helper()
	srv, err := ws.New(api, opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// dial connects a client; it fails the test unless the upgrade succeeds.
func dial(t *testing.T, url string, header ...string) *websocket.Conn {
	t.Helper()
	c, resp, err := tryDial(url, header...)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func tryDial(url string, header ...string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Set(header[i], header[i+1])
	}
	c, resp, err := websocket.DefaultDialer.Dial(url, h)
	if resp != nil && resp.Body != nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(b)))
	}
	return c, resp, err
}

// read reads one message within 5 s.
func read(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, msg, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(msg)
}

// closeCode reads until the connection closes and returns the close code.
func closeCode(t *testing.T, c *websocket.Conn, within time.Duration) int {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(within))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			t.Fatalf("the connection ended without a close frame: %v", err)
		}
	}
}

func TestRoutes(t *testing.T) {
	rec := newRecorder()
	api := &ws.API{Routes: []ws.Route{
		{Key: ws.RouteConnect, Integration: rec.integration(nil)},
		{Key: ws.RouteDisconnect, Integration: rec.integration(nil)},
		{Key: ws.RouteDefault, Integration: rec.integration(echo), TwoWay: true},
		{Key: "sendmessage", Integration: rec.integration(echo), TwoWay: true},
		{Key: "oneway", Integration: rec.integration(echo)},
	}}
	srv := newServer(t, api, ws.Options{})
	url := serve(t, srv, gateway.Route{Authorizer: "token"})

	c := dial(t, url+"?token=alice", "User-Agent", "test-client")
	connect := rec.next(t)
	if connect.RequestContext.EventType != "CONNECT" || connect.QueryStringParameters["token"] != "alice" || connect.Headers["User-Agent"] != "test-client" {
		t.Errorf("$connect event = %+v", connect)
	}
	id := connect.RequestContext.ConnectionID

	steps := []struct {
		send   string
		binary bool
		route  string
		reply  string
	}{
		{`{"action":"sendmessage","text":"hi"}`, false, "sendmessage", `sendmessage:{"action":"sendmessage","text":"hi"}`},
		{`{"action":"nosuchroute"}`, false, "$default", `$default:{"action":"nosuchroute"}`},
		{`not json`, false, "$default", `$default:not json`},
		{`{"action":"$connect"}`, false, "$default", `$default:{"action":"$connect"}`},
		{"\x00\x01binary", true, "$default", "$default:AAFiaW5hcnk="},
		{`{"action":"oneway"}`, false, "oneway", ""},
	}
	for _, st := range steps {
		typ := websocket.TextMessage
		if st.binary {
			typ = websocket.BinaryMessage
		}
		if err := c.WriteMessage(typ, []byte(st.send)); err != nil {
			t.Fatal(err)
		}
		ev := rec.next(t)
		rc := ev.RequestContext
		if rc.RouteKey != st.route || rc.EventType != "MESSAGE" || rc.ConnectionID != id || ev.IsBase64Encoded != st.binary {
			t.Errorf("%q: event route %q type %s conn %s base64 %v; want %s", st.send, rc.RouteKey, rc.EventType, rc.ConnectionID, ev.IsBase64Encoded, st.route)
		}
		if authz, _ := rc.Authorizer.(map[string]any); authz["principalId"] != "alice" || authz["room"] != "lobby" {
			t.Errorf("%q: authorizer %v, want alice's identity from $connect", st.send, rc.Authorizer)
		}
		if rc.Identity.UserAgent != "test-client" || rc.Identity.SourceIP == "" || rc.Stage != "$default" || rc.APIID != "chat" || rc.MessageID == nil || rc.RequestID == "" {
			t.Errorf("%q: request context %+v", st.send, rc)
		}
		if st.reply != "" {
			if got := read(t, c); got != st.reply {
				t.Errorf("%q: reply %q, want %q", st.send, got, st.reply)
			}
		}
	}
	// A one-way route sends nothing back: the next reply is the next
	// message's.
	_ = c.WriteMessage(websocket.TextMessage, []byte(`{"action":"sendmessage"}`))
	rec.next(t)
	if got := read(t, c); !strings.HasPrefix(got, "sendmessage:") {
		t.Errorf("after a one-way message, got %q", got)
	}

	_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"))
	disc := rec.next(t)
	if disc.RequestContext.EventType != "DISCONNECT" || disc.RequestContext.DisconnectStatusCode != 1000 || *disc.RequestContext.DisconnectReason != "bye" {
		t.Errorf("$disconnect event = %+v", disc.RequestContext)
	}
}

// TestPayloadShape compares a MESSAGE event with the managed service's
// sample: every requestContext field the sample has, ours has.
func TestPayloadShape(t *testing.T) {
	sample, err := os.ReadFile("../../shared/testdata/aws-lambda-go-events/apigw-websocket-request-send-message.json")
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder()
	srv := newServer(t, &ws.API{Routes: []ws.Route{{Key: ws.RouteDefault, Integration: rec.integration(nil)}}}, ws.Options{})
	c := dial(t, serve(t, srv, gateway.Route{}))
	_ = c.WriteMessage(websocket.TextMessage, []byte(`{"a":1}`))
	ev := rec.next(t)
	ours, _ := json.Marshal(ev)
	keys := func(b []byte) []string {
		var m struct{ RequestContext map[string]any }
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var ks []string
		for k := range m.RequestContext {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	have := keys(ours)
	for _, k := range keys(sample) {
		if !slices.Contains(have, k) {
			t.Errorf("requestContext lacks %q (sample has it); ours: %v", k, have)
		}
	}
}

func TestNoDefaultRoute(t *testing.T) {
	rec := newRecorder()
	srv := newServer(t, &ws.API{Routes: []ws.Route{{Key: "ping", Integration: rec.integration(echo), TwoWay: true}}}, ws.Options{})
	c := dial(t, serve(t, srv, gateway.Route{}))
	_ = c.WriteMessage(websocket.TextMessage, []byte(`{"action":"other"}`))
	var msg struct{ Message, ConnectionID string }
	if err := json.Unmarshal([]byte(read(t, c)), &msg); err != nil || msg.Message != "Forbidden" || msg.ConnectionID == "" {
		t.Errorf("unrouted message: %+v, %v; want the Forbidden error message", msg, err)
	}
	_ = c.WriteMessage(websocket.TextMessage, []byte(`{"action":"ping"}`))
	if got := read(t, c); got != `ping:{"action":"ping"}` {
		t.Errorf("the connection after an unrouted message: %q", got)
	}
}

func TestIntegrationError(t *testing.T) {
	fail := ws.IntegrationFunc(func(context.Context, *ws.Event) (ws.Response, error) { return ws.Response{}, errors.New("boom") })
	srv := newServer(t, &ws.API{Routes: []ws.Route{{Key: ws.RouteDefault, Integration: fail, TwoWay: true}}}, ws.Options{})
	c := dial(t, serve(t, srv, gateway.Route{}))
	_ = c.WriteMessage(websocket.TextMessage, []byte(`x`))
	if got := read(t, c); !strings.Contains(got, `"message":"Internal server error"`) || !strings.Contains(got, `"requestId"`) {
		t.Errorf("after an integration error: %q", got)
	}
}

func TestConnectRefused(t *testing.T) {
	refuse := ws.IntegrationFunc(func(_ context.Context, ev *ws.Event) (ws.Response, error) {
		if ev.QueryStringParameters["name"] == "" {
			return ws.Response{StatusCode: 400, Body: []byte(`{"message":"a name is required"}`)}, nil
		}
		return ws.Response{}, nil
	})
	srv := newServer(t, &ws.API{Routes: []ws.Route{
		{Key: ws.RouteConnect, Integration: refuse},
		{Key: ws.RouteDefault, Integration: nopIntegration},
	}}, ws.Options{})
	url := serve(t, srv, gateway.Route{Authorizer: "token", APIKeyRequired: false})
	tests := []struct {
		name   string
		query  string
		status int
		body   string
	}{
		{"no token: the authorizer refuses", "?name=bob", 401, `{"message":"Unauthorized"}`},
		{"no name: $connect refuses", "?token=bob", 400, `{"message":"a name is required"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp, err := tryDial(url + tt.query)
			if err == nil || resp == nil || resp.StatusCode != tt.status {
				t.Fatalf("dial: %v, %v; want refused with %d", err, resp, tt.status)
			}
			if b, _ := io.ReadAll(resp.Body); !strings.Contains(string(b), tt.body) {
				t.Errorf("body %s, want %s", b, tt.body)
			}
		})
	}
	dial(t, url+"?token=bob&name=Bob")

	// An API key on $connect.
	srv2 := newServer(t, &ws.API{Routes: []ws.Route{{Key: ws.RouteDefault, Integration: refuse}}}, ws.Options{})
	url2 := serve(t, srv2, gateway.Route{APIKeyRequired: true})
	if _, resp, err := tryDial(url2); err == nil || resp.StatusCode != 403 {
		t.Errorf("without an API key: %v, %v; want 403", err, resp)
	}
}

func TestOrigins(t *testing.T) {
	tests := []struct {
		name    string
		allowed []string
		origin  string
		ok      bool
	}{
		{"no Origin", nil, "", true},
		{"same host by default", nil, "http://HOST", true},
		{"another site by default", nil, "https://evil.example", false},
		{"listed", []string{"https://app.example"}, "https://app.example", true},
		{"not listed", []string{"https://app.example"}, "https://evil.example", false},
		{"any", []string{"*"}, "https://evil.example", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, &ws.API{AllowedOrigins: tt.allowed, Routes: []ws.Route{{Key: ws.RouteDefault, Integration: nopIntegration}}}, ws.Options{})
			url := serve(t, srv, gateway.Route{})
			origin := strings.ReplaceAll(tt.origin, "HOST", strings.TrimSuffix(strings.TrimPrefix(url, "ws://"), "/chat"))
			var hdr []string
			if origin != "" {
				hdr = []string{"Origin", origin}
			}
			c, resp, err := tryDial(url, hdr...)
			if tt.ok != (err == nil) {
				t.Fatalf("dial with Origin %q: %v %v; want allowed=%v", origin, err, resp, tt.ok)
			}
			if err == nil {
				c.Close()
			} else if resp.StatusCode != 403 {
				t.Errorf("refused with %d, want 403", resp.StatusCode)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	nop := nopIntegration
	tests := []struct {
		name   string
		limits ws.Limits
		act    func(c *websocket.Conn)
		code   int
	}{
		{"message too big", ws.Limits{MaxMessageBytes: 1024}, func(c *websocket.Conn) {
			_ = c.WriteMessage(websocket.TextMessage, make([]byte, 2000))
		}, websocket.CloseMessageTooBig},
		{"idle", ws.Limits{IdleTimeout: 300 * time.Millisecond, PingInterval: 50 * time.Millisecond}, func(*websocket.Conn) {}, websocket.CloseGoingAway},
		{"maximum duration", ws.Limits{MaxDuration: 300 * time.Millisecond}, func(*websocket.Conn) {}, websocket.CloseGoingAway},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, &ws.API{Limits: tt.limits, Routes: []ws.Route{{Key: ws.RouteDefault, Integration: nop}}}, ws.Options{})
			c := dial(t, serve(t, srv, gateway.Route{}))
			tt.act(c)
			if code := closeCode(t, c, 5*time.Second); code != tt.code {
				t.Errorf("closed with %d, want %d", code, tt.code)
			}
		})
	}
	t.Run("pings keep an active client", func(t *testing.T) {
		srv := newServer(t, &ws.API{Limits: ws.Limits{PingInterval: 50 * time.Millisecond}, Routes: []ws.Route{{Key: ws.RouteDefault, Integration: nop, TwoWay: true}}}, ws.Options{})
		c := dial(t, serve(t, srv, gateway.Route{}))
		pings := make(chan struct{}, 100)
		c.SetPingHandler(func(data string) error {
			pings <- struct{}{}
			return c.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		go func() { // the reader answers pings
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}()
		for range 3 {
			select {
			case <-pings:
			case <-time.After(5 * time.Second):
				t.Fatal("no ping within 5 s")
			}
		}
	})
}

// TestSlowReader: a client that reads nothing fills its queue; the next
// Post fails and the connection is closed.
func TestSlowReader(t *testing.T) {
	rec := newRecorder()
	srv := newServer(t, &ws.API{
		Limits: ws.Limits{SendQueue: 4, MaxMessageBytes: 1 << 20, WriteTimeout: time.Second},
		Routes: []ws.Route{{Key: ws.RouteConnect, Integration: rec.integration(nil)}, {Key: ws.RouteDefault, Integration: rec.integration(nil)}},
	}, ws.Options{})
	dial(t, serve(t, srv, gateway.Route{}))
	id := rec.next(t).RequestContext.ConnectionID
	waitOpen(t, srv, id)
	big := make([]byte, 256<<10)
	ctx := context.Background()
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		err = srv.Post(ctx, id, big)
	}
	if err == nil {
		t.Fatal("10,000 posts of 256 KB to a client that reads nothing all succeeded")
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, gerr := srv.Get(ctx, id); errors.Is(gerr, ws.ErrGone) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the slow connection is still open")
		}
	}
}

func TestConnectionsAPI(t *testing.T) {
	rec := newRecorder()
	srv := newServer(t, &ws.API{Routes: []ws.Route{
		{Key: ws.RouteConnect, Integration: rec.integration(nil)},
		{Key: ws.RouteDisconnect, Integration: rec.integration(nil)},
		{Key: ws.RouteDefault, Integration: rec.integration(nil)},
	}}, ws.Options{})
	c := dial(t, serve(t, srv, gateway.Route{Authorizer: "token"})+"?token=carol", "User-Agent", "carol-agent")
	id := rec.next(t).RequestContext.ConnectionID
	waitOpen(t, srv, id) // $connect runs before the connection opens
	admin := httptest.NewServer(srv.ConnectionsHandler())
	defer admin.Close()
	call := func(method, id, body string) (int, string) {
		req, _ := http.NewRequest(method, admin.URL+"/prod/@connections/"+id, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := call("POST", id, "hello from the server"); status != 204 {
		t.Fatalf("POST: %d", status)
	}
	if got := read(t, c); got != "hello from the server" {
		t.Errorf("the client got %q", got)
	}
	_ = c.WriteMessage(websocket.TextMessage, []byte("activity"))
	rec.next(t)
	status, body := call("GET", id, "")
	var info struct {
		ConnectedAt, LastActiveAt time.Time
		Identity                  struct{ SourceIp, UserAgent, PrincipalId string }
	}
	if err := json.Unmarshal([]byte(body), &info); status != 200 || err != nil || info.Identity.UserAgent != "carol-agent" ||
		info.Identity.PrincipalId != "carol" || info.Identity.SourceIp == "" || info.LastActiveAt.Before(info.ConnectedAt) || info.ConnectedAt.IsZero() {
		t.Errorf("GET: %d %s (%v)", status, body, err)
	}
	if status, _ := call("DELETE", id, ""); status != 204 {
		t.Fatalf("DELETE: %d", status)
	}
	if code := closeCode(t, c, 5*time.Second); code != websocket.CloseNormalClosure {
		t.Errorf("DELETE closed the client with %d, want 1000", code)
	}
	if ev := rec.next(t); ev.RequestContext.EventType != "DISCONNECT" {
		t.Errorf("after DELETE: %s, want $disconnect", ev.RequestContext.EventType)
	}
	for _, method := range []string{"GET", "POST", "DELETE"} {
		if status, _ := call(method, id, "x"); status != 410 {
			t.Errorf("%s of a closed connection: %d, want 410", method, status)
		}
	}
	if status, _ := call("GET", "nosuchid", ""); status != 410 {
		t.Errorf("GET of an unknown id: %d, want 410", status)
	}
	if status, _ := call("PUT", "nosuchid", ""); status != 405 {
		t.Errorf("PUT: %d, want 405", status)
	}
}

func TestShutdown(t *testing.T) {
	rec := newRecorder()
	srv := newServer(t, &ws.API{Routes: []ws.Route{
		{Key: ws.RouteDisconnect, Integration: rec.integration(nil)},
		{Key: ws.RouteDefault, Integration: rec.integration(nil)},
	}}, ws.Options{})
	url := serve(t, srv, gateway.Route{})
	var clients []*websocket.Conn
	for range 3 {
		clients = append(clients, dial(t, url))
	}
	codes := make(chan int, 3)
	for _, c := range clients {
		go func() { codes <- closeCode(t, c, 5*time.Second) }()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if code := <-codes; code != websocket.CloseGoingAway {
			t.Errorf("a client was closed with %d, want 1001", code)
		}
	}
	if n := len(rec.events); n != 3 {
		t.Errorf("%d $disconnect events by the time Shutdown returned, want 3", n)
	}
	if _, resp, err := tryDial(url); err == nil || resp.StatusCode != 503 {
		t.Errorf("dial after Shutdown: %v %v, want 503", err, resp)
	}
}

func TestIntegrations(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "backend %s %s %s: %s", r.Method, r.Header.Get("Route-Key"), r.Header.Get("Event-Type"), b)
	}))
	defer backend.Close()
	fn := ws.Function(func(_ context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "function " + ev.RequestContext.RouteKey + ": " + ev.Body}, nil
	})
	h := ws.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "handler %s %v: %s", ws.EventFrom(r.Context()).RequestContext.RouteKey, r.Header.Get("Connection-Id") != "", b)
	}))
	srv := newServer(t, &ws.API{Routes: []ws.Route{
		{Key: "fn", Integration: fn, TwoWay: true},
		{Key: "handler", Integration: h, TwoWay: true},
		{Key: "backend", Integration: &ws.HTTPBackend{URL: backend.URL}, TwoWay: true},
	}}, ws.Options{})
	c := dial(t, serve(t, srv, gateway.Route{}))
	for _, tt := range []struct{ send, want string }{
		{`{"action":"fn"}`, `function fn: {"action":"fn"}`},
		{`{"action":"handler"}`, `handler handler true: {"action":"handler"}`},
		{`{"action":"backend"}`, `backend POST backend MESSAGE: {"action":"backend"}`},
	} {
		_ = c.WriteMessage(websocket.TextMessage, []byte(tt.send))
		if got := read(t, c); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.send, got, tt.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	nop := nopIntegration
	tests := []struct {
		name string
		api  ws.API
		want string
	}{
		{"expression", ws.API{RouteSelectionExpression: "$request.header.x"}, "RouteSelectionExpression"},
		{"empty field", ws.API{RouteSelectionExpression: "$request.body.a..b"}, "RouteSelectionExpression"},
		{"special key", ws.API{Routes: []ws.Route{{Key: "$other", Integration: nop}}}, `unknown special route key "$other"`},
		{"no integration", ws.API{Routes: []ws.Route{{Key: "send"}}}, `route "send": no Integration`},
		{"twice", ws.API{Routes: []ws.Route{{Key: "send", Integration: nop}, {Key: "send", Integration: nop}}}, "defined twice"},
		{"negative limit", ws.API{Limits: ws.Limits{MaxMessageBytes: -1}}, "Limits.MaxMessageBytes"},
		{"origin", ws.API{AllowedOrigins: []string{"example.com"}}, "AllowedOrigins[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ws.New(&tt.api, ws.Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New() = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

// TestBadHandshake: a request the upgrade would refuse gets 400 with a
// JSON message, and $connect does not run for it.
func TestBadHandshake(t *testing.T) {
	rec := newRecorder()
	srv := newServer(t, &ws.API{Routes: []ws.Route{
		{Key: ws.RouteConnect, Integration: rec.integration(nil)},
		{Key: ws.RouteDefault, Integration: nopIntegration},
	}}, ws.Options{})
	req, _ := http.NewRequest("GET", "http"+strings.TrimPrefix(serve(t, srv, gateway.Route{}), "ws"), nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket") // no Sec-WebSocket-Key or -Version
	req.Close = true
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), `"message"`) {
		t.Errorf("got %d %q, want 400 with a JSON message", resp.StatusCode, body)
	}
	select {
	case ev := <-rec.got:
		t.Errorf("$connect ran (%s) for a handshake the upgrade refuses", ev.RequestContext.EventType)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestPostRightAfterHandshake: as soon as the client's Dial returns, a
// Post to the connection is delivered.
func TestPostRightAfterHandshake(t *testing.T) {
	rec := newRecorder()
	srv := newServer(t, &ws.API{Routes: []ws.Route{
		{Key: ws.RouteConnect, Integration: rec.integration(nil)},
		{Key: ws.RouteDefault, Integration: nopIntegration},
	}}, ws.Options{})
	url := serve(t, srv, gateway.Route{})
	for i := range 200 {
		c, _, err := tryDial(url)
		if err != nil {
			t.Fatal(err)
		}
		id := rec.next(t).RequestContext.ConnectionID
		if err := srv.Post(context.Background(), id, []byte("hi")); err != nil {
			t.Fatalf("dial %d: Post right after the handshake: %v", i, err)
		}
		if got := read(t, c); got != "hi" {
			t.Fatalf("dial %d: got %q", i, got)
		}
		c.Close()
	}
}
