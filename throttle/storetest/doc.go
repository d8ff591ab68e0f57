// Package storetest is a conformance suite for implementations of
// [throttle.UsageStore].
//
// A store's tests call [Run] with a factory that returns a new, empty
// store whose clock follows a [Clock]:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, clock *storetest.Clock) throttle.UsageStore {
//			return &throttle.MemoryStore{Clock: clock.Now}
//		})
//	}
//
// The suite checks what every store must do alike: GCRA's figures, that
// a request is admitted by all its checks or consumes nothing, which
// check a Result describes, quota windows and their offset, Usage and
// AdjustQuota. What only one store has (sharding, a memory bound, round
// trips, outages) stays in that store's own tests.
//
// # Clocks that run on
//
// The suite moves the Clock by hand. A store that can follow it exactly,
// such as [throttle.MemoryStore], is held to exact figures. A store whose
// clock keeps running between moves, such as a Redis server's TIME plus
// an offset, sets [Clock.Slack] in its factory: durations it reports may
// then be up to Slack short of the exact ones. Rates and jumps in the
// suite are slow or long enough that a little slack changes no decision.
package storetest
