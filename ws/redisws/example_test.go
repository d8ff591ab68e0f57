package redisws_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatekit/gatekit/ws"
	"github.com/gatekit/gatekit/ws/redisws"
	"github.com/redis/go-redis/v9"
)

// Each instance serving the API makes a Store and a Bus like these, with
// the same hash tag, and passes them to the ws server's options with a
// name of its own. The server calls them itself; this shows what it
// does with them.
func Example() {
	client := redis.NewClient(&redis.Options{
		Addr:                  "127.0.0.1:6379",
		ContextTimeoutEnabled: true, // required: Timeout bounds each call
	})
	defer client.Close()

	opts := redisws.Options{HashTag: "chat-ws", Timeout: 20 * time.Millisecond}
	store, err := redisws.NewStore(client, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	bus, err := redisws.NewBus(client, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer bus.Close() // stops the Bus's goroutine

	ctx := context.Background()
	// Instance gw-1 receives the commands sent to it...
	err = bus.Subscribe(ctx, "gw-1", func(c ws.Command) {
		fmt.Printf("%s %s %q\n", c.Op, c.ConnID, c.Data)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// ...records a connection it holds...
	now := time.Now()
	conn := ws.ConnInfo{ID: "Ab1=", Instance: "gw-1", ConnectedAt: now, LastActiveAt: now,
		Identity: ws.Identity{SourceIP: "192.0.2.1"}}
	if err := store.Put(ctx, conn, 2*time.Hour); err != nil {
		fmt.Println(err) // e.g. redisws.ErrUnavailable
		return
	}

	// ...and any instance can post to it.
	info, ok, err := store.Get(ctx, "Ab1=")
	if err != nil || !ok {
		fmt.Println("no such connection", err)
		return
	}
	err = bus.Publish(ctx, info.Instance, ws.Command{Op: ws.OpPost, ConnID: info.ID, Data: []byte("hello")})
	if errors.Is(err, redisws.ErrNoSubscriber) {
		// gw-1 is gone, and so is the connection.
		_ = store.Delete(ctx, info.ID)
	}
}
