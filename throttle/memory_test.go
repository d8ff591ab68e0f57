package throttle

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func mustTake(t *testing.T, s Store, req TakeRequest) Result {
	t.Helper()
	res, err := s.Take(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMemoryStoreAllOrNothing checks that a refused request consumes
// nothing from the checks that would have admitted it.
func TestMemoryStoreAllOrNothing(t *testing.T) {
	wide := Rate{PerSecond: 1, Burst: 10}
	tests := []struct {
		name    string
		req     TakeRequest
		refusal Refusal
		key     string
	}{
		{"rate refuses", TakeRequest{
			Rates: []RateCheck{{Key: "wide", Rate: wide}, {Key: "shut", Rate: Rate{}}},
			Quota: &QuotaCheck{Key: "q", Quota: Quota{Limit: 10, Period: Day}},
		}, RefusedRate, "shut"},
		{"quota refuses", TakeRequest{
			Rates: []RateCheck{{Key: "wide", Rate: wide}},
			Quota: &QuotaCheck{Key: "q", Quota: Quota{Limit: 0, Period: Day}},
		}, RefusedQuota, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock(t0)
			s := &MemoryStore{Clock: clock.Now}
			for range 5 {
				if res := mustTake(t, s, tt.req); res.Refused != tt.refusal || res.Key != tt.key {
					t.Fatalf("Take() = %+v, want refused by %q with %v", res, tt.key, tt.refusal)
				}
			}
			res := mustTake(t, s, TakeRequest{Rates: []RateCheck{{Key: "wide", Rate: wide}}})
			if !res.Allowed() || res.Remaining != 9 {
				t.Errorf("after 5 refusals, wide bucket: %+v, want admitted with 9 remaining", res)
			}
			got, _ := s.Usage(context.Background(), "q", t0, t0)
			if got[0].Used != 0 {
				t.Errorf("usage after refusals = %d, want 0", got[0].Used)
			}
		})
	}
}

// TestMemoryStoreDescribes checks which check the header figures and
// RetryAfter describe.
func TestMemoryStoreDescribes(t *testing.T) {
	slow := Rate{PerSecond: 0.001, Burst: 1}
	tests := []struct {
		name   string
		before []RateCheck // taken from once first
		req    TakeRequest
		want   Result
	}{
		{"fewest remaining", nil, TakeRequest{Rates: []RateCheck{
			{Key: "a", Rate: Rate{PerSecond: 10, Burst: 10}},
			{Key: "b", Rate: Rate{PerSecond: 1, Burst: 2}},
			{Key: "c", Rate: Rate{PerSecond: 1, Burst: 5}},
		}}, Result{Key: "b", Limit: 2, Remaining: 1, Reset: time.Second}},
		{"quota fewest", nil, TakeRequest{
			Rates: []RateCheck{{Key: "a", Rate: Rate{PerSecond: 10, Burst: 10}}},
			Quota: &QuotaCheck{Key: "q", Quota: Quota{Limit: 3, Period: Day}},
		}, Result{Key: "q", Limit: 3, Remaining: 2, Reset: 12 * time.Hour}},
		{"longest wait refusing", []RateCheck{{Key: "slow", Rate: slow}, {Key: "slow2", Rate: slow}}, TakeRequest{Rates: []RateCheck{
			{Key: "a", Rate: Rate{PerSecond: 10, Burst: 10}},
			{Key: "shut", Rate: Rate{}},
			{Key: "slow", Rate: slow},
			{Key: "slow2", Rate: slow},
		}}, Result{Refused: RefusedRate, Key: "slow", Limit: 1, Reset: 1000 * time.Second, RetryAfter: 1000 * time.Second}},
		{"quota refusal wins", nil, TakeRequest{Rates: []RateCheck{
			{Key: "a", Rate: Rate{PerSecond: 10, Burst: 10}},
			{Key: "shut", Rate: Rate{}},
		}, Quota: &QuotaCheck{Key: "q", Quota: Quota{Limit: 0, Period: Day}}},
			Result{Refused: RefusedQuota, Key: "q", Reset: 12 * time.Hour}},
		{"unlimited not described", nil, TakeRequest{Rates: []RateCheck{{Key: "u", Rate: Rate{PerSecond: Inf}}}}, Result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock(t0)
			s := &MemoryStore{Clock: clock.Now}
			if len(tt.before) > 0 {
				mustTake(t, s, TakeRequest{Rates: tt.before})
			}
			if got := mustTake(t, s, tt.req); got != tt.want {
				t.Errorf("Take() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMemoryStoreQuotaWindows(t *testing.T) {
	clock := newFakeClock(utc(2024, 1, 31, 23, 0))
	s := &MemoryStore{Clock: clock.Now}
	q := QuotaCheck{Key: "k", Quota: Quota{Limit: 3, Offset: 1, Period: Month, Start: clock.Now()}}
	req := TakeRequest{Quota: &q}
	count := func() (n int, last Result) {
		for range 10 {
			res := mustTake(t, s, req)
			if res.Allowed() {
				n++
			}
			last = res
		}
		return n, last
	}
	if n, last := count(); n != 2 || last.Refused != RefusedQuota || last.RetryAfter != time.Hour {
		t.Errorf("January (offset 1): %d admitted, last %+v; want 2, refused with RetryAfter 1h", n, last)
	}
	clock.Advance(time.Hour)
	if n, last := count(); n != 3 || last.RetryAfter != 29*24*time.Hour {
		t.Errorf("February 2024: %d admitted, last %+v; want 3, RetryAfter 29 days", n, last)
	}
	// Adjustments apply to the current window only.
	if rem, err := s.AdjustQuota(context.Background(), "k", q.Quota, 5); err != nil || rem != 5 {
		t.Errorf("AdjustQuota(+5) = %d, %v; want 5", rem, err)
	}
	if n, _ := count(); n != 5 {
		t.Errorf("after granting 5: %d admitted, want 5", n)
	}
	clock.Advance(29 * 24 * time.Hour)
	if n, _ := count(); n != 3 {
		t.Errorf("March: %d admitted, want 3", n)
	}
}

func TestMemoryStoreUsage(t *testing.T) {
	clock := newFakeClock(utc(2024, 2, 27, 22, 0))
	s := &MemoryStore{Clock: clock.Now}
	ctx := context.Background()
	q := Quota{Limit: 100, Period: Month}
	req := TakeRequest{Quota: &QuotaCheck{Key: "k", Quota: q}}
	for _, day := range []int{3, 5} {
		for range day {
			mustTake(t, s, req)
		}
		clock.Advance(24 * time.Hour)
	}
	// Taking away more than remains leaves 0, and usage stays as it was.
	if rem, err := s.AdjustQuota(ctx, "k", q, -100); err != nil || rem != 0 {
		t.Errorf("AdjustQuota(-100) = %d, %v; want 0", rem, err)
	}
	if res := mustTake(t, s, req); res.Refused != RefusedQuota {
		t.Errorf("after taking all away: %+v, want refused", res)
	}
	if rem, err := s.AdjustQuota(ctx, "k", q, 3); err != nil || rem != 0 {
		t.Errorf("AdjustQuota(+3) = %d, %v; want 0 (3 back of 8 over)", rem, err)
	}
	got, err := s.Usage(ctx, "k", utc(2024, 2, 26, 0, 0), utc(2024, 2, 29, 23, 59))
	if err != nil {
		t.Fatal(err)
	}
	want := []DailyUsage{
		{Day: utc(2024, 2, 26, 0, 0), Used: 0},
		{Day: utc(2024, 2, 27, 0, 0), Used: 3},
		{Day: utc(2024, 2, 28, 0, 0), Used: 5},
		{Day: utc(2024, 2, 29, 0, 0), Used: 0},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Usage() = %v, want %v", got, want)
	}
	for _, bad := range []struct {
		name     string
		from, to time.Time
	}{
		{"backwards", utc(2024, 3, 1, 0, 0), utc(2024, 2, 1, 0, 0)},
		{"too long", utc(2000, 1, 1, 0, 0), utc(2024, 1, 1, 0, 0)},
	} {
		t.Run(bad.name, func(t *testing.T) {
			if _, err := s.Usage(ctx, "k", bad.from, bad.to); err == nil {
				t.Error("Usage() succeeded, want an error")
			}
		})
	}
}

// TestMemoryStoreConcurrentQuota has many goroutines race for one key's
// quota: exactly the quota is admitted.
func TestMemoryStoreConcurrentQuota(t *testing.T) {
	const goroutines, takes, quota = 32, 500, 1000
	s := &MemoryStore{}
	req := TakeRequest{
		Rates: []RateCheck{{Key: "gw", Rate: Rate{PerSecond: Inf}}, {Key: "route", Rate: Rate{PerSecond: 1e9, Burst: 1 << 30}}},
		Quota: &QuotaCheck{Key: "key", Quota: Quota{Limit: quota, Period: Day}},
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
				case NotRefused:
					admitted.Add(1)
				case RefusedQuota:
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
	s := &MemoryStore{}
	keys := make([]RateCheck, MaxRates)
	for i := range keys {
		keys[i] = RateCheck{Key: fmt.Sprint("key", i), Rate: Rate{PerSecond: Inf}}
	}
	reversed := make([]RateCheck, len(keys))
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
				if _, err := s.Take(context.Background(), TakeRequest{Rates: rates}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestMemoryStoreTooManyRates(t *testing.T) {
	s := &MemoryStore{}
	if _, err := s.Take(context.Background(), TakeRequest{Rates: make([]RateCheck, MaxRates+1)}); err == nil {
		t.Error("Take with MaxRates+1 rates succeeded, want an error")
	}
}

// TestMemoryStoreDuplicateKeys checks that a key named twice in one
// request is taken from twice.
func TestMemoryStoreDuplicateKeys(t *testing.T) {
	s := &MemoryStore{Clock: newFakeClock(t0).Now}
	r := Rate{PerSecond: 1, Burst: 3}
	req := TakeRequest{Rates: []RateCheck{{Key: "k", Rate: r}, {Key: "k", Rate: r}}}
	if res := mustTake(t, s, req); !res.Allowed() || res.Remaining != 1 {
		t.Errorf("first: %+v, want admitted with 1 remaining", res)
	}
	if res := mustTake(t, s, req); res.Allowed() {
		t.Errorf("second: %+v, want refused (1 token for 2 takes)", res)
	}
}

// TestMemoryStoreBounded fills the store with idle keys, lets them go
// stale, and checks that new traffic drops them.
func TestMemoryStoreBounded(t *testing.T) {
	const idle, fresh = 100_000, 10_000
	clock := newFakeClock(t0)
	s := &MemoryStore{Clock: clock.Now, UsageRetention: 24 * time.Hour}
	r := Rate{PerSecond: 10, Burst: 10}
	for i := range idle {
		req := TakeRequest{Rates: []RateCheck{{Key: fmt.Sprint("idle", i), Rate: r}}}
		if i%10 == 0 {
			req.Quota = &QuotaCheck{Key: fmt.Sprint("quota", i), Quota: Quota{Limit: 5, Period: Day}}
		}
		mustTake(t, s, req)
	}
	peak, peakHeap := s.Len(), heapInUse()
	if peak < idle {
		t.Fatalf("Len() = %d after %d keys, want at least that", peak, idle)
	}
	clock.Advance(3 * 24 * time.Hour) // past the buckets, windows and retention
	for i := range fresh {
		mustTake(t, s, TakeRequest{
			Rates: []RateCheck{{Key: fmt.Sprint("fresh", i), Rate: r}},
			Quota: &QuotaCheck{Key: fmt.Sprint("freshquota", i), Quota: Quota{Limit: 5, Period: Day}},
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
	clock := newFakeClock(t0)
	s := &MemoryStore{Clock: clock.Now}
	r := Rate{PerSecond: 1, Burst: 1}
	old, fresh := "old", ""
	for i := 0; fresh == ""; i++ {
		if k := fmt.Sprint("new", i); shardOf(k) == shardOf(old) {
			fresh = k
		}
	}
	mustTake(t, s, TakeRequest{Rates: []RateCheck{{Key: old, Rate: r}}})
	clock.Advance(time.Hour) // old has long been full: stale
	if res := mustTake(t, s, TakeRequest{Rates: []RateCheck{{Key: fresh, Rate: r}, {Key: old, Rate: r}}}); !res.Allowed() {
		t.Fatalf("Take(new, old) = %+v, want admitted", res)
	}
	if res := mustTake(t, s, TakeRequest{Rates: []RateCheck{{Key: old, Rate: r}}}); res.Allowed() {
		t.Errorf("Take(old) right after = %+v, want refused: its token was taken", res)
	}
}

// TestMemoryStorePeriodChange changes a key's quota period: within the
// current window the count carries over; after it, it starts again.
func TestMemoryStorePeriodChange(t *testing.T) {
	clock := newFakeClock(t0) // Wednesday noon
	s := &MemoryStore{Clock: clock.Now}
	take := func(p Period, n int) (admitted int) {
		for range n {
			if mustTake(t, s, TakeRequest{Quota: &QuotaCheck{Key: "k", Quota: Quota{Limit: 5, Period: p}}}).Allowed() {
				admitted++
			}
		}
		return admitted
	}
	steps := []struct {
		name    string
		advance time.Duration
		period  Period
		tries   int
		want    int
	}{
		{"day", 0, Day, 3, 3},
		{"now weekly, same day", time.Hour, Week, 5, 2},
		{"next week", 7 * 24 * time.Hour, Week, 6, 5},
		{"daily again, old week over", 7 * 24 * time.Hour, Day, 6, 5},
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
