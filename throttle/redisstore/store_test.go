package redisstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gatekit/gatekit/throttle"
)

// These tests run the cases of throttle's MemoryStore tests against
// Redis. Redis's clock cannot be faked, so the Store has an offset, set
// only by tests, that the scripts add to the server's TIME: a test puts
// the server at an instant and moves it on. The clock still runs during
// a test, so durations are checked to within slack below the exact
// value, and rates are slow enough (or the jumps long enough) that a
// few milliseconds change no decision.

const slack = time.Second

// t0 is Wednesday 2024-02-14 12:00 UTC, as in throttle's tests.
var t0 = time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// noCache are Options for tests that move the server's clock, which the
// cache of blocked keys, on the local clock, does not see.
var noCache = Options{BlockedKeys: -1}

func TestStoreAllOrNothing(t *testing.T) {
	addr := needRedis(t)
	wide := throttle.Rate{PerSecond: 1, Burst: 10}
	tests := []struct {
		name    string
		req     throttle.TakeRequest
		refusal throttle.Refusal
		key     string
	}{
		{"rate refuses", throttle.TakeRequest{
			Rates: []throttle.RateCheck{{Key: "wide", Rate: wide}, {Key: "shut", Rate: throttle.Rate{}}},
			Quota: &throttle.QuotaCheck{Key: "q", Quota: throttle.Quota{Limit: 10, Period: throttle.Day}},
		}, throttle.RefusedRate, "shut"},
		{"quota refuses", throttle.TakeRequest{
			Rates: []throttle.RateCheck{{Key: "wide", Rate: wide}},
			Quota: &throttle.QuotaCheck{Key: "q", Quota: throttle.Quota{Limit: 0, Period: throttle.Day}},
		}, throttle.RefusedQuota, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, addr, noCache)
			setClock(t, s, t0)
			for range 5 {
				if res := mustTake(t, s, tt.req); res.Refused != tt.refusal || res.Key != tt.key {
					t.Fatalf("Take() = %+v, want refused by %q with %v", res, tt.key, tt.refusal)
				}
			}
			res := mustTake(t, s, throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: "wide", Rate: wide}}})
			if !res.Allowed() || res.Remaining != 9 {
				t.Errorf("after 5 refusals, wide bucket: %+v, want admitted with 9 remaining", res)
			}
			got, err := s.Usage(context.Background(), "q", t0, t0)
			if err != nil || got[0].Used != 0 {
				t.Errorf("usage after refusals = %v, %v; want 0", got, err)
			}
		})
	}
}

