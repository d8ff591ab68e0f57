package redisstore

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatekit/gatekit/throttle"
)

const blockShards = 16 // a power of two

// blockCache remembers refused keys until they could admit again. It is
// safe for concurrent use: 16 shards, a mutex each, each a map of at most
// per entries. Expired entries are dropped when read, and swept when a
// full shard takes a new key; if none has expired, an arbitrary entry
// makes room. It starts no goroutines.
type blockCache struct {
	seed   maphash.Seed
	per    int
	size   atomic.Int64 // entries held, so that an empty cache costs no lock
	shards [blockShards]blockShard
}

type blockShard struct {
	mu sync.Mutex
	m  map[blockKey]blockEntry // guarded by mu
	_  [48]byte
}

// blockKey tells a rate key from a quota key of the same name.
type blockKey struct {
	quota bool
	key   string
}

// blockEntry is a refusal as Redis gave it; instants are Store.mono.
type blockEntry struct {
	until   int64 // the entry expires
	retryAt int64 // a request could be admitted again
	full    int64 // the bucket is full, or the window ends
	noRetry bool  // waiting cannot help (zero rate or quota limit)
	refused throttle.Refusal
	limit   int64
	remain  int64
}

func newBlockCache(size int) *blockCache {
	return &blockCache{seed: maphash.MakeSeed(), per: max(1, (size+blockShards-1)/blockShards)}
}

func (c *blockCache) shard(k blockKey) *blockShard {
	return &c.shards[maphash.String(c.seed, k.key)&(blockShards-1)]
}

func (c *blockCache) get(k blockKey, now int64) (blockEntry, bool) {
	sh := c.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.m[k]
	if ok && e.until <= now {
		delete(sh.m, k)
		c.size.Add(-1)
		return blockEntry{}, false
	}
	return e, ok
}

func (c *blockCache) put(k blockKey, e blockEntry, now int64) {
	sh := c.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.m == nil {
		sh.m = make(map[blockKey]blockEntry)
	}
	if _, ok := sh.m[k]; !ok {
		if len(sh.m) >= c.per {
			for old, oe := range sh.m {
				if oe.until <= now {
					delete(sh.m, old)
					c.size.Add(-1)
				}
			}
		}
		if len(sh.m) >= c.per {
			for old := range sh.m {
				delete(sh.m, old)
				c.size.Add(-1)
				break
			}
		}
		c.size.Add(1)
	}
	sh.m[k] = e
}

// block remembers the refusal res, which Redis made after the mono
// instant sent: sent + RetryAfter is never later than the instant the
// key could admit again.
func (s *Store) block(res throttle.Result, sent int64) {
	e := blockEntry{
		retryAt: sent + int64(res.RetryAfter),
		full:    sent + int64(res.Reset),
		noRetry: res.RetryAfter == 0,
		refused: res.Refused,
		limit:   res.Limit,
		remain:  res.Remaining,
	}
	e.until = sent + int64(s.opts.MaxBlock)
	if !e.noRetry {
		e.until = min(e.until, e.retryAt)
	}
	s.blocked.put(blockKey{quota: res.Refused == throttle.RefusedQuota, key: res.Key}, e, s.mono())
}

// cached answers req from the cache of blocked keys, if it names one: a
// spent quota first, else the rate that waits longest.
func (s *Store) cached(req throttle.TakeRequest, now int64) (throttle.Result, bool) {
	c := s.blocked
	if c == nil || c.size.Load() == 0 {
		return throttle.Result{}, false
	}
	var (
		best  blockEntry
		key   string
		found bool
	)
	if qc := req.Quota; qc != nil {
		best, found = c.get(blockKey{quota: true, key: qc.Key}, now)
		key = qc.Key
	}
	if !found {
		for _, rc := range req.Rates {
			if rc.Rate.PerSecond >= throttle.Inf {
				continue
			}
			if e, ok := c.get(blockKey{key: rc.Key}, now); ok && (!found || e.retryAt > best.retryAt) {
				best, key, found = e, rc.Key, true
			}
		}
	}
	if !found {
		return throttle.Result{}, false
	}
	res := throttle.Result{
		Refused:   best.refused,
		Key:       key,
		Limit:     best.limit,
		Remaining: best.remain,
		Reset:     time.Duration(max(best.full-now, 0)),
	}
	if !best.noRetry {
		res.RetryAfter = time.Duration(max(best.retryAt-now, 1))
	}
	return res, true
}

// forget drops k.
func (c *blockCache) forget(k blockKey) {
	sh := c.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, ok := sh.m[k]; ok {
		delete(sh.m, k)
		c.size.Add(-1)
	}
}
