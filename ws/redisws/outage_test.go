package redisws

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/ws"
	"github.com/redis/go-redis/v9"
)

// TestUnavailable: against a Redis that refuses connections, or accepts
// them and never answers, every call returns in about Timeout with an
// error that wraps ErrUnavailable and names the operation.
func TestUnavailable(t *testing.T) {
	const timeout = 50 * time.Millisecond
	ops := []struct {
		name string
		do   func(context.Context, *Store, *Bus) error
	}{
		{"Put", func(ctx context.Context, s *Store, _ *Bus) error {
			return s.Put(ctx, fullConn("c"), time.Minute)
		}},
		{"Get", func(ctx context.Context, s *Store, _ *Bus) error {
			_, ok, err := s.Get(ctx, "c")
			if ok {
				return errors.New("a record")
			}
			return err
		}},
		{"Touch", func(ctx context.Context, s *Store, _ *Bus) error { return s.Touch(ctx, "c", time.Now()) }},
		{"Delete", func(ctx context.Context, s *Store, _ *Bus) error { return s.Delete(ctx, "c") }},
		{"Publish", func(ctx context.Context, _ *Store, b *Bus) error {
			return b.Publish(ctx, "a", ws.Command{Op: ws.OpDelete, ConnID: "c"})
		}},
		// A failed Subscribe may be tried again: three times here.
		{"Subscribe", func(ctx context.Context, _ *Store, b *Bus) error {
			return b.Subscribe(ctx, "a", func(ws.Command) {})
		}},
	}
	for _, srv := range redistest.Outages() {
		t.Run(srv.Name, func(t *testing.T) {
			client := redis.NewClient(&redis.Options{Addr: srv.Addr(t), ContextTimeoutEnabled: true, MaxRetries: -1})
			t.Cleanup(func() { client.Close() })
			opts := Options{Timeout: timeout}
			s, err := NewStore(client, opts)
			if err != nil {
				t.Fatal(err)
			}
			b, err := NewBus(client, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			for _, op := range ops {
				t.Run(op.name, func(t *testing.T) {
					redistest.FailsWithin(t, timeout, ErrUnavailable, "redisws: "+op.name+": ", func() error {
						return op.do(context.Background(), s, b)
					})
				})
			}
		})
	}

	t.Run("closed client", func(t *testing.T) {
		client := redistest.RefusedClient(t)
		client.Close()
		s, err := NewStore(client, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Get(context.Background(), "c"); !errors.Is(err, ErrUnavailable) || !errors.Is(err, redis.ErrClosed) {
			t.Errorf("Get on a closed client: %v, want ErrUnavailable and redis.ErrClosed", err)
		}
	})

	t.Run("caller gave up", func(t *testing.T) {
		client := redis.NewClient(&redis.Options{Addr: redistest.SilentServer(t), ContextTimeoutEnabled: true, MaxRetries: -1})
		t.Cleanup(func() { client.Close() })
		s, err := NewStore(client, Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, _, err = s.Get(ctx, "c")
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrUnavailable) {
			t.Errorf("Get with an expired context: %v; want the context's error, not ErrUnavailable", err)
		}
	})
}

// TestSubscribeCanceledByClose: Close makes a Subscribe waiting for
// Redis to confirm fail at once, not at the end of Timeout.
func TestSubscribeCanceledByClose(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: unconfirmingServer(t), ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { client.Close() })
	b, err := NewBus(client, Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	go func() { errs <- b.Subscribe(context.Background(), "a", func(ws.Command) {}) }()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errs:
		if err == nil || !strings.Contains(err.Error(), "closed") {
			t.Errorf("Subscribe = %v; want an error saying the Bus is closed", err)
		}
		t.Logf("Subscribe returned %v after Close: %v", time.Since(start), err)
	case <-time.After(5 * time.Second):
		t.Fatal("Subscribe still waiting 5 s after Close")
	}
}

// unconfirmingServer answers every command with an error, except
// SUBSCRIBE, which it never confirms. It closes its connections when t
// ends.
func unconfirmingServer(t *testing.T) string {
	t.Helper()
	return redistest.FakeServer(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		for {
			// A command is an array of bulk strings: *N, then N times
			// $len and the bytes.
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "*")))
			var name string
			for i := range n {
				if _, err := r.ReadString('\n'); err != nil { // $len
					return
				}
				arg, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if i == 0 {
					name = strings.ToLower(strings.TrimSpace(arg))
				}
			}
			if name != "subscribe" {
				if _, err := io.WriteString(c, "-ERR unknown command\r\n"); err != nil {
					return
				}
			}
		}
	})
}
