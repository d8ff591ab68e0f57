package redisws

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatekit/gatekit/ws"
	"github.com/redis/go-redis/v9"
)

// Bus is a [ws.Bus] on Redis pub/sub: each instance subscribes to a
// channel of its own, and the others publish commands to it. Delivery is
// at most once: a command is lost if the instance is not subscribed when
// it is published (Publish then fails with [ErrNoSubscriber]), or loses
// its connection to Redis before reading it. See the package
// documentation.
//
// On a *redis.ClusterClient a Bus uses sharded pub/sub (SSUBSCRIBE,
// SPUBLISH, Redis 7 or later), so that Publish learns whether the
// command found a subscriber; on any other client, SUBSCRIBE and
// PUBLISH.
//
// A Bus is safe for concurrent use. Subscribe starts one goroutine, and
// go-redis two more for the subscription; Close stops them all.
type Bus struct {
	client  redis.UniversalClient
	prefix  string // "{tag}:ws:", before every instance name
	timeout time.Duration
	logger  *slog.Logger
	sharded bool // SSUBSCRIBE and SPUBLISH rather than SUBSCRIBE and PUBLISH

	// closing ends on Close, aborting a subscription under way.
	closing context.Context
	cancel  context.CancelFunc

	dropped atomic.Uint64

	mu          sync.Mutex
	subscribing bool          // a Subscribe is under way or has succeeded; guarded by mu
	closed      bool          // guarded by mu
	ps          *redis.PubSub // the subscription, if any; guarded by mu
	done        chan struct{} // closed when the goroutine returns; nil without one; guarded by mu
}

var _ ws.Bus = (*Bus)(nil)

var errClosed = errors.New("the Bus is closed")

// NewBus returns a Bus on the client. It makes no call to Redis and
// starts no goroutines.
//
// So that Timeout bounds every call, a *redis.Client, *redis.ClusterClient
// or *redis.Ring must have ContextTimeoutEnabled set (go-redis ignores a
// context's deadline otherwise); NewBus fails if it has not. It also
// fails for a HashTag with a brace, a negative Timeout, and a
// *redis.ClusterClient with ReadOnly, RouteByLatency or RouteRandomly: it
// would subscribe on a replica, while SPUBLISH, sent to the master,
// counts only the master's subscribers, so that every Publish would
// fail with ErrNoSubscriber.
func NewBus(client redis.UniversalClient, opts Options) (*Bus, error) {
	s, err := check(client, opts)
	if err != nil {
		return nil, err
	}
	b := &Bus{client: client, prefix: s.tag + ":ws:", timeout: s.timeout, logger: s.logger}
	if cc, ok := client.(*redis.ClusterClient); ok {
		if cc.Options().ReadOnly {
			return nil, errors.New("redisws: the ClusterClient has ReadOnly (or RouteByLatency, RouteRandomly) set; give the Bus one without")
		}
		b.sharded = true
	}
	b.closing, b.cancel = context.WithCancel(context.Background())
	return b, nil
}

// Publish implements [ws.Bus]: it sends cmd, as JSON, to the channel of
// instance, in one PUBLISH (SPUBLISH on a Cluster) bounded by ctx and
// [Options].Timeout. It does not wait for delivery, and works whether
// or not this Bus has subscribed or been closed.
//
// If no instance was subscribed to the channel, the command is lost and
// the error wraps [ErrNoSubscriber]: the instance has stopped or died,
// or is reconnecting to Redis, and the caller may treat the connection
// as gone. A nil error means that Redis handed the command to a
// subscriber's connection, not that the instance has read it.
func (b *Bus) Publish(ctx context.Context, instance string, cmd ws.Command) error {
	payload, err := json.Marshal(cmd)
	if err != nil {
		return &opError{op: "Publish", err: err}
	}
	channel := b.prefix + instance
	cctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	var n int64
	if b.sharded {
		n, err = b.client.SPublish(cctx, channel, payload).Result()
	} else {
		n, err = b.client.Publish(cctx, channel, payload).Result()
	}
	if err != nil {
		return fail(ctx, "Publish", err)
	}
	if n == 0 {
		return &opError{op: "Publish", err: fmt.Errorf("no subscriber for instance %q", instance), is: ErrNoSubscriber}
	}
	return nil
}

// Dropped returns how many messages the Bus has received and dropped
// because they were not commands.
func (b *Bus) Dropped() uint64 { return b.dropped.Load() }

// Close implements [ws.Bus]: it ends the subscription, if any, and
// waits for the Bus's goroutine to return, and so for a deliver under
// way. Commands published to this instance afterwards fail with
// ErrNoSubscriber, once Redis has seen the connection close. Close is
// safe to call more than once, and concurrently; later calls return nil.
// It does not close the client.
func (b *Bus) Close() error {
	b.mu.Lock()
	b.closed = true
	b.cancel()
	ps, done := b.ps, b.done
	b.ps = nil
	b.mu.Unlock()

	var err error
	if ps != nil {
		if cerr := ps.Close(); cerr != nil && !errors.Is(cerr, redis.ErrClosed) {
			err = &opError{op: "Close", err: cerr}
		}
	}
	if done != nil {
		<-done
	}
	return err
}
