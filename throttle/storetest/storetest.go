package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/clocktest"
	"github.com/gatekit/gatekit/throttle"
)

// T0 is the instant most of the suite starts its clocks at: Wednesday
// 2024-02-14 12:00 UTC.
var T0 = time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)

// Clock is a clock the suite moves by hand (Now, Set, Advance). Its
// methods are safe for concurrent use.
type Clock struct {
	clocktest.Clock
	// Slack is how much shorter than the exact figure a duration the
	// store reports (Reset, RetryAfter) may be, because the store's
	// clock ran on since the Clock was last moved. A factory sets it
	// before returning the store; zero, the default, demands exact
	// figures.
	Slack time.Duration
}

// NewClock returns a Clock at at.
func NewClock(at time.Time) *Clock {
	c := &Clock{}
	c.Set(at)
	return c
}

// NewStoreFunc returns a new, empty store whose clock follows clock, for
// the test t. Anything it opens should be closed by t.Cleanup.
type NewStoreFunc func(t *testing.T, clock *Clock) throttle.UsageStore

// Run runs the conformance suite, each check as a subtest of t on a
// store of its own from newStore.
func Run(t *testing.T, newStore NewStoreFunc) {
	t.Helper()
	tests := []struct {
		name string
		run  func(*testing.T, NewStoreFunc)
	}{
		{"AllOrNothing", testAllOrNothing},
		{"Describes", testDescribes},
		{"DuplicateKeys", testDuplicateKeys},
		{"BurstThenSteady", testBurstThenSteady},
		{"QuotaWindows", testQuotaWindows},
		{"WindowsMatch", testWindowsMatch},
		{"Usage", testUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, newStore) })
	}
}

// start returns a clock at at and a store following it.
func start(t *testing.T, newStore NewStoreFunc, at time.Time) (*Clock, throttle.UsageStore) {
	t.Helper()
	clock := NewClock(at)
	return clock, newStore(t, clock)
}

// MustTake returns s.Take's Result for req, and ends the test if it
// fails.
func MustTake(t testing.TB, s throttle.Store, req throttle.TakeRequest) throttle.Result {
	t.Helper()
	res, err := s.Take(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// near reports whether got is want but for durations up to slack
// shorter, as they are when the store's clock moved on a little. With
// no slack it is equality.
func near(got, want throttle.Result, slack time.Duration) bool {
	if slack == 0 {
		return got == want
	}
	d := func(g, w time.Duration) bool { return g <= w && w-g <= slack }
	return got.Refused == want.Refused && got.Key == want.Key && got.Limit == want.Limit &&
		got.Remaining == want.Remaining && d(got.Reset, want.Reset) && d(got.RetryAfter, want.RetryAfter)
}

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}
