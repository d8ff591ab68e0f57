package throttle

import (
	"sync"
	"time"
)

// t0 is the instant the tests start at: Wednesday 2024-02-14 12:00 UTC.
var t0 = time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC)

// fakeClock is a clock the test moves by hand. It is storetest.Clock
// over again because the tests of package throttle cannot import
// storetest, which imports throttle.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// ShardOf exports shardOf to the external tests (package throttle_test),
// which cannot be internal: they run storetest's suite, and storetest
// imports throttle.
var ShardOf = shardOf
