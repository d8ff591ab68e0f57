package rediscache_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/cache/rediscache"
	"github.com/redis/go-redis/v9"
)

// Each gateway instance makes a Store like this one, with the same tag
// and key, and gives it to its stages (gateway.StageCache.Store): what
// one instance caches, all serve.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{
		Addr:                  "127.0.0.1:6379",
		ContextTimeoutEnabled: true, // required: Timeout bounds each call
	})
	defer client.Close()

	key := make([]byte, 32) // in production, from a secret store
	store, err := rediscache.New(client, rediscache.Options{
		HashTag:       "petstore-cache",
		EncryptionKey: key,
		Timeout:       20 * time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	e := &cache.Entry{Status: 200, Body: []byte(`{"id":1}`), StoredAt: time.Now()}
	if err := store.Set(ctx, "petstore/prod/GET /pets/1", e, 5*time.Minute); err != nil {
		fmt.Println("not cached:", err) // e.g. rediscache.ErrUnavailable
	}
	if got, err := store.Get(ctx, "petstore/prod/GET /pets/1"); err == nil && got != nil {
		fmt.Println(got.Status, string(got.Body))
	}
}
