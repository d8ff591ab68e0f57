package cache

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// Run with: go test -run '^$' -bench . -benchmem ./cache/

// benchStore returns a MemoryStore holding n entries of a 1 KiB body,
// under the keys it returns.
func benchStore(b *testing.B, capacity int64, n int) (*MemoryStore, []string) {
	b.Helper()
	s, err := NewMemoryStore(capacity, nil)
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]string, n)
	body := make([]byte, 1<<10)
	for i := range keys {
		keys[i] = fmt.Sprintf("pets/prod/GET /pets/%d", i)
		e := &Entry{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: body}
		if err := s.Set(context.Background(), keys[i], e, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	return s, keys
}

func BenchmarkMemoryStoreGet(b *testing.B) {
	ctx := context.Background()
	s, keys := benchStore(b, 64<<20, 1000)
	key := keys[500]
	b.ReportAllocs()
	for b.Loop() {
		if e, _ := s.Get(ctx, key); e == nil {
			b.Fatal("miss")
		}
	}
}

// BenchmarkMemoryStoreSet writes distinct keys into a full store, so that
// each Set evicts.
func BenchmarkMemoryStoreSet(b *testing.B) {
	ctx := context.Background()
	const n = 4096
	s, keys := benchStore(b, 1<<20, n) // holds fewer than n entries
	e := &Entry{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: make([]byte, 1<<10)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := s.Set(ctx, keys[i%n], e, time.Hour); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkMemoryStoreGetParallel(b *testing.B) {
	ctx := context.Background()
	s, keys := benchStore(b, 64<<20, 1000)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if e, _ := s.Get(ctx, keys[i%len(keys)]); e == nil {
				b.Error("miss")
				return
			}
			i++
		}
	})
}
