package redisws

import (
	"context"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/ws"
)

// Run with: go test -run '^$' -bench . -benchmem ./ws/redisws/
//
// On loopback to the Redis of REDIS_ADDR (127.0.0.1:6379). Store calls
// are one round trip each; a Publish→deliver round trip is PUBLISH from
// one client, and the message read from the subscription of another.

// BenchmarkPublishDeliver publishes a 256-byte post and waits for its
// delivery before the next.
func BenchmarkPublishDeliver(b *testing.B) {
	addr := redistest.Addr(b)
	tag := redistest.Tag(b, addr)
	sub, pub := newBus(b, addr, tag, nil), newBus(b, addr, tag, nil)
	delivered := make(chan struct{}, 1)
	ctx := context.Background()
	if err := sub.Subscribe(ctx, "a", func(ws.Command) { delivered <- struct{}{} }); err != nil {
		b.Fatal(err)
	}
	cmd := ws.Command{Op: ws.OpPost, ConnID: "AbCdEfGhIjKlMnO=", Data: make([]byte, 256)}
	b.ReportAllocs()
	for b.Loop() {
		if err := pub.Publish(ctx, "a", cmd); err != nil {
			b.Fatal(err)
		}
		<-delivered
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cmds/s")
}

func BenchmarkStoreGet(b *testing.B) {
	addr := redistest.Addr(b)
	s := newStore(b, addr, redistest.Tag(b, addr))
	ctx := context.Background()
	if err := s.Put(ctx, fullConn("conn-1"), time.Hour); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := s.Get(ctx, "conn-1"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

func BenchmarkStorePut(b *testing.B) {
	addr := redistest.Addr(b)
	s := newStore(b, addr, redistest.Tag(b, addr))
	ctx := context.Background()
	c := fullConn("conn-1")
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Put(ctx, c, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}

func BenchmarkStoreTouch(b *testing.B) {
	addr := redistest.Addr(b)
	s := newStore(b, addr, redistest.Tag(b, addr))
	ctx := context.Background()
	if err := s.Put(ctx, fullConn("conn-1"), time.Hour); err != nil {
		b.Fatal(err)
	}
	at := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Touch(ctx, "conn-1", at); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
