package rediscache

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/internal/redisopt"
	"github.com/redis/go-redis/v9"
)

// Defaults of [Options].
const (
	DefaultHashTag       = "gatekit-cache"
	DefaultTimeout       = 50 * time.Millisecond
	DefaultMaxEntryBytes = 8 << 20
)

// Options configure [New]. The zero Options are an unencrypted cache
// under the hash tag "gatekit-cache", with a 50 ms timeout and entries of
// at most 8 MiB.
type Options struct {
	// HashTag is put, in braces, at the start of every Redis key, so that
	// a Redis Cluster keeps the whole cache in one slot. Stores with
	// different tags share nothing. If empty, DefaultHashTag. It may not
	// contain braces.
	HashTag string
	// EncryptionKey, if set, encrypts every entry at rest with AES-GCM.
	// It must be 16, 24 or 32 bytes long (AES-128, AES-192, AES-256).
	// Every Store sharing the cache needs the same key. New does not keep
	// the slice. If nil, entries are stored in the clear; an empty
	// non-nil key is an error.
	EncryptionKey []byte
	// Timeout bounds each call: Get, Set and Delete as a whole, and each
	// round trip of Flush. If zero, DefaultTimeout.
	Timeout time.Duration
	// MaxEntryBytes is the largest value, as stored in Redis, that Get
	// reads back, and that Set stores; Get reads no more than this of a
	// larger one, so that a value planted under a cache key cannot make
	// the gateway allocate without bound. If zero, DefaultMaxEntryBytes.
	MaxEntryBytes int
}

// Store is a [cache.Store] on Redis, shared by every gateway instance
// that uses the same Redis and hash tag; see the package documentation.
//
// Get is one GETRANGE, Set one SET, Delete one DEL; Flush is SCAN and
// UNLINK, a round trip per 1000 keys. A Store is safe for concurrent use
// and starts no goroutines.
type Store struct {
	client   redis.UniversalClient
	prefix   string // "{tag}:", before every cache key
	timeout  time.Duration
	maxEntry int
	aead     cipher.AEAD // nil without an EncryptionKey
}

var _ cache.Store = (*Store)(nil)

// New returns a Store on the client. It makes no call to Redis and starts
// no goroutines.
//
// So that Timeout bounds every call, a *redis.Client, *redis.ClusterClient
// or *redis.Ring must have ContextTimeoutEnabled set (go-redis ignores a
// context's deadline otherwise); New fails if it has not. It also fails
// for a HashTag with a brace, an EncryptionKey of another length than 16,
// 24 or 32 bytes, and a negative Timeout or MaxEntryBytes.
func New(client redis.UniversalClient, opts Options) (*Store, error) {
	if err := redisopt.CheckClient(client); err != nil {
		return nil, fmt.Errorf("rediscache: %w", err)
	}
	var errs []error
	if strings.ContainsAny(opts.HashTag, "{}") {
		errs = append(errs, fmt.Errorf("rediscache: Options.HashTag %q contains a brace", opts.HashTag))
	}
	// An empty but non-nil key is refused too: it is more likely a
	// setting that failed to load than a wish to store in the clear.
	if n := len(opts.EncryptionKey); opts.EncryptionKey != nil && n != 16 && n != 24 && n != 32 {
		errs = append(errs, fmt.Errorf("rediscache: Options.EncryptionKey is %d bytes long, want 16, 24 or 32", n))
	}
	if opts.Timeout < 0 {
		errs = append(errs, fmt.Errorf("rediscache: Options.Timeout %v is negative", opts.Timeout))
	}
	if opts.MaxEntryBytes < 0 {
		errs = append(errs, fmt.Errorf("rediscache: Options.MaxEntryBytes %d is negative", opts.MaxEntryBytes))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.HashTag == "" {
		opts.HashTag = DefaultHashTag
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxEntryBytes == 0 {
		opts.MaxEntryBytes = DefaultMaxEntryBytes
	}
	s := &Store{
		client:   client,
		prefix:   "{" + opts.HashTag + "}:",
		timeout:  opts.Timeout,
		maxEntry: opts.MaxEntryBytes,
	}
	if opts.EncryptionKey != nil {
		aead, err := newAEAD(opts.EncryptionKey)
		if err != nil {
			return nil, fmt.Errorf("rediscache: Options.EncryptionKey: %w", err)
		}
		s.aead = aead
	}
	return s, nil
}

// Get implements [cache.Store]: it returns the entry under key, or nil
// if there is none. A value it cannot read gives an error wrapping
// [cache.ErrCorrupt], and is deleted.
func (s *Store) Get(ctx context.Context, key string) (*cache.Entry, error) {
	rk := s.prefix + key
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	// GETRANGE rather than GET: at most one byte more than MaxEntryBytes
	// crosses the network, however large the value. No key and an empty
	// value are both "": no entry is ever stored empty.
	v, err := s.client.GetRange(cctx, rk, 0, int64(s.maxEntry)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fail(ctx, "Get", err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	e, err := s.decode(rk, v)
	if err != nil {
		// Best effort: if this fails, the next Get tries again.
		_ = s.client.Del(cctx, rk).Err()
		return nil, &opError{op: "Get", err: err}
	}
	return e, nil
}

// decode returns the entry that the value v under the Redis key rk
// holds. v is not kept: the entry's Body may alias it or not.
func (s *Store) decode(rk string, v []byte) (*cache.Entry, error) {
	if len(v) > s.maxEntry {
		return nil, fmt.Errorf("%w: the value of %q is larger than Options.MaxEntryBytes (%d)", cache.ErrCorrupt, rk, s.maxEntry)
	}
	if s.aead != nil {
		pt, err := s.open(rk, v)
		if err != nil {
			return nil, err
		}
		v = pt
	}
	e, err := cache.Unmarshal(v)
	if err != nil {
		return nil, fmt.Errorf("the value of %q: %w", rk, err)
	}
	return e, nil
}

// Set implements [cache.Store]: it stores e under key for ttl, rounded
// down to the millisecond (up, below 1 ms). A ttl of zero or less stores
// nothing. An entry larger, once encoded, than MaxEntryBytes is not
// stored: Set returns an error.
func (s *Store) Set(ctx context.Context, key string, e *cache.Entry, ttl time.Duration) error {
	if e == nil {
		return &opError{op: "Set", err: errors.New("nil entry")}
	}
	if ttl <= 0 {
		return nil
	}
	rk := s.prefix + key
	v := cache.Marshal(e)
	if s.aead != nil {
		v = s.seal(rk, v)
	}
	if len(v) > s.maxEntry {
		return &opError{op: "Set", err: fmt.Errorf("the entry of %d bytes is larger than Options.MaxEntryBytes (%d)", len(v), s.maxEntry)}
	}
	// go-redis sends PX, or EX for whole seconds; below a millisecond it
	// would log and send 1 ms.
	ttl = max(ttl, time.Millisecond)
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.Set(cctx, rk, v, ttl).Err(); err != nil {
		return fail(ctx, "Set", err)
	}
	return nil
}

// Delete implements [cache.Store]: it removes the entry under key, if
// any.
func (s *Store) Delete(ctx context.Context, key string) error {
	cctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.client.Del(cctx, s.prefix+key).Err(); err != nil {
		return fail(ctx, "Delete", err)
	}
	return nil
}
