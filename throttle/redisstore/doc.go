// Package redisstore keeps gatekit's shared state on Redis, so that
// several gateway instances share rate limits, quotas, usage and API
// keys: [Store] is a [throttle.UsageStore], [KeyStore] an [auth.KeyStore].
// Both take a go-redis [redis.UniversalClient]: a single node, Sentinel,
// or a Redis Cluster.
//
// # One check, one round trip
//
// [Store.Take] sends all the checks of one request (the gateway-wide,
// stage-route, key and key-route buckets, and the key's quota) as one
// Lua script: EVALSHA, or EVAL the first time Redis sees it. The script
// runs atomically, so a request is admitted by all its limits or
// consumes nothing, and no two instances can both take the last token.
// It reads the time with redis.call('TIME'), so instances with skewed
// clocks agree. Its arithmetic is [throttle.MemoryStore]'s: GCRA with
// one number per bucket (the theoretical arrival time, in Unix
// nanoseconds), the same emission interval and tolerance, the same
// choice of the check a [throttle.Result] describes. Lua numbers are
// doubles, exact to 2⁵³ only, so the script keeps instants as seconds
// plus nanoseconds and works relative to the current second: exact for
// waits up to 104 days.
//
// # Quota windows
//
// The script computes the UTC window (day, week from Sunday, month)
// from the server's clock itself, with integer calendar arithmetic,
// rather than picking among candidate windows the client would send:
// the client's clock then plays no part at all, however skewed, and the
// request carries four numbers instead of six. Offset and Start have
// [throttle.Quota]'s meaning. A quota account is a hash {period, window
// start, window end, count} that expires at its window's end; daily
// usage is a counter per quota key and UTC day that expires
// UsageRetention after the day. [Store.Usage] reads a range of days with
// one MGET; [Store.AdjustQuota] changes the current window's count with
// one script, atomic with every check.
//
// # Keys and Redis Cluster
//
// A script may only touch keys of one Cluster slot, and a check touches
// buckets that every request shares (gateway-wide, per stage route) with
// a quota that a key's plan shares across stages. So every key of a
// Store carries the same hash tag, {gatekit} by default
// ([Options].HashTag):
//
//	{tag}r|<bucket key>         a bucket's TAT; expires when the bucket is full
//	{tag}q|<quota key>          a quota account; expires at the window's end
//	{tag}u|<quota key>|<day>    a day's usage; expires UsageRetention after it
//
// This keeps every limit exact, and a Cluster works (no CROSSSLOT), but
// a Store's throttling state lives on one master: it is not sharded.
// One slot's master runs tens of thousands of these scripts a second,
// and refused keys cost it nothing (see below). To spread the load,
// give separate groups of APIs Stores with different tags, each with
// its own Limiter: limits are then exact within a group, and the
// gateway-wide bucket becomes per group. A tag per API stage would
// shard further, but would split a key's quota across the stages of its
// plan, which the managed service counts as one.
//
// # Blocked keys
//
// Once Redis refuses a check, the refusing key is remembered with its
// RetryAfter, and checks naming it are refused locally, with no call,
// until then: a flood from one key costs Redis nothing. The wait is
// counted from before the call was sent, so the cache never refuses
// after Redis would have admitted. An entry lasts at most
// [Options].MaxBlock (1 s by default) so that a quota granted through
// another instance, or a rate changed, is seen within that time;
// AdjustQuota forgets the key at once on the Store it is called on. The
// cache is a sharded map capped at [Options].BlockedKeys entries;
// expired entries are dropped as they are met, with no goroutine.
//
// # When Redis does not answer
//
// Each call is bounded by [Options].Timeout (50 ms by default); [New]
// insists on a client with ContextTimeoutEnabled, without which go-redis
// ignores the deadline. Then:
//
//   - fail-closed (the default): Take returns an error wrapping
//     [ErrUnavailable]; the gateway answers 503.
//   - fail-open ([Options].FailOpen): Take answers from a local
//     [throttle.MemoryStore] with each rate scaled by
//     [Options].LocalShare (1/N for N instances) and no quota, and
//     counts it in [Store.Fallbacks]. After a failure only one call a
//     second goes to Redis, to see if it is back; the first that
//     succeeds switches the Store back. One line is logged when Redis
//     goes away and one when it comes back.
//
// Nothing is counted twice. A fallback admission is not counted in
// Redis. And a check that timed out may still reach Redis later, after a
// pause, when its request was answered by the fallback: so each script
// carries its caller's deadline, on the server's clock as estimated from
// the last answer (from below, so it errs early), and one that runs
// after it changes nothing. Quota usage in Redis misses what the
// fallback admitted.
//
// # Concurrency
//
// [Store] and [KeyStore] are safe for concurrent use. Nothing in this
// package starts a goroutine.
package redisstore
