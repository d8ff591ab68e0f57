package redisstore

import (
	"context"
	"testing"
	"time"

	"github.com/gatekit/gatekit/throttle"
	"github.com/gatekit/gatekit/throttle/storetest"
)

// slack is how much shorter than exact the durations a Store reports
// may be, the server's clock having run on during a test.
const slack = time.Second

// noCache are Options for tests that move the server's clock, which the
// cache of blocked keys, on the local clock, does not see.
var noCache = Options{BlockedKeys: -1}

// TestStoreConformance runs the suite every store passes. Redis's clock
// cannot be faked, so the Store has an offset, set only by tests, that
// the scripts add to the server's TIME: the store is put at the suite's
// clock and follows it as it moves. The server's clock still runs during
// a test, so durations are checked to within slack below the exact
// value; the suite's rates are slow enough (or its jumps long enough)
// that a few milliseconds change no decision.
func TestStoreConformance(t *testing.T) {
	addr := needRedis(t)
	storetest.Run(t, func(t *testing.T, clock *storetest.Clock) throttle.UsageStore {
		clock.Slack = slack
		return newClocked(t, newStore(t, addr, noCache), clock)
	})
}

// clocked is a Store whose clock follows a storetest.Clock: before each
// call it sets the offset so that the server's clock, as it was when
// the Store was made, reads the Clock's instant.
type clocked struct {
	*Store
	clock  *storetest.Clock
	server time.Time // the server's TIME when clocked was made
}

func newClocked(t testing.TB, s *Store, clock *storetest.Clock) *clocked {
	t.Helper()
	now, err := s.client.Time(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	return &clocked{Store: s, clock: clock, server: now}
}

func (c *clocked) follow() { c.offset.Store(int64(c.clock.Now().Sub(c.server))) }

func (c *clocked) Take(ctx context.Context, req throttle.TakeRequest) (throttle.Result, error) {
	c.follow()
	return c.Store.Take(ctx, req)
}

func (c *clocked) Usage(ctx context.Context, quotaKey string, from, to time.Time) ([]throttle.DailyUsage, error) {
	c.follow()
	return c.Store.Usage(ctx, quotaKey, from, to)
}

func (c *clocked) AdjustQuota(ctx context.Context, quotaKey string, q throttle.Quota, delta int64) (int64, error) {
	c.follow()
	return c.Store.AdjustQuota(ctx, quotaKey, q, delta)
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
