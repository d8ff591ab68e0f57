package redisws

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/ws"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

// TestBusDelivers: a command one instance publishes reaches the
// instance it names, every field intact.
func TestBusDelivers(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	// Two Buses on two clients, as two instances would have.
	a, b := newBus(t, addr, tag, nil), newBus(t, addr, tag, nil)
	rec := subscribed(t, a)
	ctx := context.Background()
	for i, c := range []struct {
		name string
		cmd  ws.Command
	}{
		{"post text", ws.Command{Op: ws.OpPost, ConnID: "conn-1", Data: []byte(`{"hello":"wörld"}`)}},
		{"post binary", ws.Command{Op: ws.OpPost, ConnID: "conn-2", Data: []byte{0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, '"', '\\'}, Binary: true}},
		{"post nothing", ws.Command{Op: ws.OpPost, ConnID: "conn-3"}},
		{"delete", ws.Command{Op: ws.OpDelete, ConnID: "conn-4"}},
		{"unknown op", ws.Command{Op: "future", ConnID: "conn-5"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// Publish, right after Subscribe returned for the first one.
			if err := b.Publish(ctx, "a", c.cmd); err != nil {
				t.Fatal(err)
			}
			got := rec.wait(t, i+1, 5*time.Second)[i]
			if d := sameCommand(got, c.cmd); d != "" {
				t.Errorf("%s: got %+v, want %+v", d, got, c.cmd)
			}
		})
	}
}

