package throttle

import (
	"context"
	"fmt"
	"hash/maphash"
	"sync"
	"time"
)

const (
	numShards  = 64 // a power of two
	sweepProbe = 4  // stale-entry candidates looked at per insert
	minSweep   = 64 // entries a shard holds before it sweeps in full
	// sweepEvery is the longest a shard that takes new keys goes
	// without a full sweep.
	sweepEvery = int64(time.Minute)
	// idleGrace is how long a bucket stays full before it is dropped.
	idleGrace = int64(time.Minute)
	dayNanos  = int64(24 * time.Hour)
	// maxUsageDays bounds the days one Usage call returns.
	maxUsageDays = 1000
)

// DefaultUsageRetention is how long a [MemoryStore] keeps daily usage
// when its UsageRetention is zero.
const DefaultUsageRetention = 90 * 24 * time.Hour

// MemoryStore is a [UsageStore] held in this process's memory.
//
// The zero MemoryStore is ready to use. Set Clock and UsageRetention
// before the first call, if at all. A MemoryStore is safe for concurrent
// use: its state is split over 64 shards by key hash, each under its own
// mutex, and a Take locks only the shards of its keys (in shard order, so
// that requests sharing keys cannot deadlock). It starts no goroutines.
//
// Memory stays bounded without a sweeper. A bucket whose theoretical
// arrival time has passed is full, the same as absent, so it may be
// dropped; it is, once it has been full for a minute. A quota counter is
// dropped once its window has ended and its daily usage is older than
// UsageRetention. Each insert of a new key looks at a few entries of its
// shard and drops the stale ones; and a shard that has doubled since its
// last full sweep, or last swept more than a minute ago, sweeps all its
// entries as a new key comes in and rebuilds its maps, so that the memory
// is given back too.
//
// A MemoryStore waits on nothing but its shard locks, and never fails on
// a well-formed request; it does not look at the context.
type MemoryStore struct {
	// Clock returns the current time. If nil, time.Now is used.
	Clock func() time.Time
	// UsageRetention is how long daily usage is kept. If zero,
	// DefaultUsageRetention.
	UsageRetention time.Duration

	shards [numShards]shard
}

var _ UsageStore = (*MemoryStore)(nil)

// shard is a part of a MemoryStore.
type shard struct {
	mu       sync.Mutex
	rates    table[*bucket]  // guarded by mu
	accounts table[*account] // key → quota counter; guarded by mu
	_        [64]byte        // keeps neighbouring mutexes off one cache line
}

// bucket is the state of one rate key: its theoretical arrival time in
// Unix nanoseconds. It is a pointer in the map, so that a Take on a known
// key changes it without writing the map.
type bucket struct{ tat int64 }

// account is the quota counter of one key and its daily usage.
type account struct {
	period     Period
	start, end int64 // the current window in Unix nanoseconds
	used       int64 // requests counted in the window
	days       []dayCount
	keepUntil  int64 // the account may be dropped from then on
}

// dayCount is the usage of one UTC day.
type dayCount struct {
	day  int64 // days since the Unix epoch
	used int64
}

func (s *MemoryStore) now() int64 {
	if s.Clock != nil {
		return s.Clock().UnixNano()
	}
	return time.Now().UnixNano()
}

func (s *MemoryStore) retention() int64 {
	if s.UsageRetention > 0 {
		return int64(s.UsageRetention)
	}
	return int64(DefaultUsageRetention)
}

// shardSeed seeds the shard hash. It is set once, when the package is
// loaded, and never changed.
var shardSeed = maphash.MakeSeed()

// shardOf returns the shard index of key.
func shardOf(key string) uint8 {
	return uint8(maphash.String(shardSeed, key) & (numShards - 1))
}

