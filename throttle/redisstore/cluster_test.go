package redisstore

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekit/gatekit/throttle"
)

var stage = throttle.StageRef{API: "pets", Stage: "prod"}

// newCluster returns three Limiters, as three gateway instances would
// have, each on a Store of its own on a client of its own, sharing one
// Redis under one hash tag, with the plan on each and key1 attached.
func newCluster(t *testing.T, plan throttle.Plan) [3]*throttle.Limiter {
	addr := needRedis(t)
	tag := testTag(t, addr)
	var ls [3]*throttle.Limiter
	for i := range ls {
		s := newStore(t, addr, Options{HashTag: tag, Timeout: 2 * time.Second})
		l, err := throttle.NewLimiter(throttle.LimiterConfig{Store: s, Gateway: &throttle.Rate{PerSecond: throttle.Inf}})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.PutPlan(plan); err != nil {
			t.Fatal(err)
		}
		if err := l.Attach(plan.Name, "key1"); err != nil {
			t.Fatal(err)
		}
		ls[i] = l
	}
	return ls
}

// TestClusterQuotaExact: 60 clients spread over three instances send
// 6,000 requests on one key with a quota of 1,000: exactly 1,000 are
// admitted.
func TestClusterQuotaExact(t *testing.T) {
	ls := newCluster(t, throttle.Plan{
		Name:   "gold",
		Stages: []throttle.StageRef{stage},
		Quota:  &throttle.Quota{Limit: 1000, Period: throttle.Day},
	})
	const clients, requests = 60, 6000
	var admitted, refused atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for c := range clients {
		wg.Go(func() {
			l := ls[c%3]
			for range requests / clients {
				res, err := l.Check(context.Background(), throttle.Request{Stage: stage, Route: "GET /pets", APIKey: "key1"})
				if err != nil {
					errs <- err
					return
				}
				switch res.Refused {
				case throttle.NotRefused:
					admitted.Add(1)
				case throttle.RefusedQuota:
					refused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if admitted.Load() != 1000 || refused.Load() != requests-1000 {
		t.Errorf("%d admitted, %d refused for the quota; want exactly 1000 and %d", admitted.Load(), refused.Load(), requests-1000)
	}
	now := time.Now()
	u, err := ls[1].Usage(context.Background(), "gold", "key1", now, now)
	if err != nil || len(u) != 1 || u[0].Used != 1000 {
		t.Errorf("Usage = %v, %v; want 1000 today", u, err)
	}
	t.Logf("quota 1000: %d admitted, %d refused", admitted.Load(), refused.Load())
}

// TestClusterRateExact: 60 clients on three instances hammer a key whose
// plan allows 100 a second with a burst of 100: no second admits more
// than 200.
//
// The time an admission happened is only known to lie between sending
// the check and hearing back. So a window counts the admissions whose
// whole span lies inside it: never more than Redis admitted in that
// window, which GCRA bounds by burst + rate·1 s = 200.
func TestClusterRateExact(t *testing.T) {
	ls := newCluster(t, throttle.Plan{
		Name:     "gold",
		Stages:   []throttle.StageRef{stage},
		Throttle: &throttle.Rate{PerSecond: 100, Burst: 100},
	})
	type span struct{ from, to time.Time }
	const clients, runFor = 60, 2500 * time.Millisecond
	var (
		mu    sync.Mutex
		spans []span
		calls atomic.Int64
		wg    sync.WaitGroup
	)
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			l := ls[c%3]
			for time.Since(start) < runFor {
				from := time.Now()
				res, err := l.Check(context.Background(), throttle.Request{Stage: stage, Route: "GET /pets", APIKey: "key1"})
				to := time.Now()
				calls.Add(1)
				if err != nil {
					t.Error(err)
					return
				}
				if res.Allowed() {
					mu.Lock()
					spans = append(spans, span{from, to})
					mu.Unlock()
				} else {
					// Refused checks are answered from the cache of blocked
					// keys for their RetryAfter; wait a little as a client
					// honouring Retry-After would not, to keep the pressure on.
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.SortFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	most := 0
	for i, w := range spans {
		end := w.from.Add(time.Second)
		n := 0
		for _, x := range spans[i:] {
			if x.from.After(end) {
				break
			}
			if x.to.Before(end) {
				n++
			}
		}
		most = max(most, n)
	}
	total := len(spans)
	t.Logf("%d checks in %v, %d admitted; at most %d in one second", calls.Load(), elapsed, total, most)
	if most > 200 {
		t.Errorf("%d admitted within one second, want at most 200", most)
	}
	if limit := 100 + int(100*elapsed.Seconds()) + 1; total > limit {
		t.Errorf("%d admitted in %v, want at most %d", total, elapsed, limit)
	}
	if floor := 100 + int(100*(runFor-300*time.Millisecond).Seconds()); total < floor {
		t.Errorf("%d admitted in %v, want at least %d: the limit should be reached, not undershot", total, elapsed, floor)
	}
}
