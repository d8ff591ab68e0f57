package ws_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/ws"
	"github.com/gatekit/gatekit/ws/redisws"
)

// TestTwoInstances: two servers sharing one real Redis. A client on A
// receives a message posted through B; B reads its record; a Delete
// through B closes it on A, whose $disconnect runs; then B answers
// ErrGone.
func TestTwoInstances(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	ctx := context.Background()
	rec := newRecorder()
	var srvs []*ws.Server
	var urls []string
	for _, name := range []string{"a", "b"} {
		client := redistest.Client(t, addr)
		opts := redisws.Options{HashTag: tag, Timeout: 5 * time.Second}
		store, err := redisws.NewStore(client, opts)
		if err != nil {
			t.Fatal(err)
		}
		bus, err := redisws.NewBus(client, opts)
		if err != nil {
			t.Fatal(err)
		}
		srv := newServer(t, &ws.API{Routes: []ws.Route{
			{Key: ws.RouteConnect, Integration: rec.integration(nil)},
			{Key: ws.RouteDisconnect, Integration: rec.integration(nil)},
			{Key: ws.RouteDefault, Integration: rec.integration(nil)},
		}}, ws.Options{Store: store, Bus: bus, Instance: "instance-" + name + "-" + tag})
		srvs, urls = append(srvs, srv), append(urls, serve(t, srv, gateway.Route{Authorizer: "token"}))
	}
	a, b := srvs[0], srvs[1]
	c := dial(t, urls[0]+"?token=dora", "User-Agent", "dora-agent")
	id := rec.next(t).RequestContext.ConnectionID
	waitOpen(t, b, id) // $connect runs before the connection is recorded

	if err := b.Post(ctx, id, []byte("through B")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, c); got != "through B" {
		t.Errorf("the client on A got %q, want the message posted through B", got)
	}
	info, err := b.Get(ctx, id)
	if err != nil || info.Identity.UserAgent != "dora-agent" || info.Identity.Principal != "dora" || info.ConnectedAt.IsZero() {
		t.Errorf("B.Get() = %+v, %v; want A's connection record", info, err)
	}
	if ainfo, _ := a.Get(ctx, id); !ainfo.ConnectedAt.Equal(info.ConnectedAt) {
		raw, _ := json.Marshal([]any{ainfo, info})
		t.Errorf("A and B disagree on the connection: %s", raw)
	}
	if err := b.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if code := closeCode(t, c, 5*time.Second); code != websocket.CloseNormalClosure {
		t.Errorf("Delete through B closed the client with %d, want 1000", code)
	}
	if ev := rec.next(t); ev.RequestContext.EventType != "DISCONNECT" {
		t.Errorf("after the Delete: %s, want $disconnect on A", ev.RequestContext.EventType)
	}
	// Once A has forgotten it, B answers ErrGone.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		err := b.Post(ctx, id, []byte("too late"))
		if errors.Is(err, ws.ErrGone) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("B.Post to a closed connection = %v, want ErrGone", err)
		}
	}
	// An instance that is gone: its connections are gone too.
	c2 := dial(t, urls[0]+"?token=eve")
	id2 := rec.next(t).RequestContext.ConnectionID
	waitOpen(t, b, id2)
	shutdownCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := a.Shutdown(shutdownCtx); err != nil {
		t.Fatal(err)
	}
	closeCode(t, c2, 5*time.Second)
	if err := b.Post(ctx, id2, []byte("x")); !errors.Is(err, ws.ErrGone) {
		t.Errorf("B.Post to a connection of a shut-down instance = %v, want ErrGone", err)
	}
}

// waitOpen waits until srv knows the connection id.
func waitOpen(t *testing.T, srv *ws.Server, id string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := srv.Get(context.Background(), id); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("connection %s not recorded within 5 s", id)
		}
	}
}
