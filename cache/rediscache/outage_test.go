package rediscache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestUnavailable: against a Redis that refuses connections, or accepts
// them and never answers, every operation returns in about Timeout with
// an error that wraps ErrUnavailable and names the operation.
func TestUnavailable(t *testing.T) {
	const timeout = 50 * time.Millisecond
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
	for _, srv := range redistest.Outages() {
		t.Run(srv.Name, func(t *testing.T) {
			client := redis.NewClient(&redis.Options{Addr: srv.Addr(t), ContextTimeoutEnabled: true})
			t.Cleanup(func() { client.Close() })
			s, err := New(client, Options{Timeout: timeout, EncryptionKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			for _, op := range ops {
				t.Run(op.name, func(t *testing.T) {
					redistest.FailsWithin(t, timeout, ErrUnavailable, "rediscache: "+op.name+": ", func() error {
						return op.do(context.Background(), s)
					})
				})
			}
		})
	}

	t.Run("closed client", func(t *testing.T) {
		client := redistest.RefusedClient(t)
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

// TestFail: the error of a failed call wraps ErrUnavailable when Redis
// could not answer (as redisopt.Unavailable tells), not when it
// answered with an error, not for the Store's own errors, and not when
// the caller gave up.
func TestFail(t *testing.T) {
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name        string
		ctx         context.Context
		err         error
		unavailable bool
	}{
		{"closed client", context.Background(), redis.ErrClosed, true},
		{"timeout", context.Background(), context.DeadlineExceeded, true},
		{"an answer", context.Background(), errors.New("WRONGTYPE Operation against a key holding the wrong kind of value"), false},
		{"corrupt", context.Background(), cache.ErrCorrupt, false},
		{"caller gave up", ended, context.DeadlineExceeded, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := fail(c.ctx, "Get", c.err)
			if errors.Is(err, ErrUnavailable) != c.unavailable {
				t.Errorf("fail(%v) = %v; wraps ErrUnavailable: %v, want %v", c.err, err, !c.unavailable, c.unavailable)
			}
			if c.ctx.Err() == nil && !errors.Is(err, c.err) {
				t.Errorf("fail(%v) = %v, which does not wrap it", c.err, err)
			}
			if c.ctx.Err() != nil && !errors.Is(err, c.ctx.Err()) {
				t.Errorf("fail with an ended context = %v, which does not wrap the context's error", err)
			}
		})
	}
}
