package throttle_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekit/gatekit/throttle"
	"github.com/gatekit/gatekit/throttle/storetest"
)

// TestMemoryStoreConformance runs the suite every store passes, on a
// MemoryStore that follows the suite's clock exactly.
func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(_ *testing.T, clock *storetest.Clock) throttle.UsageStore {
		return &throttle.MemoryStore{Clock: clock.Now}
	})
}

// TestMemoryStoreConcurrentQuota has many goroutines race for one key's
// quota: exactly the quota is admitted.
func TestMemoryStoreConcurrentQuota(t *testing.T) {
	const goroutines, takes, quota = 32, 500, 1000
	s := &throttle.MemoryStore{}
	req := throttle.TakeRequest{
		Rates: []throttle.RateCheck{{Key: "gw", Rate: throttle.Rate{PerSecond: throttle.Inf}}, {Key: "route", Rate: throttle.Rate{PerSecond: 1e9, Burst: 1 << 30}}},
		Quota: &throttle.QuotaCheck{Key: "key", Quota: throttle.Quota{Limit: quota, Period: throttle.Day}},
	}
	var admitted, quotaRefused atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range takes {
				res, err := s.Take(context.Background(), req)
				if err != nil {
					t.Error(err)
					return
				}
				switch res.Refused {
				case throttle.NotRefused:
					admitted.Add(1)
				case throttle.RefusedQuota:
					quotaRefused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if admitted.Load() != quota || quotaRefused.Load() != goroutines*takes-quota {
		t.Errorf("admitted %d, quota-refused %d; want %d and %d", admitted.Load(), quotaRefused.Load(), quota, goroutines*takes-quota)
	}
}

// TestMemoryStoreLockOrder runs requests that name the same keys in
// opposite orders; locking shards in one order keeps them from
// deadlocking.
func TestMemoryStoreLockOrder(t *testing.T) {
	s := &throttle.MemoryStore{}
	keys := make([]throttle.RateCheck, throttle.MaxRates)
	for i := range keys {
		keys[i] = throttle.RateCheck{Key: fmt.Sprint("key", i), Rate: throttle.Rate{PerSecond: throttle.Inf}}
	}
	reversed := make([]throttle.RateCheck, len(keys))
	for i := range keys {
		reversed[len(keys)-1-i] = keys[i]
	}
	var wg sync.WaitGroup
	for g := range 8 {
		rates := keys
		if g%2 == 1 {
			rates = reversed
		}
		wg.Go(func() {
			for range 2000 {
				if _, err := s.Take(context.Background(), throttle.TakeRequest{Rates: rates}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestMemoryStoreTooManyRates(t *testing.T) {
	s := &throttle.MemoryStore{}
	if _, err := s.Take(context.Background(), throttle.TakeRequest{Rates: make([]throttle.RateCheck, throttle.MaxRates+1)}); err == nil {
		t.Error("Take with throttle.MaxRates+1 rates succeeded, want an error")
	}
}

// TestMemoryStoreBounded fills the store with idle keys, lets them go
// stale, and checks that new traffic drops them.
func TestMemoryStoreBounded(t *testing.T) {
	const idle, fresh = 100_000, 10_000
	clock := storetest.NewClock(storetest.T0)
	s := &throttle.MemoryStore{Clock: clock.Now, UsageRetention: 24 * time.Hour}
	r := throttle.Rate{PerSecond: 10, Burst: 10}
	for i := range idle {
		req := throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: fmt.Sprint("idle", i), Rate: r}}}
		if i%10 == 0 {
			req.Quota = &throttle.QuotaCheck{Key: fmt.Sprint("quota", i), Quota: throttle.Quota{Limit: 5, Period: throttle.Day}}
		}
		storetest.MustTake(t, s, req)
	}
	peak, peakHeap := s.Len(), heapInUse()
	if peak < idle {
		t.Fatalf("Len() = %d after %d keys, want at least that", peak, idle)
	}
	clock.Advance(3 * 24 * time.Hour) // past the buckets, windows and retention
	for i := range fresh {
		storetest.MustTake(t, s, throttle.TakeRequest{
			Rates: []throttle.RateCheck{{Key: fmt.Sprint("fresh", i), Rate: r}},
			Quota: &throttle.QuotaCheck{Key: fmt.Sprint("freshquota", i), Quota: throttle.Quota{Limit: 5, Period: throttle.Day}},
		})
	}
	n := s.Len()
	if n > 2*fresh+2*fresh/10 {
		t.Errorf("Len() = %d after %d idle keys went stale and %d new came, want at most %d", n, idle+idle/10, 2*fresh, 2*fresh+2*fresh/10)
	}
	t.Logf("entries: %d at the peak, %d after; heap in use: %d KiB at the peak, %d KiB after", peak, n, peakHeap>>10, heapInUse()>>10)
	runtime.KeepAlive(s)
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestMemoryStoreStaleKeyInRequest names a stale bucket together with a
// new key of the same shard, whose insert drops stale entries: the stale
// bucket's take must still count.
func TestMemoryStoreStaleKeyInRequest(t *testing.T) {
	clock := storetest.NewClock(storetest.T0)
	s := &throttle.MemoryStore{Clock: clock.Now}
	r := throttle.Rate{PerSecond: 1, Burst: 1}
	old, fresh := "old", ""
	for i := 0; fresh == ""; i++ {
		if k := fmt.Sprint("new", i); throttle.ShardOf(k) == throttle.ShardOf(old) {
			fresh = k
		}
	}
	storetest.MustTake(t, s, throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: old, Rate: r}}})
	clock.Advance(time.Hour) // old has long been full: stale
	if res := storetest.MustTake(t, s, throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: fresh, Rate: r}, {Key: old, Rate: r}}}); !res.Allowed() {
		t.Fatalf("Take(new, old) = %+v, want admitted", res)
	}
	if res := storetest.MustTake(t, s, throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: old, Rate: r}}}); res.Allowed() {
		t.Errorf("Take(old) right after = %+v, want refused: its token was taken", res)
	}
}

// TestMemoryStorePeriodChange changes a key's quota period: within the
// current window the count carries over; after it, it starts again.
func TestMemoryStorePeriodChange(t *testing.T) {
	clock := storetest.NewClock(storetest.T0) // Wednesday noon
	s := &throttle.MemoryStore{Clock: clock.Now}
	take := func(p throttle.Period, n int) (admitted int) {
		for range n {
			if storetest.MustTake(t, s, throttle.TakeRequest{Quota: &throttle.QuotaCheck{Key: "k", Quota: throttle.Quota{Limit: 5, Period: p}}}).Allowed() {
				admitted++
			}
		}
		return admitted
	}
	steps := []struct {
		name    string
		advance time.Duration
		period  throttle.Period
		tries   int
		want    int
	}{
		{"day", 0, throttle.Day, 3, 3},
		{"now weekly, same day", time.Hour, throttle.Week, 5, 2},
		{"next week", 7 * 24 * time.Hour, throttle.Week, 6, 5},
		{"daily again, old week over", 7 * 24 * time.Hour, throttle.Day, 6, 5},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clock.Advance(st.advance)
			if got := take(st.period, st.tries); got != st.want {
				t.Errorf("admitted %d of %d, want %d", got, st.tries, st.want)
			}
		})
	}
}