func TestBusNoSubscriber(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	a, b := newBus(t, addr, tag, nil), newBus(t, addr, tag, nil)
	ctx := context.Background()
	if err := a.Subscribe(ctx, "a", func(ws.Command) {}); err != nil {
		t.Fatal(err)
	}
	for _, instance := range []string{"b", "A", "a ", ""} {
		err := b.Publish(ctx, instance, ws.Command{Op: ws.OpDelete, ConnID: "c"})
		if !errors.Is(err, ErrNoSubscriber) || errors.Is(err, ErrUnavailable) {
			t.Errorf("Publish to %q: %v; want ErrNoSubscriber", instance, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "redisws: Publish: ") {
			t.Errorf("error %q does not name Publish", err)
		}
	}
	// Another tag is another set of channels.
	other := newBus(t, addr, redistest.Tag(t, addr), nil)
	if err := other.Publish(ctx, "a", ws.Command{Op: ws.OpDelete, ConnID: "c"}); !errors.Is(err, ErrNoSubscriber) {
		t.Errorf("Publish under another tag: %v; want ErrNoSubscriber", err)
	}
}

// TestBusDropsGarbage: what is not a command is dropped, counted and
// logged, and the commands after it still arrive.
func TestBusDropsGarbage(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	var logs logBuffer
	a := newBus(t, addr, tag, logs.logger())
	rec := subscribed(t, a)
	ctx := context.Background()
	raw := redistest.Client(t, addr)
	garbage := []string{"not json", "", "\xff\xfe", `{"op":"post"`, `[1,2]`, `null`, `{}`,
		`{"op":"post"}`, `{"connectionId":"c"}`, `{"op":"post","connectionId":"c","data":"not base64!"}`}
	for _, g := range garbage {
		if n, err := raw.Publish(ctx, a.prefix+"a", g).Result(); err != nil || n != 1 {
			t.Fatalf("PUBLISH %q = %d, %v", g, n, err)
		}
	}
	want := ws.Command{Op: ws.OpPost, ConnID: "c", Data: []byte("after")}
	if err := newBus(t, addr, tag, nil).Publish(ctx, "a", want); err != nil {
		t.Fatal(err)
	}
	got := rec.wait(t, 1, 5*time.Second)
	if len(got) != 1 || sameCommand(got[0], want) != "" {
		t.Errorf("delivered %+v, want only %+v", got, want)
	}
	if n := a.Dropped(); n != uint64(len(garbage)) {
		t.Errorf("Dropped() = %d, want %d", n, len(garbage))
	}
	if l := logs.String(); strings.Count(l, "redisws: dropped a message") != len(garbage) || strings.Contains(l, "not base64") {
		t.Errorf("logs:\n%s\nwant %d drops, without the payload", l, len(garbage))
	}
}

// TestBusBurst: commands published one after another arrive, all of
// them, in order.
func TestBusBurst(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	a, b := newBus(t, addr, tag, nil), newBus(t, addr, tag, nil)
	rec := subscribed(t, a)
	ctx := context.Background()
	const n = 1000
	for i := range n {
		if err := b.Publish(ctx, "a", ws.Command{Op: ws.OpPost, ConnID: fmt.Sprint(i)}); err != nil {
			t.Fatalf("Publish #%d: %v", i, err)
		}
	}
	got := rec.wait(t, n, 10*time.Second)
	if len(got) != n {
		t.Fatalf("%d delivered, want %d", len(got), n)
	}
	for i, c := range got {
		if c.ConnID != fmt.Sprint(i) {
			t.Fatalf("command #%d is for %q: out of order", i, c.ConnID)
		}
	}
}

// TestBusClose: Close ends delivery and every goroutine of the Bus, and
// later calls do nothing.
func TestBusClose(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	b := newBus(t, addr, tag, nil)
	client := redistest.Client(t, addr)
	a, err := NewBus(client, Options{HashTag: tag, Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	before := goleak.IgnoreCurrent()

	var delivered atomic.Int64
	ctx := context.Background()
	if err := a.Subscribe(ctx, "a", func(ws.Command) { delivered.Add(1) }); err != nil {
		t.Fatal(err)
	}
	cmd := ws.Command{Op: ws.OpDelete, ConnID: "c"}
	if err := b.Publish(ctx, "a", cmd); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "not delivered", func() bool { return delivered.Load() == 1 })

	if err := a.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	goleak.VerifyNone(t, before)
	// Redis sees the connection close in its own time.
	eventually(t, 2*time.Second, "Publish to a closed Bus still finds a subscriber", func() bool {
		err := b.Publish(ctx, "a", cmd)
		if err != nil && !errors.Is(err, ErrNoSubscriber) {
			t.Fatal(err)
		}
		return err != nil
	})
	time.Sleep(50 * time.Millisecond)
	if n := delivered.Load(); n != 1 {
		t.Errorf("%d delivered, want 1: delivery after Close", n)
	}

	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := a.Subscribe(ctx, "a", func(ws.Command) {}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Subscribe after Close: %v; want an error", err)
	}
	// Publish needs no subscription.
	if err := a.Publish(ctx, "nobody", cmd); !errors.Is(err, ErrNoSubscriber) {
		t.Errorf("Publish from a closed Bus: %v; want ErrNoSubscriber", err)
	}
}

// TestBusCloseConcurrent: Close from many goroutines at once, with a
// delivery under way, returns once, for all, after the goroutine ends.
func TestBusCloseConcurrent(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	a, b := newBus(t, addr, tag, nil), newBus(t, addr, tag, nil)
	ctx := context.Background()
	entered, release := make(chan struct{}), make(chan struct{})
	var returned atomic.Bool
	if err := a.Subscribe(ctx, "a", func(ws.Command) {
		close(entered)
		<-release
		returned.Store(true)
	}); err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(ctx, "a", ws.Command{Op: ws.OpDelete, ConnID: "c"}); err != nil {
		t.Fatal(err)
	}
	<-entered
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			err := a.Close()
			if !returned.Load() {
				err = errors.New("Close returned while deliver ran")
			}
			errs <- err
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestBusSubscribeRefused(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	a := newBus(t, addr, tag, nil)
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		instance string
		deliver  func(ws.Command)
	}{
		{"no instance", "", func(ws.Command) {}},
		{"no deliver", "a", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := a.Subscribe(ctx, c.instance, c.deliver); err == nil || !strings.HasPrefix(err.Error(), "redisws: Subscribe: ") {
				t.Errorf("Subscribe = %v; want an error naming Subscribe", err)
			}
		})
	}
	if err := a.Subscribe(ctx, "a", func(ws.Command) {}); err != nil {
		t.Fatal(err)
	}
	for _, instance := range []string{"a", "b"} {
		if err := a.Subscribe(ctx, instance, func(ws.Command) {}); err == nil || !strings.Contains(err.Error(), "subscribed already") {
			t.Errorf("second Subscribe(%q) = %v; want an error", instance, err)
		}
	}
}

// TestBusReconnects: when the subscriber's connection is cut, go-redis
// connects and subscribes again, and commands published after that are
// delivered.
func TestBusReconnects(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	name := "redisws-test-" + tag
	client := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, ClientName: name})
	t.Cleanup(func() { client.Close() })
	var logs logBuffer
	a := newBusOn(t, client, tag, logs.logger())
	b := newBus(t, addr, tag, nil)
	rec := subscribed(t, a)
	ctx := context.Background()

	// Kill the subscriber's connection: the one named so, in pub/sub.
	raw := redistest.Client(t, addr)
	list, err := raw.ClientList(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	killed := 0
	for line := range strings.Lines(list) {
		if !strings.Contains(line, " name="+name+" ") || strings.Contains(line, " sub=0 ") {
			continue
		}
		for f := range strings.FieldsSeq(line) {
			if id, ok := strings.CutPrefix(f, "id="); ok {
				if err := raw.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
					t.Fatal(err)
				}
				killed++
			}
		}
	}
	if killed != 1 {
		t.Fatalf("killed %d connections, want the subscriber's\n%s", killed, list)
	}

	want := ws.Command{Op: ws.OpPost, ConnID: "c", Data: []byte("back")}
	eventually(t, 10*time.Second, "not subscribed again", func() bool {
		err := b.Publish(ctx, "a", want)
		if err != nil && !errors.Is(err, ErrNoSubscriber) {
			t.Fatal(err)
		}
		return err == nil
	})
	got := rec.wait(t, 1, 5*time.Second)
	if d := sameCommand(got[0], want); d != "" {
		t.Errorf("%s: got %+v", d, got[0])
	}
	eventually(t, 2*time.Second, "no warning logged", func() bool {
		return strings.Contains(logs.String(), "subscribed again after losing the connection")
	})
}
