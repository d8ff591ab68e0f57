// Package redistest gives tests a real Redis: the shared server of
// REDIS_ADDR (127.0.0.1:6379 by default), a hash tag of the test's own
// whose keys are deleted when the test ends, and clients closed with it.
//
// Without a Redis answering, a test is skipped with a message on a
// developer's machine; under CI=true it fails, so CI never passes by
// skipping.
//
// It also has what the tests of the Redis-backed stores share beyond
// that Redis: a single-node Redis Cluster of a test's own
// ([StartCluster]), Redis outages ([Outages], [SilentServer],
// [FakeServer]) and a check that a call fails in time during one
// ([FailsWithin]), and the clients every store's constructor refuses
// ([BadClients]).
package redistest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Addr returns the address of the shared test Redis (REDIS_ADDR, or
// 127.0.0.1:6379). If it does not answer a PING within two seconds, the
// test is skipped, or fails under CI=true.
func Addr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: time.Second, MaxRetries: -1, ContextTimeoutEnabled: true})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no Redis at %s (CI=true, so this fails): %v", addr, err)
		}
		t.Skipf("no Redis at %s (%v): set REDIS_ADDR, or start redis-server", addr, err)
	}
	return addr
}

// Client returns a client of addr with a pool of 64 connections, closed
// when t ends.
func Client(t testing.TB, addr string, hooks ...redis.Hook) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{
		Addr:                  addr,
		ContextTimeoutEnabled: true,
		PoolSize:              64,
		DisableIdentity:       true, // no CLIENT SETINFO, so that command counts are the caller's
	})
	for _, h := range hooks {
		c.AddHook(h)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Tag returns a hash tag no other test uses, and deletes the keys under
// it ("{tag}…") from addr when t ends.
func Tag(t testing.TB, addr string) string {
	t.Helper()
	name := strings.NewReplacer("/", "-", " ", "_", "{", "", "}", "", "*", "_", "?", "_", "[", "_", "]", "_", `\`, "_").Replace(t.Name())
	tag := fmt.Sprintf("gktest-%s-%x", name, rand.Uint64())
	t.Cleanup(func() {
		c := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true})
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := c.Scan(ctx, 0, "{"+tag+"}*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			c.Del(ctx, keys[:n]...)
			keys = keys[n:]
		}
	})
	return tag
}

// ServerBinary returns the path of redis-server, for tests that start a
// server of their own. Without one, the test is skipped, or fails under
// CI=true.
func ServerBinary(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server not found (CI=true, so this fails): %v", err)
		}
		t.Skipf("redis-server not found: %v", err)
	}
	return bin
}