func TestStoreDescribes(t *testing.T) {
	addr := needRedis(t)
	slow := throttle.Rate{PerSecond: 0.001, Burst: 1}
	type rc = throttle.RateCheck
	tests := []struct {
		name   string
		before []rc
		req    throttle.TakeRequest
		want   throttle.Result
	}{
		{"fewest remaining", nil, throttle.TakeRequest{Rates: []rc{
			{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}},
			{Key: "b", Rate: throttle.Rate{PerSecond: 1, Burst: 2}},
			{Key: "c", Rate: throttle.Rate{PerSecond: 1, Burst: 5}},
		}}, throttle.Result{Key: "b", Limit: 2, Remaining: 1, Reset: time.Second}},
		{"quota fewest", nil, throttle.TakeRequest{
			Rates: []rc{{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}}},
			Quota: &throttle.QuotaCheck{Key: "q", Quota: throttle.Quota{Limit: 3, Period: throttle.Day}},
		}, throttle.Result{Key: "q", Limit: 3, Remaining: 2, Reset: 12 * time.Hour}},
		{"longest wait refusing", []rc{{Key: "slow", Rate: slow}, {Key: "slow2", Rate: slow}}, throttle.TakeRequest{Rates: []rc{
			{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}},
			{Key: "shut", Rate: throttle.Rate{}},
			{Key: "slow", Rate: slow},
			{Key: "slow2", Rate: slow},
		}}, throttle.Result{Refused: throttle.RefusedRate, Key: "slow", Limit: 1, Reset: 1000 * time.Second, RetryAfter: 1000 * time.Second}},
		{"quota refusal wins", nil, throttle.TakeRequest{Rates: []rc{
			{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}},
			{Key: "shut", Rate: throttle.Rate{}},
		}, Quota: &throttle.QuotaCheck{Key: "q", Quota: throttle.Quota{Limit: 0, Period: throttle.Day}}},
			throttle.Result{Refused: throttle.RefusedQuota, Key: "q", Reset: 12 * time.Hour}},
		{"unlimited not described", nil, throttle.TakeRequest{Rates: []rc{{Key: "u", Rate: throttle.Rate{PerSecond: throttle.Inf}}}}, throttle.Result{}},
		{"key named twice", nil, throttle.TakeRequest{Rates: []rc{
			{Key: "twice", Rate: throttle.Rate{PerSecond: 1, Burst: 3}},
			{Key: "twice", Rate: throttle.Rate{PerSecond: 1, Burst: 3}},
		}}, throttle.Result{Key: "twice", Limit: 3, Remaining: 1, Reset: 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, addr, noCache)
			setClock(t, s, t0)
			if len(tt.before) > 0 {
				mustTake(t, s, throttle.TakeRequest{Rates: tt.before})
			}
			// The same on a MemoryStore, exactly, for reference.
			m := &throttle.MemoryStore{Clock: func() time.Time { return t0 }}
			if len(tt.before) > 0 {
				mustTake(t, m, throttle.TakeRequest{Rates: tt.before})
			}
			if mres := mustTake(t, m, tt.req); mres != tt.want {
				t.Fatalf("MemoryStore: %+v, the table wants %+v", mres, tt.want)
			}
			if got := mustTake(t, s, tt.req); !near(got, tt.want, slack) {
				t.Errorf("Take() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestStoreBurstThenSteady: a bucket admits its burst at once, then one
// request per emission interval, with the figures of the MemoryStore.
func TestStoreBurstThenSteady(t *testing.T) {
	addr := needRedis(t)
	s := newStore(t, addr, noCache)
	m := &throttle.MemoryStore{}
	clock := t0
	m.Clock = func() time.Time { return clock }
	setClock(t, s, t0)
	// T = 1000 s: the few ms the test takes change no decision.
	req := throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: "k", Rate: throttle.Rate{PerSecond: 0.001, Burst: 5}}}}
	step := func(name string, n int, wantAdmitted int) {
		t.Helper()
		admitted := 0
		for range n {
			got, want := mustTake(t, s, req), mustTake(t, m, req)
			if !near(got, want, slack) {
				t.Fatalf("%s: Take() = %+v, MemoryStore %+v", name, got, want)
			}
			if got.Allowed() {
				admitted++
			}
		}
		if admitted != wantAdmitted {
			t.Errorf("%s: %d admitted, want %d", name, admitted, wantAdmitted)
		}
	}
	step("burst", 8, 5)
	for i := range 3 {
		advance(s, 1000*time.Second)
		clock = clock.Add(1000 * time.Second)
		step(fmt.Sprintf("steady %d", i), 3, 1)
	}
	advance(s, 2500*time.Second)
	clock = clock.Add(2500 * time.Second)
	step("2.5 intervals idle", 4, 2)
	advance(s, 10000*time.Second)
	clock = clock.Add(10000 * time.Second)
	step("idle long: full again", 7, 5)
}

// TestStoreFastRate checks a fast rate in real time: a burst of 20 at
// 50/s, then about 50 a second, never more than burst + rate·elapsed.
func TestStoreFastRate(t *testing.T) {
	addr := needRedis(t)
	s := newStore(t, addr, noCache)
	req := throttle.TakeRequest{Rates: []throttle.RateCheck{{Key: "k", Rate: throttle.Rate{PerSecond: 50, Burst: 20}}}}
	start := time.Now()
	admitted := 0
	for time.Since(start) < 500*time.Millisecond {
		if mustTake(t, s, req).Allowed() {
			admitted++
		}
	}
	elapsed := time.Since(start)
	if most := 20 + int(50*elapsed.Seconds()) + 1; admitted > most || admitted < 20+20 {
		t.Errorf("%d admitted in %v, want between 40 and %d", admitted, elapsed, most)
	}
}

func TestStoreQuotaWindows(t *testing.T) {
	addr := needRedis(t)
	s := newStore(t, addr, noCache)
	start := utc(2024, 1, 31, 23, 0)
	setClock(t, s, start)
	q := throttle.QuotaCheck{Key: "k", Quota: throttle.Quota{Limit: 3, Offset: 1, Period: throttle.Month, Start: start}}
	req := throttle.TakeRequest{Quota: &q}
	count := func() (n int, last throttle.Result) {
		for range 10 {
			res := mustTake(t, s, req)
			if res.Allowed() {
				n++
			}
			last = res
		}
		return n, last
	}
	if n, last := count(); n != 2 || last.Refused != throttle.RefusedQuota || !near(last, throttle.Result{Refused: throttle.RefusedQuota, Key: "k", Limit: 2, Reset: time.Hour, RetryAfter: time.Hour}, slack) {
		t.Errorf("January (offset 1): %d admitted, last %+v; want 2, refused with RetryAfter 1h", n, last)
	}
	advance(s, time.Hour)
	if n, last := count(); n != 3 || !near(last, throttle.Result{Refused: throttle.RefusedQuota, Key: "k", Limit: 3, Reset: 29 * 24 * time.Hour, RetryAfter: 29 * 24 * time.Hour}, slack) {
		t.Errorf("February 2024: %d admitted, last %+v; want 3, RetryAfter 29 days", n, last)
	}
	if rem, err := s.AdjustQuota(context.Background(), "k", q.Quota, 5); err != nil || rem != 5 {
		t.Errorf("AdjustQuota(+5) = %d, %v; want 5", rem, err)
	}
	if n, _ := count(); n != 5 {
		t.Errorf("after granting 5: %d admitted, want 5", n)
	}
	advance(s, 29*24*time.Hour)
	if n, _ := count(); n != 3 {
		t.Errorf("March: %d admitted, want 3", n)
	}
}

