package throttle

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Rate is a token bucket: Burst tokens of capacity, refilled at PerSecond
// tokens a second; each request takes one token.
//
// The zero Rate blocks every request, as a throttle of 0 does in the
// managed service. A PerSecond of [Inf] (or +Inf) admits everything and
// Burst is then ignored. A positive finite PerSecond needs a Burst of
// at least 1. [Rate.Validate] reports anything else.
//
// Stores run a Rate as GCRA (the generic cell rate algorithm), the token
// bucket's exact equivalent keeping one number per key: the theoretical
// arrival time TAT. With the emission interval T = 1s/PerSecond, the
// bucket holds Burst - max(0, TAT-now)/T tokens at instant now; a request
// is admitted when max(TAT, now) + T - now <= Burst*T, and then
// TAT = max(TAT, now) + T. A key whose TAT is not after now is a full
// bucket, the same as no entry at all, so idle keys can be forgotten.
type Rate struct {
	// PerSecond is the steady rate in requests a second: 0 blocks all
	// requests, Inf admits all. Time is counted in nanoseconds, so rates
	// above 10⁹ a second act as 10⁹, and an emission interval is at most
	// a century.
	PerSecond float64
	// Burst is the bucket's capacity: how many requests may arrive at
	// once after an idle spell. It must be at least 1 when PerSecond is
	// positive and finite; it is ignored otherwise.
	Burst int
}

// Inf is the PerSecond of a Rate that admits every request, as is +Inf.
const Inf = math.MaxFloat64

// The managed service's account-level default, which a [Limiter] applies
// gateway-wide when [LimiterConfig].Gateway is nil.
const (
	DefaultGatewayPerSecond = 10000
	DefaultGatewayBurst     = 5000
)

// Validate reports a negative or NaN PerSecond, a negative Burst, and a
// Burst below 1 with a positive finite PerSecond. Each error names the
// field.
func (r Rate) Validate() error { return r.validate("Rate") }

// validate is Validate with the field named name.
func (r Rate) validate(name string) error {
	var errs []error
	switch {
	case math.IsNaN(r.PerSecond):
		errs = append(errs, fmt.Errorf("throttle: %s.PerSecond is NaN", name))
	case r.PerSecond < 0:
		errs = append(errs, fmt.Errorf("throttle: %s.PerSecond %v is negative", name, r.PerSecond))
	}
	switch {
	case r.Burst < 0:
		errs = append(errs, fmt.Errorf("throttle: %s.Burst %d is negative", name, r.Burst))
	case r.Burst < 1 && r.PerSecond > 0 && !r.unlimited():
		errs = append(errs, fmt.Errorf("throttle: %s.Burst must be at least 1 with %s.PerSecond %v", name, name, r.PerSecond))
	}
	return errors.Join(errs...)
}

// blocks reports whether r admits nothing.
func (r Rate) blocks() bool { return !(r.PerSecond > 0) }

// unlimited reports whether r admits everything.
func (r Rate) unlimited() bool { return r.PerSecond >= Inf }

// maxInterval bounds the emission interval and the burst tolerance, so
// that the arithmetic on Unix nanoseconds cannot overflow.
const maxInterval = float64(100 * 365 * 24 * time.Hour)

// interval returns the emission interval T and the burst tolerance
// Burst*T, in nanoseconds, at least 1 and T. r must be positive and
// finite.
func (r Rate) interval() (t, tol int64) {
	ns := min(float64(time.Second)/r.PerSecond, maxInterval)
	t = max(int64(math.Round(ns)), 1)
	tol = max(int64(math.Round(min(ns*float64(r.Burst), maxInterval))), t)
	return t, tol
}

// gcra is the arithmetic of one rate check at instant now (nanoseconds)
// against a stored TAT (0 when the key has none). It returns whether the request is admitted, the TAT to store if it is,
// the tokens left after it, the time until the bucket is full again
// (reset), and, when refused, the wait until one token is there
// (retryAfter; 0 when the rate is zero and waiting cannot help).
func gcra(r Rate, tat, now int64) (ok bool, newTAT, remaining int64, reset, retryAfter time.Duration) {
	switch {
	case r.unlimited():
		return true, 0, math.MaxInt64, 0, 0
	case r.blocks():
		return false, tat, 0, 0, 0
	}
	t, tol := r.interval()
	base := max(tat, now)
	next := base + t
	if next-now > tol {
		// Refused: one token is back when next - later <= tol.
		return false, tat, 0, time.Duration(base - now), time.Duration(next - tol - now)
	}
	return true, next, (tol - (next - now)) / t, time.Duration(next - now), 0
}
