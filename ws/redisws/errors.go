package redisws

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatekit/gatekit/internal/redisopt"
	"github.com/gatekit/gatekit/ws"
)

// Errors callers branch on.
var (
	// ErrUnavailable is wrapped by the errors of calls that Redis did not
	// answer in time, or could not serve: a refused, reset or timed-out
	// connection, a closed client or exhausted pool, or a server LOADING,
	// a READONLY replica, CLUSTERDOWN, TRYAGAIN, MASTERDOWN or at its
	// client limit.
	ErrUnavailable = errors.New("redisws: Redis unavailable")

	// ErrNoSubscriber is wrapped by the error of a [Bus.Publish] that no
	// instance received: none is subscribed to the target instance's
	// channel, because it has stopped, died, or lost its connection to
	// Redis. The command is lost, and the connection is as good as gone:
	// it wraps ws.ErrGone, so the ws server's connections API answers
	// 410.
	ErrNoSubscriber = fmt.Errorf("redisws: no subscriber: %w", ws.ErrGone)
)

// opError is the error of an operation: "redisws: <op>: …". It wraps
// err and, if set, the sentinel is (ErrUnavailable or ErrNoSubscriber).
type opError struct {
	op  string
	err error
	is  error
}

func (e *opError) Error() string {
	if e.is == ErrUnavailable {
		return "redisws: " + e.op + ": Redis unavailable: " + e.err.Error()
	}
	return "redisws: " + e.op + ": " + e.err.Error()
}

func (e *opError) Unwrap() []error {
	if e.is != nil {
		return []error{e.is, e.err}
	}
	return []error{e.err}
}

// fail returns the error of op, which failed with err, called with ctx.
// If ctx has ended the caller gave up, and the error is ctx's: Redis may
// be fine.
func fail(ctx context.Context, op string, err error) error {
	cerr := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && cerr == nil && !time.Now().Before(dl) {
		// The deadline has passed, and ended the call (the socket's
		// deadline is the same), but ctx's timer has not fired yet.
		cerr = context.DeadlineExceeded
	}
	if cerr != nil {
		return &opError{op: op, err: cerr}
	}
	e := &opError{op: op, err: err}
	if redisopt.Unavailable(err) {
		e.is = ErrUnavailable
	}
	return e
}
