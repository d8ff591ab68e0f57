package throttle

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// Run with: go test -run=NONE -bench=. -benchmem ./throttle/
//
// The buckets are generous (a tolerance of 2 s at 10⁹ a second), so that
// each Take admits and writes, the dearer path, and no bucket goes stale
// during a run.

var benchRate = Rate{PerSecond: 1e9, Burst: math.MaxInt32}

func BenchmarkMemoryStoreTake(b *testing.B) {
	ctx := context.Background()
	cases := []struct {
		name string
		req  TakeRequest
	}{
		{"rate", TakeRequest{Rates: []RateCheck{{Key: "plan|free|key1", Rate: benchRate}}}},
		{"rate+quota", TakeRequest{
			Rates: []RateCheck{{Key: "plan|free|key1", Rate: benchRate}},
			Quota: &QuotaCheck{Key: "quota|free|key1", Quota: Quota{Limit: 1 << 62, Period: Month}},
		}},
		{"4 rates+quota", TakeRequest{
			Rates: []RateCheck{
				{Key: "gw", Rate: benchRate},
				{Key: "route|pets|prod|GET /pets/{id}", Rate: benchRate},
				{Key: "plan|free|key1", Rate: benchRate},
				{Key: "method|free|key1|pets|prod|GET /pets/{id}", Rate: benchRate},
			},
			Quota: &QuotaCheck{Key: "quota|free|key1", Quota: Quota{Limit: 1 << 62, Period: Month}},
		}},
	}
	// "fixed clock" leaves out reading the system clock, which costs
	// ~70 ns on some virtual machines: it is the store's own cost.
	clocks := []struct {
		name  string
		clock func() time.Time
	}{
		{"time.Now", nil},
		{"fixed clock", func() time.Time { return t0 }},
	}
	for _, c := range cases {
		for _, clk := range clocks {
			b.Run(c.name+"/"+clk.name, func(b *testing.B) {
				s := &MemoryStore{Clock: clk.clock}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := s.Take(ctx, c.req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkMemoryStoreTakeParallel runs 2×GOMAXPROCS goroutines on one
// key, and on many keys (one per goroutine and take, from 10,000).
func BenchmarkMemoryStoreTakeParallel(b *testing.B) {
	ctx := context.Background()
	keys := make([]TakeRequest, 10_000)
	for i := range keys {
		keys[i] = TakeRequest{
			Rates: []RateCheck{{Key: fmt.Sprint("plan|free|key", i), Rate: benchRate}},
			Quota: &QuotaCheck{Key: fmt.Sprint("quota|free|key", i), Quota: Quota{Limit: 1 << 62, Period: Month}},
		}
	}
	b.Run("one key", func(b *testing.B) {
		s := &MemoryStore{}
		b.ReportAllocs()
		b.SetParallelism(2)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := s.Take(ctx, keys[0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("many keys", func(b *testing.B) {
		s := &MemoryStore{}
		for _, k := range keys {
			s.Take(ctx, k)
		}
		spread(b, len(keys), func(i int) error {
			_, err := s.Take(ctx, keys[i])
			return err
		})
	})
	b.Logf("GOMAXPROCS=%d, %d goroutines", runtime.GOMAXPROCS(0), 2*runtime.GOMAXPROCS(0))
}

// BenchmarkLimiterCheck is one request through every level: gateway,
// stage route, plan, plan method and quota.
func BenchmarkLimiterCheck(b *testing.B) {
	ctx := context.Background()
	l, err := NewLimiter(LimiterConfig{Gateway: &benchRate})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.SetStage(StageLimits{Stage: pets, Throttle: &benchRate}); err != nil {
		b.Fatal(err)
	}
	err = l.PutPlan(Plan{
		Name:            "free",
		Stages:          []StageRef{pets},
		Throttle:        &benchRate,
		MethodThrottles: map[string]Rate{getPet: benchRate},
		Quota:           &Quota{Limit: 1 << 62, Period: Month},
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Attach("free", "key1"); err != nil {
		b.Fatal(err)
	}
	req := Request{Stage: pets, Route: getPet, APIKey: "key1"}
	b.Run("all levels", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if res, err := l.Check(ctx, req); err != nil || !res.Allowed() {
				b.Fatal(res, err)
			}
		}
	})
	b.Run("no key", func(b *testing.B) {
		req := Request{Stage: pets, Route: getPet}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.Check(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLimiterCheckParallel runs 2×GOMAXPROCS goroutines through
// every level with distinct keys; all of them share the gateway-wide
// bucket, one key in one shard.
func BenchmarkLimiterCheckParallel(b *testing.B) {
	ctx := context.Background()
	for _, gw := range []struct {
		name string
		rate Rate
	}{{"gateway bucket", benchRate}, {"no gateway bucket", Rate{PerSecond: Inf}}} {
		b.Run(gw.name, func(b *testing.B) {
			l, err := NewLimiter(LimiterConfig{Gateway: &gw.rate})
			if err != nil {
				b.Fatal(err)
			}
			err = l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}, Throttle: &benchRate, Quota: &Quota{Limit: 1 << 62, Period: Month}})
			if err != nil {
				b.Fatal(err)
			}
			reqs := make([]Request, 1000)
			for i := range reqs {
				reqs[i] = Request{Stage: pets, Route: getPet, APIKey: fmt.Sprint("key", i)}
				if err := l.Attach("free", reqs[i].APIKey); err != nil {
					b.Fatal(err)
				}
			}
			spread(b, len(reqs), func(i int) error {
				_, err := l.Check(ctx, reqs[i])
				return err
			})
		})
	}
}

// BenchmarkQuotaWindow is the cost of a window roll's arithmetic.
func BenchmarkQuotaWindow(b *testing.B) {
	q := Quota{Limit: 1, Period: Month}
	now := time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		q.Window(now)
	}
}

// spread runs op in parallel on 2×GOMAXPROCS goroutines, each walking the
// indexes 0..n-1 from its own starting point, so that the goroutines work
// on different keys.
func spread(b *testing.B, n int, op func(i int) error) {
	var next atomic.Uint64
	b.ReportAllocs()
	b.SetParallelism(2)
	b.RunParallel(func(pb *testing.PB) {
		i := next.Add(7919)
		for pb.Next() {
			i++
			if err := op(int(i % uint64(n))); err != nil {
				b.Fatal(err)
			}
		}
	})
}
