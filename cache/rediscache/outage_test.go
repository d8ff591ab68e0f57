package rediscache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/redis/go-redis/v9"
)

// silentServer accepts connections and never answers, as a Redis that
// is stopped or behind a black hole would. It closes them when t ends.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		l.Close()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// TestUnavailable: against a Redis that refuses connections, or accepts
// them and never answers, every operation returns in about Timeout with
// an error that wraps ErrUnavailable and names the operation.
func TestUnavailable(t *testing.T) {
	const timeout = 50 * time.Millisecond
	// Under the race detector a goroutine may wait for a CPU: a call may
	// take this much more than its timeout. (Without ContextTimeoutEnabled
	// go-redis would wait ReadTimeout, 3 s, on the silent server.)
	const grace = 200 * time.Millisecond
	ops := []struct {
		name string
		do   func(context.Context, *Store) error
	}{
		{"Get", func(ctx context.Context, s *Store) error {
			e, err := s.Get(ctx, "k")
			if e != nil {
				return errors.New("an entry")
			}
			return err
		}},
		{"Set", func(ctx context.Context, s *Store) error {
			return s.Set(ctx, "k", &cache.Entry{Status: 200}, time.Minute)
		}},
		{"Delete", func(ctx context.Context, s *Store) error { return s.Delete(ctx, "k") }},
		{"Flush", func(ctx context.Context, s *Store) error { return s.Flush(ctx, "api/") }},
	}
	for _, srv := range []struct {
		name string
		addr func(t *testing.T) string
	}{
		{"refused", func(*testing.T) string { return "127.0.0.1:1" }},
		{"silent", silentServer},
	} {
		t.Run(srv.name, func(t *testing.T) {
			client := redis.NewClient(&redis.Options{Addr: srv.addr(t), ContextTimeoutEnabled: true})
			t.Cleanup(func() { client.Close() })
			s, err := New(client, Options{Timeout: timeout, EncryptionKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range ops {
				t.Run(op.name, func(t *testing.T) {
					// The best of three: a machine busy with other work may
					// not run the deadline's timer on time once, but a call
					// that does not honour Timeout is late every time.
					best := time.Hour
					for range 3 {
						start := time.Now()
						err := op.do(context.Background(), s)
						took := time.Since(start)
						if !errors.Is(err, ErrUnavailable) {
							t.Fatalf("error %v does not wrap ErrUnavailable", err)
						}
						if !strings.HasPrefix(err.Error(), "rediscache: "+op.name+": ") {
							t.Fatalf("error %q does not name %s", err, op.name)
						}
						best = min(best, took)
						t.Logf("%v after %v", err, took)
					}
					if best > timeout+grace {
						t.Errorf("took at least %v, want at most Timeout (%v) + %v", best, timeout, grace)
					}
				})
			}
		})
	}

	t.Run("closed client", func(t *testing.T) {
		client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true})
		client.Close()
		s, err := New(client, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(context.Background(), "k"); !errors.Is(err, ErrUnavailable) || !errors.Is(err, redis.ErrClosed) {
			t.Errorf("Get on a closed client: %v, want ErrUnavailable and redis.ErrClosed", err)
		}
	})
}

// TestUnavailableClassification: errors of Redis not answering, or not
// able to serve, are "unavailable"; its answers and our own are not.
func TestUnavailableClassification(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{context.DeadlineExceeded, true},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{redis.ErrClosed, true},
		{redis.ErrPoolTimeout, true},
		{io.EOF, true},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{errors.New("LOADING Redis is loading the dataset in memory"), true},
		{errors.New("READONLY You can't write against a read only replica."), true},
		{errors.New("CLUSTERDOWN The cluster is down"), true},
		{errors.New("TRYAGAIN Multiple keys request during rehashing of slot"), true},
		{errors.New("NOAUTH Authentication required."), false},
		{context.Canceled, false},
		{redis.Nil, false},
		{cache.ErrCorrupt, false},
		{errors.New("WRONGTYPE Operation against a key holding the wrong kind of value"), false},
	} {
		if got := unavailable(c.err); got != c.want {
			t.Errorf("unavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
