package rediscache

import (
	"context"
	"errors"

	"github.com/gatekit/gatekit/internal/redisopt"
)

// ErrUnavailable is wrapped by the errors of calls that Redis did not
// answer in time, or could not serve: a refused, reset or timed-out
// connection, a closed client or exhausted pool, or a server LOADING, a
// READONLY replica, CLUSTERDOWN, TRYAGAIN, MASTERDOWN or at its client
// limit.
var ErrUnavailable = errors.New("rediscache: Redis unavailable")

// opError is the error of a Store operation: "rediscache: <op>: …". It
// wraps err and, if unavailable, ErrUnavailable.
type opError struct {
	op          string
	err         error
	unavailable bool
}

func (e *opError) Error() string {
	if e.unavailable {
		return "rediscache: " + e.op + ": Redis unavailable: " + e.err.Error()
	}
	return "rediscache: " + e.op + ": " + e.err.Error()
}

func (e *opError) Unwrap() []error {
	if e.unavailable {
		return []error{ErrUnavailable, e.err}
	}
	return []error{e.err}
}

// fail returns the error of op, which failed with err, called with ctx.
// If ctx has ended the caller gave up, and the error is ctx's: Redis may
// be fine.
func fail(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return &opError{op: op, err: cerr}
	}
	return &opError{op: op, err: err, unavailable: redisopt.Unavailable(err)}
}
