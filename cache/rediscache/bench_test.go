package rediscache

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/internal/redistest"
)

// Run with: go test -run '^$' -bench . -benchmem ./cache/rediscache/
//
// Each call is one round trip on loopback to the Redis of REDIS_ADDR
// (127.0.0.1:6379), with an entry of a 1 KB body and three headers, in
// the clear and encrypted with AES-256-GCM.

func benchEntry() *cache.Entry {
	return &cache.Entry{
		Status: http.StatusOK,
		Header: http.Header{
			"Content-Type":  {"application/json"},
			"Cache-Control": {"max-age=300"},
			"Etag":          {`"6d82cbb050ddc7fa9cbb659014546e59"`},
		},
		Body:     bytes.Repeat([]byte("x"), 1024),
		StoredAt: time.Now(),
	}
}

var benchCases = []struct {
	name string
	key  []byte
}{
	{"plain", nil},
	{"encrypted", testKey},
}

func BenchmarkGet(b *testing.B) {
	addr := redistest.Addr(b)
	ctx := context.Background()
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			s := newStore(b, addr, Options{EncryptionKey: c.key})
			mustSet(b, s, "api/prod/GET /pets", benchEntry(), time.Hour)
			b.ReportAllocs()
			for b.Loop() {
				e, err := s.Get(ctx, "api/prod/GET /pets")
				if err != nil || e == nil {
					b.Fatal(e, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}

func BenchmarkSet(b *testing.B) {
	addr := redistest.Addr(b)
	ctx := context.Background()
	e := benchEntry()
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			s := newStore(b, addr, Options{EncryptionKey: c.key})
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Set(ctx, "api/prod/GET /pets", e, time.Hour); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}

// BenchmarkGetParallel runs Gets from GOMAXPROCS×4 goroutines of one
// instance (one pool of connections).
func BenchmarkGetParallel(b *testing.B) {
	addr := redistest.Addr(b)
	ctx := context.Background()
	s := newStore(b, addr, Options{EncryptionKey: testKey})
	mustSet(b, s, "api/prod/GET /pets", benchEntry(), time.Hour)
	b.ReportAllocs()
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if e, err := s.Get(ctx, "api/prod/GET /pets"); err != nil || e == nil {
				b.Error(e, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
