package redisws

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/gatekit/gatekit/ws"
	"github.com/redis/go-redis/v9"
)

// Backoff of the Bus's goroutine, when Redis has ended the subscription
// and refuses a new one.
const (
	resubscribeMin = 100 * time.Millisecond
	resubscribeMax = 5 * time.Second
)

// messageBuffer is how many received messages go-redis holds for the
// Bus's goroutine while deliver is busy, rather than leave them in the
// socket, where Redis's output buffer limit for pub/sub clients could
// cut the connection.
const messageBuffer = 1024

// Subscribe implements [ws.Bus]: it subscribes to the channel of
// instance, waits for Redis to confirm, and starts the goroutine that
// calls deliver with each command received, one at a time, in the order
// Redis received them. It is bounded by ctx and [Options].Timeout.
//
// deliver should return quickly: while it runs, go-redis buffers up to
// 1024 more messages, then stops reading; Redis then buffers, up to its
// client-output-buffer-limit for pub/sub clients, beyond which it
// closes the connection and the commands in flight are lost. A message
// that is not a JSON [ws.Command] with an Op and a ConnID is dropped,
// counted (see [Bus.Dropped]) and logged.
//
// A Bus subscribes once: Subscribe fails if an earlier call succeeded or
// is under way, or after Close, and Close makes a call under way fail.
// It may be called again after it failed.
func (b *Bus) Subscribe(ctx context.Context, instance string, deliver func(ws.Command)) error {
	if instance == "" || deliver == nil {
		return &opError{op: "Subscribe", err: errors.New("no instance or no deliver func")}
	}
	b.mu.Lock()
	switch {
	case b.closed:
		b.mu.Unlock()
		return &opError{op: "Subscribe", err: errClosed}
	case b.subscribing:
		b.mu.Unlock()
		return &opError{op: "Subscribe", err: errors.New("the Bus is subscribed already")}
	}
	b.subscribing = true
	b.mu.Unlock()

	channel := b.prefix + instance
	ps, err := b.subscribe(ctx, channel)

	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil && b.closed {
		_ = ps.Close()
		err = errClosed
	}
	if err != nil {
		b.subscribing = false
		return err
	}
	b.ps = ps
	b.done = make(chan struct{})
	go b.run(ps, channel, deliver, b.done)
	return nil
}

// subscribe subscribes to channel and waits for the confirmation,
// within ctx, Timeout, and until Close.
func (b *Bus) subscribe(ctx context.Context, channel string) (*redis.PubSub, error) {
	cctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	defer context.AfterFunc(b.closing, cancel)() // stop the AfterFunc on return

	var ps *redis.PubSub
	kind := "subscribe"
	if b.sharded {
		ps = b.client.SSubscribe(cctx, channel)
		kind = "ssubscribe"
	} else {
		ps = b.client.Subscribe(cctx, channel)
	}
	// Cancelling cctx does not interrupt a read under way: on Close,
	// close ps, which does.
	stop := context.AfterFunc(b.closing, func() { _ = ps.Close() })
	// client.Subscribe sends SUBSCRIBE but returns no error: a failure
	// to connect or to send shows here. Nothing can come before the
	// confirmation, but a Pong could in principle: skip what is not it.
	for {
		m, err := ps.Receive(cctx)
		if err == nil {
			s, ok := m.(*redis.Subscription)
			if !ok || s.Channel != channel || s.Kind != kind {
				continue
			}
			if stop() {
				return ps, nil
			}
			err = errClosed // Close is closing ps
		}
		stop()
		_ = ps.Close()
		if b.closing.Err() != nil {
			return nil, &opError{op: "Subscribe", err: errClosed}
		}
		return nil, fail(ctx, "Subscribe", err)
	}
}

// run is the Bus's goroutine: it delivers what ps receives, subscribes
// again if Redis ends the subscription, and returns once the Bus is
// closed. It closes done on return.
func (b *Bus) run(ps *redis.PubSub, channel string, deliver func(ws.Command), done chan struct{}) {
	defer close(done)
	for ps != nil && b.receive(ps, channel, deliver) {
		ps = b.resubscribe(ps, channel)
	}
}

// receive delivers the commands ps receives until ps is closed, and
// returns false; or until Redis ends the subscription, and returns true.
//
// go-redis reconnects and subscribes again by itself when the
// connection fails; Redis ends a subscription only when a Cluster no
// longer serves the slot of the hash tag on that node (resharding, or a
// failover that made it a replica), which needs a new subscription, on
// another node.
func (b *Bus) receive(ps *redis.PubSub, channel string, deliver func(ws.Command)) (ended bool) {
	for m := range ps.ChannelWithSubscriptions(redis.WithChannelSize(messageBuffer)) {
		switch m := m.(type) {
		case *redis.Message:
			b.handle(m, deliver)
		case *redis.Subscription:
			if m.Channel != channel {
				continue
			}
			switch m.Kind {
			case "subscribe", "ssubscribe":
				// The first confirmation went to subscribe: this one
				// follows a reconnection.
				b.logger.Warn("redisws: subscribed again after losing the connection to Redis; commands published meanwhile are lost",
					"channel", channel)
			case "unsubscribe", "sunsubscribe":
				return true
			}
		}
	}
	return false
}

// handle decodes the message m and delivers its command, or drops it.
func (b *Bus) handle(m *redis.Message, deliver func(ws.Command)) {
	var cmd ws.Command
	err := json.Unmarshal([]byte(m.Payload), &cmd)
	if err == nil && (cmd.Op == "" || cmd.ConnID == "") {
		err = errors.New("no op or no connectionId")
	}
	if err != nil {
		n := b.dropped.Add(1)
		b.logger.Warn("redisws: dropped a message that is not a command",
			"channel", m.Channel, "bytes", len(m.Payload), "error", err, "dropped", n)
		return
	}
	deliver(cmd)
}

// resubscribe replaces old, which Redis has ended, with a new
// subscription to channel, trying again with backoff until it succeeds
// or the Bus is closed; it then returns nil.
func (b *Bus) resubscribe(old *redis.PubSub, channel string) *redis.PubSub {
	b.mu.Lock()
	if b.ps == old {
		b.ps = nil
	}
	b.mu.Unlock()
	_ = old.Close() // Close may have closed it already
	b.logger.Warn("redisws: Redis ended the subscription, subscribing again; commands published meanwhile are lost",
		"channel", channel)

	wait := resubscribeMin
	for {
		ps, err := b.subscribe(context.Background(), channel)
		if err == nil {
			b.mu.Lock()
			closed := b.closed
			if !closed {
				b.ps = ps
			}
			b.mu.Unlock()
			if closed {
				_ = ps.Close()
				return nil
			}
			b.logger.Info("redisws: subscribed again", "channel", channel)
			return ps
		}
		if b.closing.Err() != nil {
			return nil
		}
		b.logger.Warn("redisws: cannot subscribe again", "channel", channel, "error", err, "retryIn", wait)
		t := time.NewTimer(wait)
		select {
		case <-b.closing.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, resubscribeMax)
	}
}