// Take applies req's checks atomically, as [Store] describes. It returns
// an error only for a request with more than [MaxRates] rates.
func (s *MemoryStore) Take(_ context.Context, req TakeRequest) (Result, error) {
	n := len(req.Rates)
	if n > MaxRates {
		return Result{}, fmt.Errorf("throttle: TakeRequest has %d rates, more than MaxRates (%d)", n, MaxRates)
	}
	var (
		idx    [MaxRates + 1]uint8 // shard of each check; idx[n] is the quota's
		order  [MaxRates + 1]uint8 // distinct shards, ascending
		nOrder int
		tats   [MaxRates]int64
		found  [MaxRates]*bucket
	)
	for i := range req.Rates {
		idx[i] = shardOf(req.Rates[i].Key)
	}
	checks := n
	if req.Quota != nil {
		idx[n] = shardOf(req.Quota.Key)
		checks++
	}
	for _, x := range idx[:checks] {
		j := nOrder
		for j > 0 && order[j-1] > x {
			j--
		}
		if j > 0 && order[j-1] == x {
			continue
		}
		copy(order[j+1:nOrder+1], order[j:nOrder])
		order[j] = x
		nOrder++
	}
	for _, x := range order[:nOrder] {
		s.shards[x].mu.Lock()
	}
	defer func() {
		for _, x := range order[:nOrder] {
			s.shards[x].mu.Unlock()
		}
	}()

	now := s.now()
	var res Result
	described, describedRefusal := false, false
	// describe makes the check the one res describes if it refuses and
	// waits longest (ties: the first), or, while nothing has refused, if
	// it has the fewest requests remaining (ties: the longest reset).
	describe := func(refused bool, key string, limit, remaining int64, reset, retry time.Duration) {
		switch {
		case refused && (!describedRefusal || retry > res.RetryAfter):
			describedRefusal = true
		case !refused && !describedRefusal && (!described || remaining < res.Remaining ||
			remaining == res.Remaining && reset > res.Reset):
		default:
			return
		}
		described = true
		res.Key, res.Limit, res.Remaining, res.Reset, res.RetryAfter = key, limit, remaining, reset, retry
	}

	// Phase 1: decide, changing nothing.
	refusal := NotRefused
	for i, rc := range req.Rates {
		var tat int64
		if b := s.shards[idx[i]].rates.m[rc.Key]; b != nil {
			tat, found[i] = b.tat, b
		}
		for j := range i {
			if req.Rates[j].Key == rc.Key {
				tat = tats[j]
			}
		}
		allowed, next, remaining, reset, retry := gcra(rc.Rate, tat, now)
		tats[i] = next
		if rc.Rate.unlimited() {
			continue
		}
		if !allowed {
			refusal = RefusedRate
		}
		describe(!allowed, rc.Key, int64(rc.Rate.Burst), remaining, reset, retry)
	}
	var acct *account
	fresh := false
	if qc := req.Quota; qc != nil {
		acct = s.shards[idx[n]].accounts.m[qc.Key]
		if acct == nil {
			acct, fresh = &account{}, true
		}
		acct.roll(qc.Quota, now)
		limit := qc.Quota.limitIn(acct.start, acct.end)
		reset := time.Duration(acct.end - now)
		if acct.used < limit {
			describe(false, qc.Key, limit, limit-acct.used-1, reset, 0)
		} else {
			// A spent quota is what the client needs to hear of, even if
			// a rate refused too: its wait is the longer one.
			refusal, describedRefusal = RefusedQuota, false
			retry := reset
			if qc.Quota.Limit == 0 {
				retry = 0
			}
			describe(true, qc.Key, limit, max(limit-acct.used, 0), reset, retry)
		}
	}
	res.Refused = refusal
	if refusal != NotRefused {
		return res, nil
	}

	// Phase 2: commit. Known buckets first: once written, they are not
	// stale, so the inserts after cannot drop them.
	for i, rc := range req.Rates {
		if b := found[i]; b != nil && !rc.Rate.unlimited() {
			b.tat = tats[i]
		}
	}
	for i, rc := range req.Rates {
		if found[i] != nil || rc.Rate.unlimited() {
			continue
		}
		t := &s.shards[idx[i]].rates
		if b := t.m[rc.Key]; b != nil { // named twice in req
			b.tat = tats[i]
		} else {
			t.insert(rc.Key, &bucket{tat: tats[i]}, now, rateStale)
		}
	}
	if acct != nil {
		acct.count(now, s.retention())
		if fresh {
			s.shards[idx[n]].accounts.insert(req.Quota.Key, acct, now, accountStale)
		}
	}
	return res, nil
}

// rateStale reports whether b has been full for a minute: it is dropped
// then rather than at once, so that a steady client does not have its
// bucket dropped and made again between its requests.
func rateStale(b *bucket, now int64) bool     { return b.tat+idleGrace <= now }
func accountStale(a *account, now int64) bool { return a.keepUntil <= now }

// table is a map that drops stale entries as it grows. It is not safe
// for concurrent use.
type table[V any] struct {
	m     map[string]V
	high  int   // the most entries since the last rebuild
	next  int   // the size at which to sweep in full
	swept int64 // when it last swept in full, Unix nanoseconds
}

// insert adds a new key, first dropping a few stale entries. It sweeps
// in full, rebuilding the map, when the map has doubled since the last
// full sweep, when that sweep is a minute old, or when the map holds a
// quarter of what it once held. A full sweep costs time in proportion to
// the shard's size, at most once a minute or once per doubling.
func (t *table[V]) insert(key string, v V, now int64, stale func(V, int64) bool) {
	if t.m == nil {
		t.m, t.next, t.swept = make(map[string]V), minSweep, now
	}
	probed := 0
	for k, old := range t.m {
		if stale(old, now) {
			delete(t.m, k)
		}
		if probed++; probed == sweepProbe {
			break
		}
	}
	t.m[key] = v
	l := len(t.m)
	t.high = max(t.high, l)
	if l >= t.next || now-t.swept >= sweepEvery || (t.high >= minSweep && l < t.high/4) {
		t.rebuild(now, stale)
	}
}

// rebuild copies the live entries to a new map, so that the old one's
// memory is freed.
func (t *table[V]) rebuild(now int64, stale func(V, int64) bool) {
	m := make(map[string]V, len(t.m))
	for k, v := range t.m {
		if !stale(v, now) {
			m[k] = v
		}
	}
	t.m, t.high, t.next, t.swept = m, len(m), max(2*len(m), minSweep), now
}

// Len returns the number of buckets and quota counters held, stale ones
// not yet dropped included.
func (s *MemoryStore) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.rates.m) + len(sh.accounts.m)
		sh.mu.Unlock()
	}
	return n
}
