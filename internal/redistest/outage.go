package redistest

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// RefusedAddr is a loopback address where nothing listens: a connection
// to it is refused at once.
const RefusedAddr = "127.0.0.1:1"

// An Outage is a Redis that does not answer, for tests of what a
// store's calls do then.
type Outage struct {
	Name string                    // for t.Run
	Addr func(t testing.TB) string // the address of such a Redis
}

// Outages returns the outages the stores' tests try: "refused", at
// [RefusedAddr], and "silent", a [SilentServer].
//
// A client of either needs ContextTimeoutEnabled for a call to end at
// its context's deadline: without it, go-redis waits ReadTimeout (3 s)
// on the silent server.
func Outages() []Outage {
	return []Outage{
		{"refused", func(testing.TB) string { return RefusedAddr }},
		{"silent", SilentServer},
	}
}

// grace is how much longer than its timeout a call may take: under the
// race detector a goroutine may wait this long for a CPU.
const grace = 200 * time.Millisecond

// FailsWithin checks that do, a call with the given timeout, fails in
// about that time with an error that wraps want and starts with prefix
// (such as "rediscache: Get: "). It logs each error.
//
// It calls do three times and judges the quickest, which may take up to
// 200 ms more than timeout: a machine busy with other work may not run
// the deadline's timer on time once, but a call that does not honour
// its timeout is late every time.
func FailsWithin(t testing.TB, timeout time.Duration, want error, prefix string, do func() error) {
	t.Helper()
	best := time.Hour
	for range 3 {
		start := time.Now()
		err := do()
		took := time.Since(start)
		if !errors.Is(err, want) {
			t.Fatalf("error %v does not wrap %v", err, want)
		}
		if !strings.HasPrefix(err.Error(), prefix) {
			t.Fatalf("error %q does not start with %q", err, prefix)
		}
		best = min(best, took)
		t.Logf("%v after %v", err, took)
	}
	if best > timeout+grace {
		t.Errorf("took at least %v, want at most the timeout (%v) + %v", best, timeout, grace)
	}
}
