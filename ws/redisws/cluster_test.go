package redisws

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/ws"
	"github.com/redis/go-redis/v9"
)

// TestCluster runs a Store and two Buses on a Redis Cluster of one node
// of the test's own: the Buses use sharded pub/sub, and when the node
// stops serving the slot of the hash tag (as in resharding), the
// subscriber subscribes again once it is served.
func TestCluster(t *testing.T) {
	addr := redistest.StartCluster(t)
	newClient := func() *redis.ClusterClient {
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{addr}, ContextTimeoutEnabled: true})
		t.Cleanup(func() { c.Close() })
		return c
	}
	ctx := context.Background()
	const tag = "cluster-test"

	t.Run("Store", func(t *testing.T) {
		s, err := NewStore(newClient(), Options{HashTag: tag, Timeout: testTimeout})
		if err != nil {
			t.Fatal(err)
		}
		c := fullConn("conn-1")
		if err := s.Put(ctx, c, time.Minute); err != nil {
			t.Fatal(err)
		}
		c.LastActiveAt = c.LastActiveAt.Add(time.Second)
		if err := s.Touch(ctx, c.ID, c.LastActiveAt); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Get(ctx, c.ID)
		if err != nil || !ok {
			t.Fatalf("Get = %v, %v", ok, err)
		}
		if d := sameConn(got, c); d != "" {
			t.Errorf("%s: got %+v, want %+v", d, got, c)
		}
		if err := s.Delete(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("Bus", func(t *testing.T) {
		var logs logBuffer
		a := newBusOn(t, newClient(), tag, logs.logger())
		b := newBusOn(t, newClient(), tag, nil)
		if !a.sharded {
			t.Fatal("a Bus on a ClusterClient does not use sharded pub/sub")
		}
		rec := newRecorder()
		if err := a.Subscribe(ctx, "a", rec.deliver); err != nil {
			t.Fatal(err)
		}
		first := ws.Command{Op: ws.OpPost, ConnID: "c", Data: []byte{0xff, 0x00}, Binary: true}
		if err := b.Publish(ctx, "a", first); err != nil {
			t.Fatal(err)
		}
		if got := rec.wait(t, 1, 5*time.Second); sameCommand(got[0], first) != "" {
			t.Errorf("got %+v, want %+v", got[0], first)
		}
		if err := b.Publish(ctx, "b", first); !errors.Is(err, ErrNoSubscriber) {
			t.Errorf("Publish to nobody: %v; want ErrNoSubscriber", err)
		}

		// Take the slot of the tag away from the node, and give it back.
		node := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
		t.Cleanup(func() { node.Close() })
		slot, err := node.ClusterKeySlot(ctx, a.prefix+"a").Result()
		if err != nil {
			t.Fatal(err)
		}
		if err := node.ClusterDelSlots(ctx, int(slot)).Err(); err != nil {
			t.Fatal(err)
		}
		eventually(t, 5*time.Second, "the end of the subscription is not logged", func() bool {
			return strings.Contains(logs.String(), "Redis ended the subscription")
		})
		if err := node.ClusterAddSlots(ctx, int(slot)).Err(); err != nil {
			t.Fatal(err)
		}
		second := ws.Command{Op: ws.OpDelete, ConnID: "c"}
		eventually(t, 15*time.Second, "not subscribed again", func() bool {
			return b.Publish(ctx, "a", second) == nil
		})
		if got := rec.wait(t, 2, 5*time.Second); sameCommand(got[1], second) != "" {
			t.Errorf("got %+v, want %+v", got[1], second)
		}
		t.Logf("logs:\n%s", logs.String())
	})
}
