// Package redisopt holds what the Redis-backed stores check of the
// clients they are given.
package redisopt

import (
	"errors"

	"github.com/redis/go-redis/v9"
)

// CheckClient fails for a nil client, and for a client of go-redis's own
// types that would not honour a context's deadline (ContextTimeoutEnabled
// unset), so that a store's timeout could not bound its calls.
func CheckClient(c redis.UniversalClient) error {
	enabled := true
	switch c := c.(type) {
	case nil:
		return errors.New("the client is nil")
	case *redis.Client:
		enabled = c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		enabled = c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		enabled = c.Options().ContextTimeoutEnabled
	}
	if !enabled {
		return errors.New("the client needs ContextTimeoutEnabled, or a call could outlast Options.Timeout")
	}
	return nil
}
