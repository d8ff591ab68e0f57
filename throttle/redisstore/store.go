package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatekit/gatekit/internal/redisopt"
	"github.com/gatekit/gatekit/throttle"
	"github.com/redis/go-redis/v9"
)

// ErrUnavailable wraps the errors of calls that Redis did not answer in
// time, or answered with an error.
var ErrUnavailable = errors.New("redisstore: Redis unavailable")

// errStale is the answer of a script that ran after its caller gave up.
var errStale = errors.New("redisstore: the check ran after its deadline and changed nothing")

// Defaults of [Options].
const (
	DefaultHashTag     = "gatekit"
	DefaultTimeout     = 50 * time.Millisecond
	DefaultBlockedKeys = 10000
	DefaultMaxBlock    = time.Second
)

// probeEvery is how often a fail-open Store that has fallen back asks
// Redis whether it is back.
const probeEvery = time.Second

// Options configure [New]. The zero Options are a fail-closed store
// under the hash tag "gatekit" with a 50 ms timeout.
type Options struct {
	// HashTag is put, in braces, at the start of every Redis key, so
	// that a Redis Cluster keeps all of them in one slot and one script
	// may touch any of them. Stores with different tags share nothing.
	// If empty, DefaultHashTag. It may not contain braces.
	HashTag string
	// FailOpen chooses what a check does when Redis does not answer:
	// false (fail-closed) returns an error wrapping ErrUnavailable, for
	// which the gateway answers 503; true answers from a local
	// throttle.MemoryStore with every rate scaled by LocalShare and no
	// quota, until Redis answers again.
	FailOpen bool
	// LocalShare is the share of each rate (PerSecond and Burst) this
	// instance allows itself when it falls back, typically 1/N for N
	// instances. If zero, 1. It must be in [0, 1].
	LocalShare float64
	// Timeout bounds each call to Redis. If zero, DefaultTimeout.
	Timeout time.Duration
	// Logger receives one line when Redis stops answering and one when
	// it answers again. If nil, slog.Default().
	Logger *slog.Logger
	// BlockedKeys is how many refused keys the local cache of blocked
	// keys holds. If zero, DefaultBlockedKeys; if negative, there is no
	// cache and every check asks Redis.
	BlockedKeys int
	// MaxBlock is the longest a refused key is answered from the local
	// cache without asking Redis, even if its reset is later: it bounds
	// how long a grant (AdjustQuota) or a changed rate made through
	// another instance goes unseen here. If zero, DefaultMaxBlock.
	MaxBlock time.Duration
	// UsageRetention is how long daily usage is kept after its day. If
	// zero, throttle.DefaultUsageRetention.
	UsageRetention time.Duration
}

// Store is a [throttle.UsageStore] on Redis, shared by every gateway
// instance that uses the same Redis and hash tag.
//
// Each Take is one Lua script, sent as EVALSHA (EVAL when Redis does
// not have it cached yet), so one round trip; it runs atomically and
// reads the time from the Redis server, so instances with skewed clocks
// agree. Its decisions are those of [throttle.MemoryStore] at the
// server's instant.
//
// A refused key is remembered locally (see [Options].BlockedKeys), and
// further checks naming it are refused without a call to Redis until it
// could admit again, or MaxBlock has passed.
//
// A Store is safe for concurrent use. It starts no goroutines.
type Store struct {
	client    redis.UniversalClient
	opts      Options
	rateKey   string      // prefix of bucket keys
	quotaKey  string      // prefix of account hashes
	usageKey  string      // prefix of daily usage counters
	blocked   *blockCache // nil without a cache
	local     throttle.MemoryStore
	epoch     time.Time // base of mono
	down      atomic.Bool
	nextProbe atomic.Int64 // mono instant of the next probe while down
	fallbacks atomic.Uint64
	// skew is a lower bound of the server's clock minus ours, in ns,
	// learnt from the last answer; valid once haveSkew is set.
	skew     atomic.Int64
	haveSkew atomic.Bool
	// offset is added to the server's clock; only tests set it.
	offset atomic.Int64
}

var _ throttle.UsageStore = (*Store)(nil)