// TestStoreWindowsMatch checks the windows the script computes against
// throttle.Quota.Window, across leap years, year ends and weekdays.
func TestStoreWindowsMatch(t *testing.T) {
	addr := needRedis(t)
	s := newStore(t, addr, noCache)
	instants := []time.Time{
		utc(2024, 2, 29, 13, 0), utc(2024, 12, 31, 23, 0), utc(2025, 1, 1, 1, 0),
		utc(2023, 2, 28, 12, 0), utc(2100, 2, 28, 12, 0), utc(2000, 2, 29, 12, 0),
		utc(2026, 11, 29, 0, 30), utc(2026, 11, 28, 23, 30), utc(1999, 12, 31, 12, 0),
		utc(2024, 3, 10, 1, 0), utc(2030, 6, 15, 8, 0),
	}
	for _, at := range instants {
		for _, p := range []throttle.Period{throttle.Day, throttle.Week, throttle.Month} {
			q := throttle.Quota{Limit: 100, Period: p}
			key := fmt.Sprintf("%s-%d", p, at.Unix())
			setClock(t, s, at)
			res := mustTake(t, s, throttle.TakeRequest{Quota: &throttle.QuotaCheck{Key: key, Quota: q}})
			_, end := q.Window(at)
			if want := end.Sub(at); res.Reset > want || want-res.Reset > slack {
				t.Errorf("%v at %v: Reset %v, want %v (window ends %v)", p, at, res.Reset, want, end)
			}
		}
	}
}

func TestStoreUsage(t *testing.T) {
	addr := needRedis(t)
	s := newStore(t, addr, noCache)
	ctx := context.Background()
	setClock(t, s, utc(2024, 2, 27, 22, 0))
	q := throttle.Quota{Limit: 100, Period: throttle.Month}
	req := throttle.TakeRequest{Quota: &throttle.QuotaCheck{Key: "k", Quota: q}}
	for _, day := range []int{3, 5} {
		for range day {
			mustTake(t, s, req)
		}
		advance(s, 24*time.Hour)
	}
	if rem, err := s.AdjustQuota(ctx, "k", q, -100); err != nil || rem != 0 {
		t.Errorf("AdjustQuota(-100) = %d, %v; want 0", rem, err)
	}
	if res := mustTake(t, s, req); res.Refused != throttle.RefusedQuota {
		t.Errorf("after taking all away: %+v, want refused", res)
	}
	if rem, err := s.AdjustQuota(ctx, "k", q, 3); err != nil || rem != 0 {
		t.Errorf("AdjustQuota(+3) = %d, %v; want 0 (3 back of 8 over)", rem, err)
	}
	got, err := s.Usage(ctx, "k", utc(2024, 2, 26, 0, 0), utc(2024, 2, 29, 23, 59))
	if err != nil {
		t.Fatal(err)
	}
	want := []throttle.DailyUsage{
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

// TestStoreKeysExpire checks that every key has a TTL.
func TestStoreKeysExpire(t *testing.T) {
	addr := needRedis(t)
	s := newStore(t, addr, noCache)
	mustTake(t, s, throttle.TakeRequest{
		Rates: []throttle.RateCheck{{Key: "r", Rate: throttle.Rate{PerSecond: 1, Burst: 5}}},
		Quota: &throttle.QuotaCheck{Key: "q", Quota: throttle.Quota{Limit: 5, Period: throttle.Week}},
	})
	ctx := context.Background()
	keys, err := s.client.Keys(ctx, "{"+s.opts.HashTag+"}*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Errorf("keys %q, want a bucket, an account and a day's usage", keys)
	}
	for _, k := range keys {
		ttl, err := s.client.PTTL(ctx, k).Result()
		if err != nil || ttl <= 0 {
			t.Errorf("PTTL %s = %v, %v; want a TTL", k, ttl, err)
		}
	}
	if ttl := s.client.PTTL(ctx, s.rateKey+"r").Val(); ttl > time.Second+time.Millisecond {
		t.Errorf("bucket TTL %v, want at most until it is full (1 s)", ttl)
	}
}

func TestNewValidates(t *testing.T) {
	addr := needRedis(t)
	c := newClient(t, addr)
	for _, o := range []Options{{HashTag: "a{b"}, {LocalShare: 2}, {Timeout: -1}} {
		if _, err := New(c, o); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", o)
		}
	}
	if _, err := New(nil, Options{}); err == nil {
		t.Error("New(nil) succeeded")
	}
}
