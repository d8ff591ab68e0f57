package redisstore

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gatekit/gatekit/throttle"
)

// load runs checks from 8 goroutines for d, and reports how many were
// made, how many admitted, and the longest one took. Errors are counted,
// not fatal.
type loadStats struct {
	checks, admitted, errs int64
	longest                time.Duration
}

func runLoad(s *Store, req throttle.TakeRequest, d time.Duration) loadStats {
	var (
		checks, admitted, errs atomic.Int64
		mu                     sync.Mutex
		longest                time.Duration
		wg                     sync.WaitGroup
	)
	end := time.Now().Add(d)
	for range 8 {
		wg.Go(func() {
			for time.Now().Before(end) {
				start := time.Now()
				res, err := s.Take(context.Background(), req)
				took := time.Since(start)
				checks.Add(1)
				switch {
				case err != nil:
					errs.Add(1)
				case res.Allowed():
					admitted.Add(1)
				}
				mu.Lock()
				longest = max(longest, took)
				mu.Unlock()
				if err != nil {
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	return loadStats{checks.Load(), admitted.Load(), errs.Load(), longest}
}

// TestOutage stops a redis-server of the test's own under load (SIGSTOP:
// calls hang), resumes it, kills it (calls are refused), and starts it
// again on the same port, with a fail-open and a fail-closed Store.
func TestOutage(t *testing.T) {
	srv := startServer(t)
	const timeout = 50 * time.Millisecond
	// Under the race detector, on a CI machine busy with other packages'
	// tests, a goroutine may wait for a CPU: a check may take this much
	// more than its timeout. A check that waited for Redis would take the
	// whole pause, which is longer.
	const grace = 400 * time.Millisecond
	const pause = 1200 * time.Millisecond
	var logs logCounter
	open := newStore(t, srv.addr, Options{FailOpen: true, LocalShare: 0.5, Timeout: timeout, Logger: slog.New(&logs)})
	// (The two Stores have hash tags of their own: closed's checks are
	// not counted in open's usage.)
	closed := newStore(t, srv.addr, Options{Timeout: timeout, Logger: slog.New(&logCounter{})})
	ctx := context.Background()
	req := throttle.TakeRequest{
		// A rate no load here reaches, even at the fallback's share: the
		// fallback answers at memory speed, millions of checks a second.
		Rates: []throttle.RateCheck{{Key: "gw", Rate: throttle.Rate{PerSecond: 1e9, Burst: 1e9}}},
		Quota: &throttle.QuotaCheck{Key: "q", Quota: throttle.Quota{Limit: 1 << 40, Period: throttle.Month}},
	}
	usage := func(s *Store) int64 {
		t.Helper()
		now := time.Now()
		u, err := s.Usage(ctx, "q", now, now)
		if err != nil {
			t.Fatal(err)
		}
		return u[0].Used
	}
	// waitBack runs checks until one is answered by Redis again; the
	// Store probes once a second.
	var openChecks int64 // checks made of open, each admitted
	waitBack := func(s *Store) {
		t.Helper()
		for deadline := time.Now().Add(3 * time.Second); s.down.Load(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the Store did not go back to Redis within 3 s")
			}
			if _, err := s.Take(ctx, req); err != nil {
				t.Fatal(err)
			}
			openChecks++
		}
	}

	// Redis up: everything is counted in Redis.
	st := runLoad(open, req, 200*time.Millisecond)
	if st.errs != 0 || open.Fallbacks() != 0 || st.admitted != st.checks {
		t.Fatalf("Redis up: %+v, %d fallbacks; want all admitted by Redis", st, open.Fallbacks())
	}
	openChecks += st.checks

	// Paused: calls hang until Timeout, then the fallback answers.
	srv.signal(syscall.SIGSTOP)
	st = runLoad(open, req, pause)
	openChecks += st.checks
	fb := open.Fallbacks()
	t.Logf("paused, fail-open: %+v, %d fallbacks", st, fb)
	if st.errs != 0 || st.admitted != st.checks || fb == 0 || int64(fb) != st.checks {
		t.Errorf("paused, fail-open: %+v, %d fallbacks; want every check admitted by the fallback", st, fb)
	}
	if st.longest > timeout+grace {
		t.Errorf("paused, fail-open: a check took %v, want at most the timeout %v", st.longest, timeout)
	}
	start := time.Now()
	_, err := closed.Take(ctx, req)
	if took := time.Since(start); !errors.Is(err, ErrUnavailable) || took > timeout+grace {
		t.Errorf("paused, fail-closed: Take() = %v after %v, want ErrUnavailable within %v", err, took, timeout)
	}

	// Resumed: the checks Redis had queued while paused ran after their
	// deadline and changed nothing; the Store goes back to Redis.
	srv.signal(syscall.SIGCONT)
	waitBack(open)
	fb = open.Fallbacks()
	st = runLoad(open, req, 200*time.Millisecond)
	openChecks += st.checks
	if open.Fallbacks() != fb || st.errs != 0 {
		t.Errorf("resumed: %+v, %d more fallbacks; want all answered by Redis", st, open.Fallbacks()-fb)
	}
	if _, err := closed.Take(ctx, req); err != nil {
		t.Errorf("resumed, fail-closed: %v", err)
	}
	// Every admitted check is counted once: by Redis or by the fallback.
	// Without the deadline the scripts carry, the checks that were in
	// flight when Redis stopped would run when it resumed, and be
	// counted in Redis too.
	if got, want := usage(open), openChecks-int64(open.Fallbacks()); got != want {
		t.Errorf("usage in Redis %d, want %d (%d checks less %d fallbacks): counted twice or lost",
			got, want, openChecks, open.Fallbacks())
	}

	// Killed: connections are refused, quickly.
	srv.kill()
	fb = open.Fallbacks()
	st = runLoad(open, req, 300*time.Millisecond)
	t.Logf("killed, fail-open: %+v, %d fallbacks", st, open.Fallbacks()-fb)
	if st.errs != 0 || st.admitted != st.checks || open.Fallbacks()-fb != uint64(st.checks) || st.longest > timeout+grace {
		t.Errorf("killed, fail-open: %+v, %d fallbacks; want all admitted by the fallback within the timeout", st, open.Fallbacks()-fb)
	}
	st = runLoad(closed, req, 100*time.Millisecond)
	if st.errs != st.checks || st.longest > timeout+grace {
		t.Errorf("killed, fail-closed: %+v; want every check an error within the timeout", st)
	}

	// Restarted on the same port, empty and without the script: both
	// Stores go back to it without a restart of their own.
	srv.restart()
	waitBack(open)
	if _, err := closed.Take(ctx, req); err != nil {
		t.Errorf("restarted, fail-closed: %v", err)
	}
	before := usage(open)
	fb = open.Fallbacks()
	st = runLoad(open, req, 200*time.Millisecond)
	if st.errs != 0 || open.Fallbacks() != fb {
		t.Errorf("restarted: %+v, %d fallbacks; want all answered by Redis", st, open.Fallbacks()-fb)
	}
	if got := usage(open) - before; got != st.admitted {
		t.Errorf("restarted: usage grew by %d for %d admitted checks", got, st.admitted)
	}
	// One line when Redis went away (the pause and the kill), one when
	// it came back: not one per request.
	if logs.warn.Load() != 2 || logs.info.Load() != 2 {
		t.Errorf("logged %d warnings and %d infos, want 2 and 2", logs.warn.Load(), logs.info.Load())
	}
}

// TestFallbackShare: the fallback allows LocalShare of each rate.
func TestFallbackShare(t *testing.T) {
	got := scale(throttle.Rate{PerSecond: 100, Burst: 100}, 1.0/3)
	if got.Burst != 33 || got.PerSecond < 33.3 || got.PerSecond > 33.4 {
		t.Errorf("scale(100/s, 100; 1/3) = %+v", got)
	}
	if got := scale(throttle.Rate{PerSecond: 1, Burst: 1}, 0.1); got.Burst != 1 {
		t.Errorf("a burst scaled below 1 is %d, want 1", got.Burst)
	}
	for _, r := range []throttle.Rate{{}, {PerSecond: throttle.Inf}} {
		if got := scale(r, 0.5); got != r {
			t.Errorf("scale(%+v) = %+v, want it unchanged", r, got)
		}
	}
}
