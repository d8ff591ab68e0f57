package redistest

import (
	"testing"

	"github.com/redis/go-redis/v9"
)

// RefusedClient returns a client of [RefusedAddr] with
// ContextTimeoutEnabled, closed when t ends: for tests of constructors,
// which make no call, and of calls that find no Redis.
func RefusedClient(t testing.TB) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: RefusedAddr, ContextTimeoutEnabled: true})
	t.Cleanup(func() { c.Close() })
	return c
}

// A BadClient is a client that a store's constructor must refuse.
type BadClient struct {
	Name    string // for t.Run
	Client  redis.UniversalClient
	WantErr string // what the constructor's error must contain
}

// BadClients returns the clients that every store's constructor refuses,
// as redisopt.CheckClient does: nil, and a Client, a Ring and a
// ClusterClient without ContextTimeoutEnabled. They are of
// [RefusedAddr], and closed when t ends.
func BadClients(t testing.TB) []BadClient {
	plain := redis.NewClient(&redis.Options{Addr: RefusedAddr})
	t.Cleanup(func() { plain.Close() })
	ring := redis.NewRing(&redis.RingOptions{Addrs: map[string]string{"a": RefusedAddr}})
	t.Cleanup(func() { ring.Close() })
	cluster := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{RefusedAddr}})
	t.Cleanup(func() { cluster.Close() })
	return []BadClient{
		{"nil client", nil, "client is nil"},
		{"Client without ContextTimeoutEnabled", plain, "ContextTimeoutEnabled"},
		{"Ring without ContextTimeoutEnabled", ring, "ContextTimeoutEnabled"},
		{"ClusterClient without ContextTimeoutEnabled", cluster, "ContextTimeoutEnabled"},
	}
}
