package throttle

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/clocktest"
)

func TestRateValidate(t *testing.T) {
	tests := []struct {
		name string
		rate Rate
		want string // a part of the error, "" for none
	}{
		{"zero blocks", Rate{}, ""},
		{"zero with burst", Rate{Burst: 3}, ""},
		{"steady", Rate{PerSecond: 10, Burst: 5}, ""},
		{"fraction", Rate{PerSecond: 0.5, Burst: 1}, ""},
		{"unlimited", Rate{PerSecond: Inf}, ""},
		{"negative rate", Rate{PerSecond: -1, Burst: 1}, "Rate.PerSecond -1 is negative"},
		{"NaN rate", Rate{PerSecond: math.NaN(), Burst: 1}, "Rate.PerSecond is NaN"},
		{"negative burst", Rate{Burst: -1}, "Rate.Burst -1 is negative"},
		{"no burst", Rate{PerSecond: 10}, "Rate.Burst must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rate.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestGCRAExact drives one bucket with a request every millisecond of
// simulated time: it admits the burst at once, then exactly one request
// per emission interval.
func TestGCRAExact(t *testing.T) {
	tests := []struct {
		name        string
		rate        Rate
		burstTries  int           // requests at t0
		run         time.Duration // then one request a millisecond for this long
		wantBurst   int           // admitted at t0
		wantAfter   int           // admitted in (t0, t0+run]
		wantRefused int           // refused in (t0, t0+run]
	}{
		{"10/s burst 5", Rate{PerSecond: 10, Burst: 5}, 20, 10 * time.Second, 5, 100, 10000 - 100},
		{"3/s burst 2", Rate{PerSecond: 3, Burst: 2}, 5, 10 * time.Second, 2, 30, 10000 - 30},
		// With a burst of 1 the bucket cannot hold the part of a token
		// that accrues between the millisecond ticks, so each admission
		// comes up to 1 ms late: 29, not 30, in 10 s.
		{"3/s burst 1", Rate{PerSecond: 3, Burst: 1}, 5, 10 * time.Second, 1, 29, 10000 - 29},
		{"1000/s burst 100", Rate{PerSecond: 1000, Burst: 100}, 200, time.Second, 100, 1000, 0},
		{"0.5/s burst 2", Rate{PerSecond: 0.5, Burst: 2}, 3, 10 * time.Second, 2, 5, 10000 - 5},
		{"zero rate", Rate{}, 3, time.Second, 0, 0, 1000},
		{"unlimited", Rate{PerSecond: Inf}, 3, time.Second, 3, 1000, 0},
		{"+Inf", Rate{PerSecond: math.Inf(1)}, 3, time.Second, 3, 1000, 0},
		{"faster than the clock", Rate{PerSecond: 2e9, Burst: 1}, 3, time.Second, 1, 1000, 0},
		{"slower than a century", Rate{PerSecond: 1e-30, Burst: 5}, 3, time.Second, 1, 0, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := clocktest.NewClock(t0)
			s := &MemoryStore{Clock: clock.Now}
			req := TakeRequest{Rates: []RateCheck{{Key: "k", Rate: tt.rate}}}
			take := func() bool {
				res, err := s.Take(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				return res.Allowed()
			}
			burst := 0
			for range tt.burstTries {
				if take() {
					burst++
				}
			}
			after, refused := 0, 0
			for range tt.run / time.Millisecond {
				clock.Advance(time.Millisecond)
				if take() {
					after++
				} else {
					refused++
				}
			}
			if burst != tt.wantBurst || after != tt.wantAfter || refused != tt.wantRefused {
				t.Errorf("admitted %d at once, then %d admitted and %d refused; want %d, %d and %d",
					burst, after, refused, tt.wantBurst, tt.wantAfter, tt.wantRefused)
			}
		})
	}
}

// TestGCRAResult checks the figures of each answer for a 10/s bucket of
// 3: what remains, when it is full again, and how long to wait.
func TestGCRAResult(t *testing.T) {
	clock := clocktest.NewClock(t0)
	s := &MemoryStore{Clock: clock.Now}
	req := TakeRequest{Rates: []RateCheck{{Key: "k", Rate: Rate{PerSecond: 10, Burst: 3}}}}
	ms := time.Millisecond
	steps := []struct {
		name    string
		advance time.Duration
		want    Result
	}{
		{"first", 0, Result{Key: "k", Limit: 3, Remaining: 2, Reset: 100 * ms}},
		{"second", 0, Result{Key: "k", Limit: 3, Remaining: 1, Reset: 200 * ms}},
		{"third", 0, Result{Key: "k", Limit: 3, Remaining: 0, Reset: 300 * ms}},
		{"refused", 0, Result{Refused: RefusedRate, Key: "k", Limit: 3, Reset: 300 * ms, RetryAfter: 100 * ms}},
		{"refused later", 60 * ms, Result{Refused: RefusedRate, Key: "k", Limit: 3, Reset: 240 * ms, RetryAfter: 40 * ms}},
		{"one token back", 40 * ms, Result{Key: "k", Limit: 3, Remaining: 0, Reset: 300 * ms}},
		{"full after idle", time.Hour, Result{Key: "k", Limit: 3, Remaining: 2, Reset: 100 * ms}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			clock.Advance(st.advance)
			got, err := s.Take(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if got != st.want {
				t.Errorf("Take() = %+v, want %+v", got, st.want)
			}
		})
	}
}