// New returns a Store on the client. It starts no goroutines and makes
// no call to Redis.
//
// So that Timeout bounds every call, a *redis.Client, *redis.ClusterClient
// or *redis.Ring must have ContextTimeoutEnabled set (go-redis ignores a
// context's deadline otherwise); New fails if it has not.
func New(client redis.UniversalClient, opts Options) (*Store, error) {
	if err := redisopt.CheckClient(client); err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}
	var errs []error
	if strings.ContainsAny(opts.HashTag, "{}") {
		errs = append(errs, fmt.Errorf("redisstore: Options.HashTag %q contains a brace", opts.HashTag))
	}
	if math.IsNaN(opts.LocalShare) || opts.LocalShare < 0 || opts.LocalShare > 1 {
		errs = append(errs, fmt.Errorf("redisstore: Options.LocalShare %v is not in [0, 1]", opts.LocalShare))
	}
	if opts.Timeout < 0 || opts.MaxBlock < 0 || opts.UsageRetention < 0 {
		errs = append(errs, errors.New("redisstore: Options.Timeout, MaxBlock and UsageRetention may not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.HashTag == "" {
		opts.HashTag = DefaultHashTag
	}
	if opts.LocalShare == 0 {
		opts.LocalShare = 1
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.BlockedKeys == 0 {
		opts.BlockedKeys = DefaultBlockedKeys
	}
	if opts.MaxBlock == 0 {
		opts.MaxBlock = DefaultMaxBlock
	}
	if opts.UsageRetention == 0 {
		opts.UsageRetention = throttle.DefaultUsageRetention
	}
	tag := "{" + opts.HashTag + "}"
	s := &Store{
		client:   client,
		opts:     opts,
		rateKey:  tag + "r|",
		quotaKey: tag + "q|",
		usageKey: tag + "u|",
		epoch:    time.Now(),
	}
	if opts.BlockedKeys > 0 {
		s.blocked = newBlockCache(opts.BlockedKeys)
	}
	s.local.UsageRetention = opts.UsageRetention
	return s, nil
}

// Fallbacks returns how many checks were answered by the local fallback
// store because Redis did not answer, since the Store was made.
func (s *Store) Fallbacks() uint64 { return s.fallbacks.Load() }

// mono returns the time on the local monotonic clock, in ns.
func (s *Store) mono() int64 { return int64(time.Since(s.epoch)) }

// Take applies req's checks atomically in Redis, as [throttle.Store]
// describes, in one round trip; or answers a refusal from the cache of
// blocked keys; or, failing open while Redis is away, answers from the
// local fallback. Its error wraps ErrUnavailable (fail-closed), or is
// ctx's when ctx ends first.
func (s *Store) Take(ctx context.Context, req throttle.TakeRequest) (throttle.Result, error) {
	if n := len(req.Rates); n > throttle.MaxRates {
		return throttle.Result{}, fmt.Errorf("redisstore: TakeRequest has %d rates, more than MaxRates (%d)", n, throttle.MaxRates)
	}
	if !limited(req) {
		return throttle.Result{}, nil // as MemoryStore: nothing to count
	}
	now := s.mono()
	if res, ok := s.cached(req, now); ok {
		return res, nil
	}
	if s.opts.FailOpen && s.down.Load() && !s.probeDue(now) {
		return s.fallback(ctx, req)
	}
	res, err := s.takeRedis(ctx, req, now)
	if err == nil {
		s.markUp()
		return res, nil
	}
	if ctx.Err() != nil {
		// The caller gave up: no verdict on Redis.
		return throttle.Result{}, ctx.Err()
	}
	s.markDown(err)
	if s.opts.FailOpen {
		return s.fallback(ctx, req)
	}
	return throttle.Result{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// limited reports whether req has a quota or a rate that is not
// unlimited.
func limited(req throttle.TakeRequest) bool {
	if req.Quota != nil {
		return true
	}
	for _, rc := range req.Rates {
		if !(rc.Rate.PerSecond >= throttle.Inf) { // NaN blocks, as in MemoryStore
			return true
		}
	}
	return false
}

// takeRedis runs the take script. sent is the mono instant before the
// call.
func (s *Store) takeRedis(ctx context.Context, req throttle.TakeRequest, sent int64) (throttle.Result, error) {
	var (
		idx  [throttle.MaxRates]uint8 // the req.Rates index of each key sent
		n    int
		keys = make([]string, 0, len(req.Rates)+2)
		args = make([]any, 5, 5+4*len(req.Rates)+5)
	)
	for i, rc := range req.Rates {
		if rc.Rate.PerSecond >= throttle.Inf {
			continue // admits all, keeps no state, described by nothing
		}
		idx[n], n = uint8(i), n+1
		keys = append(keys, s.rateKey+rc.Key)
		if rc.Rate.PerSecond > 0 {
			t, tol := interval(rc.Rate)
			args = append(args, 0, t, tol, rc.Rate.Burst)
		} else {
			args = append(args, 1, 0, 0, rc.Rate.Burst)
		}
	}
	if qc := req.Quota; qc != nil {
		q := qc.Quota
		keys = append(keys, s.quotaKey+qc.Key, s.usageKey+qc.Key+"|")
		zero := 0
		if q.Limit == 0 {
			zero = 1
		}
		args = append(args, string(q.Period), q.Limit, q.Offset, q.Start.Unix(), zero)
	}
	// The script is told when the caller gives up, on the server's
	// clock, estimated from below: a call that Redis runs late, after a
	// pause, changes nothing, so a check answered by the fallback is
	// not counted in Redis as well.
	giveUp := time.Now().Add(s.opts.Timeout)
	ctx, cancel := context.WithDeadline(ctx, giveUp)
	defer cancel()
	var deadline int64 // in server µs; 0 before the first answer
	if s.haveSkew.Load() {
		deadline = (giveUp.UnixNano() + s.skew.Load()) / 1000
	}
	offSec, offNs := splitOffset(s.offset.Load())
	args[0], args[1], args[2], args[3], args[4] = n, deadline, offSec, offNs, s.opts.UsageRetention.Milliseconds()

	v, err := takeScript.Run(ctx, s.client, keys, args...).Int64Slice()
	if err != nil {
		return throttle.Result{}, err
	}
	if len(v) == 3 && v[0] == -1 {
		s.learnSkew(v[1], v[2])
		return throttle.Result{}, errStale
	}
	if len(v) != 8 {
		return throttle.Result{}, fmt.Errorf("redisstore: unexpected script reply %v", v)
	}
	s.learnSkew(v[6], v[7])
	res := throttle.Result{
		Refused:    throttle.Refusal(v[0]),
		Limit:      v[2],
		Remaining:  v[3],
		Reset:      time.Duration(v[4]),
		RetryAfter: time.Duration(v[5]),
	}
	switch i := int(v[1]); {
	case i >= 1 && i <= n:
		res.Key = req.Rates[idx[i-1]].Key
	case i == n+1 && req.Quota != nil:
		res.Key = req.Quota.Key
	}
	if !res.Allowed() && s.blocked != nil && res.Key != "" {
		s.block(res, sent)
	}
	return res, nil
}

// learnSkew notes the server's time (s, µs) as of now.
func (s *Store) learnSkew(sec, usec int64) {
	s.skew.Store(sec*1e9 + usec*1e3 - time.Now().UnixNano())
	s.haveSkew.Store(true)
}

// splitOffset splits ns into whole seconds and ns in [0, 1e9).
func splitOffset(ns int64) (sec, rem int64) {
	sec, rem = ns/1e9, ns%1e9
	if rem < 0 {
		sec, rem = sec-1, rem+1e9
	}
	return sec, rem
}

// interval is throttle.Rate's emission interval T and burst tolerance
// in ns, computed as throttle computes it. r must be positive and
// finite.
func interval(r throttle.Rate) (t, tol int64) {
	const maxInterval = float64(100 * 365 * 24 * time.Hour)
	ns := min(float64(time.Second)/r.PerSecond, maxInterval)
	t = max(int64(math.Round(ns)), 1)
	tol = max(int64(math.Round(min(ns*float64(r.Burst), maxInterval))), t)
	return t, tol
}
