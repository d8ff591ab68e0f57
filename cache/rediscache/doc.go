// Package rediscache keeps gatekit's response cache in Redis: [Store] is a
// [cache.Store], so that several gateway instances serve each other's
// cached responses. It takes a go-redis [redis.UniversalClient]: a single
// node, Sentinel, a Ring or a Redis Cluster.
//
// # Sharing
//
// Stores on the same Redis under the same hash tag ([Options].HashTag)
// share one cache: an entry one instance stores, every other instance
// finds, until its TTL ends, Redis evicts it, or a [Store.Delete] or
// [Store.Flush] on any instance removes it. Redis expires entries itself
// (SET … PX), so no instance sweeps anything. Give every instance the
// same Options: an instance that cannot read an entry (another
// EncryptionKey, a smaller MaxEntryBytes) treats it as corrupt and
// deletes it.
//
// # Key layout
//
// Under the hash tag T, an entry whose cache key is K is the string
//
//	{T}:K
//
// holding [cache.Marshal]'s encoding of the entry, or its encryption. The
// braces make a Redis Cluster keep every entry of a Store in one slot, so
// one master holds the whole cache; use different tags to spread several
// caches over a cluster. Flush(prefix) SCANs for "{T}:" + prefix + "*",
// with the glob characters of the prefix escaped, 1000 keys a batch, and
// UNLINKs what it finds; on a Cluster or a Ring it scans every master or
// shard.
//
// # Encryption at rest
//
// With [Options].EncryptionKey (16, 24 or 32 bytes: AES-128, -192 or
// -256), each value is sealed with AES-GCM before it is stored:
//
//	0xE1 | 12-byte random nonce | ciphertext | 16-byte tag
//
// The leading byte marks the value as sealed, so a Store without a key
// never mistakes one for an entry. The full Redis key is the additional
// authenticated data: a value copied under another key, by mistake or by
// someone with write access to Redis, fails to open rather than being
// served for the wrong request. Whoever reads Redis sees the size and TTL
// of each entry and its cache key (the gateway's keys are the API and
// stage, then a SHA-256 of the rest, see [cache.Key]), not its status,
// headers or body. A random nonce
// bounds a key to some 2³² entries stored; rotate it well before then.
// Rotating it leaves the old entries unreadable: they are misses, and
// are deleted as they are met.
//
// # Failures are misses
//
// Every call to Redis is bounded by [Options].Timeout (50 ms by default);
// [New] insists on a client with ContextTimeoutEnabled, without which
// go-redis ignores the deadline. An error whose cause is Redis not
// answering (refused or reset connections, timeouts, a closed client or
// exhausted pool, LOADING, READONLY, CLUSTERDOWN and the like) wraps
// [ErrUnavailable]; one for a value the Store cannot read (corrupt,
// sealed with another key, moved from another key, larger than
// [Options].MaxEntryBytes) wraps [cache.ErrCorrupt], and such a value is
// deleted. When the caller's context ends first, the error wraps the
// context's error instead: Redis may be fine. Every error names the
// operation ("rediscache: Get: …").
//
// The gateway treats any error from a Store as a miss, so a Redis outage
// costs latency (at most Timeout a call) and backend load, never a failed
// request.
//
// # Concurrency
//
// A Store is safe for concurrent use. It holds no state of its own beyond
// its settings, and starts no goroutines; Flush on a Cluster or a Ring
// scans the nodes concurrently, in go-redis's goroutines, which end
// before it returns.
package rediscache
