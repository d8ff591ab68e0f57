// Package throttle decides whether a request may proceed: token-bucket
// rate limits, usage plans and quotas, as the managed API gateway has
// them. It knows nothing of package gateway; the gateway hands a
// [Limiter] a [Request] and answers its [Result].
//
// # Rates
//
// A [Rate] is a token bucket: a steady rate (PerSecond) and a capacity
// (Burst). Stores run it as GCRA, which keeps one number per key (the
// theoretical arrival time) and admits exactly what the token bucket
// admits; [Rate] spells out the mapping. The zero Rate blocks everything,
// as a throttle of 0 does in the managed service; a PerSecond of [Inf]
// admits everything.
//
// # Quotas
//
// A [Quota] caps the requests of one API key per [Day], [Week] or
// [Month]. Windows are aligned in UTC: days start at midnight, weeks on
// Sunday, months on the first. Offset is the managed service's: the
// number of requests subtracted from the limit in the initial window, the
// one containing the quota's Start; it does not move the windows.
// [Quota.Window] and [Quota.LimitAt] are pure functions of the time.
//
// # Usage plans and levels
//
// A [Plan] names the stages it covers, a per-key Throttle, per-key
// per-route MethodThrottles and a per-key Quota. A [Limiter] composes the
// managed service's levels for each request:
//
//   - gateway-wide, by default [DefaultGatewayPerSecond] (10,000 requests
//     a second) with [DefaultGatewayBurst] (5,000), per process: it guards
//     the process, and with a shared store it is kept in memory so that
//     requests with no other limit never wait on the store;
//   - per stage route ([StageLimits]: a stage default, route overrides);
//   - per API key through its plan (Throttle and Quota);
//   - per API key and route through its plan (MethodThrottles).
//
// It asks the [Store] for all the others in one [Store.Take], so the most
// restrictive decides and a refused request consumes nothing there; a
// request that meets no limit does not ask the Store at all. Plans and
// keys change while requests are checked ([Limiter.PutPlan],
// [Limiter.Attach], [Limiter.Detach]). An API key on no plan covering a
// stage that has plans is refused with [RefusedNoPlan] ([ErrNoPlan]): the
// gateway answers 403.
//
// # Outcomes
//
// Refusals are results, not errors: [Result].Refused says which limit
// refused ([RefusedRate]: 429 "Too Many Requests"; [RefusedQuota]: 429
// "Limit Exceeded"), and [Result.Err] gives the sentinel ([ErrRateLimited],
// [ErrQuotaExceeded], [ErrNoPlan]) for errors.Is. An error from Take means
// the store could not answer, which the gateway handles by its own
// fail-open or fail-closed setting. Result's Limit, Remaining, Reset and
// RetryAfter fill the RateLimit-* and Retry-After headers.
//
// # Stores
//
// [Store] has one method, so that a shared store can run each request's
// checks, rates and quota together, as one atomic operation timed by its
// own clock: for Redis, one script and one round trip. [UsageStore] adds
// daily usage ([UsageStore.Usage]) and quota adjustment
// ([UsageStore.AdjustQuota]), as the managed service's usage API does.
//
// [MemoryStore] is the in-process store: 64 shards by key hash, a mutex
// each, no global lock, no goroutines; stale buckets and counters are
// dropped lazily as new keys come in, so memory stays bounded. Its clock
// can be injected.
//
// # Concurrency
//
// [MemoryStore] and [Limiter] are safe for concurrent use. Nothing in this
// package starts a goroutine.
package throttle
