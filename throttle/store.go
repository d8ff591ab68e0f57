package throttle

import (
	"context"
	"errors"
	"time"
)

// The outcomes callers branch on. A [Store] reports refusals in
// [Result].Refused, not as errors; [Result.Err] turns them into these.
var (
	// ErrRateLimited: a rate limit refused the request (the gateway
	// answers 429 "Too Many Requests").
	ErrRateLimited = errors.New("throttle: rate limited")
	// ErrQuotaExceeded: the key's quota for the window is spent (the
	// gateway answers 429 "Limit Exceeded").
	ErrQuotaExceeded = errors.New("throttle: quota exceeded")
	// ErrNoPlan: the API key is on no usage plan covering the stage,
	// and the stage has plans (the gateway answers 403).
	ErrNoPlan = errors.New("throttle: API key is on no usage plan for this stage")
)

// MaxRates is the most rate checks one [TakeRequest] may carry.
const MaxRates = 8

// Store keeps the state of rate limits and quotas. Take applies every
// check of one request atomically: the request is admitted only if all of
// them admit it, and then each consumes one token (and the quota one
// request); if any refuses, nothing is consumed. A store times the checks
// by its own clock, so that gateways with skewed clocks sharing a store
// agree.
//
// Take returns an error only when the store cannot answer (a network
// failure, a cancelled ctx, a malformed request); a refusal is a Result
// with Refused set and a nil error. Implementations must be safe for
// concurrent use.
type Store interface {
	Take(ctx context.Context, req TakeRequest) (Result, error)
}

// StoreFunc adapts a function to a [Store].
type StoreFunc func(ctx context.Context, req TakeRequest) (Result, error)

// Take calls f.
func (f StoreFunc) Take(ctx context.Context, req TakeRequest) (Result, error) {
	return f(ctx, req)
}

// UsageStore is a [Store] that also records how many requests each quota
// key made per UTC day, and lets the remaining quota be adjusted, as the
// managed service's usage API does.
type UsageStore interface {
	Store
	// Usage returns the admitted requests of quotaKey for each UTC day
	// from the day of from to the day of to, both included, oldest
	// first, days without requests included as zero.
	Usage(ctx context.Context, quotaKey string, from, to time.Time) ([]DailyUsage, error)
	// AdjustQuota adds delta to what remains of quotaKey's quota q in
	// the current window: a positive delta grants more requests, a
	// negative one takes some away. It returns what then remains. The
	// recorded daily usage is not changed.
	AdjustQuota(ctx context.Context, quotaKey string, q Quota, delta int64) (remaining int64, err error)
}

// DailyUsage is the number of requests admitted on one UTC day.
type DailyUsage struct {
	// Day is 00:00 UTC of the day.
	Day time.Time
	// Used counts the requests admitted that day.
	Used int64
}

// TakeRequest is the set of checks for one request.
type TakeRequest struct {
	// Rates are the token buckets to take from, at most [MaxRates], keys
	// distinct. A bucket is shared by every request naming its Key.
	Rates []RateCheck
	// Quota, if not nil, is the quota counter to count the request in.
	Quota *QuotaCheck
}

// RateCheck names a token bucket and its rate.
type RateCheck struct {
	Key  string
	Rate Rate
}

// QuotaCheck names a quota counter and its quota.
type QuotaCheck struct {
	Key   string
	Quota Quota
}

// Refusal says which limit refused a request.
type Refusal uint8

// The refusals. The zero Refusal admits the request.
const (
	NotRefused    Refusal = iota // the request is admitted
	RefusedRate                  // a rate limit refused it: ErrRateLimited
	RefusedQuota                 // the quota is spent: ErrQuotaExceeded
	RefusedNoPlan                // the key is on no plan (Limiter only): ErrNoPlan
)

// String returns the refusal's name.
func (r Refusal) String() string {
	switch r {
	case NotRefused:
		return "admitted"
	case RefusedRate:
		return "rate limited"
	case RefusedQuota:
		return "quota exceeded"
	case RefusedNoPlan:
		return "no plan"
	}
	return "unknown refusal"
}

// Result is the answer to one [TakeRequest].
//
// Limit, Remaining and Reset feed the RateLimit-Limit,
// RateLimit-Remaining and RateLimit-Reset headers of the IETF draft. They
// describe one check: the one that refused the request, or, when the
// request was admitted, the one with the fewest requests remaining (the
// most restrictive right now). For a rate check, Limit is the burst and
// Reset the time until the bucket is full; for a quota, Limit is the
// window's limit and Reset the time until the window ends. If the request
// made no limited check, Key is empty and the figures are zero.
type Result struct {
	// Refused is NotRefused when the request is admitted.
	Refused Refusal
	// Key is the key of the check the figures describe.
	Key string
	// Plan is the usage plan whose limits the request met, if any. Stores
	// leave it empty; [Limiter.Check] sets it.
	Plan string
	// Limit is that check's capacity.
	Limit int64
	// Remaining is what that check has left after this request.
	Remaining int64
	// Reset is the time until that check is back at Limit.
	Reset time.Duration
	// RetryAfter, for a refused request, is the wait before the same
	// request could be admitted: until a token is back for the slowest
	// refusing bucket, or the end of the quota window. It is 0 when
	// waiting cannot help (a zero Rate or a zero quota Limit).
	RetryAfter time.Duration
}

// Allowed reports whether the request was admitted.
func (r Result) Allowed() bool { return r.Refused == NotRefused }

// Err returns nil for an admitted request, else [ErrRateLimited],
// [ErrQuotaExceeded] or [ErrNoPlan].
func (r Result) Err() error {
	switch r.Refused {
	case NotRefused:
		return nil
	case RefusedRate:
		return ErrRateLimited
	case RefusedQuota:
		return ErrQuotaExceeded
	}
	return ErrNoPlan
}
