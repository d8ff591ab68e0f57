package redisstore

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/gatekit/gatekit/throttle"
)

// Run with: go test -run=NONE -bench=. -benchmem ./throttle/redisstore/
//
// Each check is one EVALSHA on loopback to the Redis of REDIS_ADDR
// (127.0.0.1:6379). The buckets have room to spare, so every check
// admits and writes, the dearer path.

func BenchmarkTake(b *testing.B) {
	addr := needRedis(b)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		req  throttle.TakeRequest
	}{
		{"rate", throttle.TakeRequest{Rates: fullReq("key1").Rates[2:3]}},
		{"4 rates+quota", fullReq("key1")},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := newStore(b, addr, Options{})
			if err := s.LoadScripts(ctx); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Take(ctx, c.req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
		})
	}
}

// BenchmarkTakeParallel runs checks from GOMAXPROCS×4 goroutines of one
// instance (one pool of connections), on one key and on many keys.
func BenchmarkTakeParallel(b *testing.B) {
	addr := needRedis(b)
	ctx := context.Background()
	for _, many := range []bool{false, true} {
		name := "one key"
		if many {
			name = "many keys"
		}
		b.Run(name, func(b *testing.B) {
			s := newStore(b, addr, Options{})
			if err := s.LoadScripts(ctx); err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				req := fullReq("key1")
				if many {
					req = fullReq(fmt.Sprint("key", n.Add(1)))
				}
				for pb.Next() {
					if _, err := s.Take(ctx, req); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
		})
	}
}

// BenchmarkTakeBlocked is a flood from one refused key: answered from
// the local cache, with no Redis call.
func BenchmarkTakeBlocked(b *testing.B) {
	addr := needRedis(b)
	ctx := context.Background()
	s := newStore(b, addr, Options{})
	req := throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: "k", Rate: throttle.Rate{PerSecond: 0.001, Burst: 1}}}}
	s.Take(ctx, req)
	if res, _ := s.Take(ctx, req); res.Allowed() {
		b.Fatal("not refused")
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if res, _ := s.Take(ctx, req); res.Allowed() {
				b.Error("admitted")
				return
			}
		}
	})
}

// BenchmarkPing is the floor: one PING round trip from the same client
// set-up, to compare a check with.
func BenchmarkPing(b *testing.B) {
	c := newClient(b, needRedis(b))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Ping(ctx).Err(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
