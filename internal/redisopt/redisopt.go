// Package redisopt holds what the Redis-backed stores check of the
// clients they are given, and how they tell a Redis that could not
// answer from one that answered with an error.
package redisopt

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/redis/go-redis/v9"
)

// CheckClient fails for a nil client, and for a client of go-redis's own
// types that would not honour a context's deadline (ContextTimeoutEnabled
// unset), so that a store's timeout could not bound its calls.
func CheckClient(c redis.UniversalClient) error {
	enabled := true
	switch c := c.(type) {
	case nil:
		return errors.New("the client is nil")
	case *redis.Client:
		enabled = c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		enabled = c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		enabled = c.Options().ContextTimeoutEnabled
	}
	if !enabled {
		return errors.New("the client needs ContextTimeoutEnabled, or a call could outlast Options.Timeout")
	}
	return nil
}

// Unavailable reports whether err, of a call to Redis, says that Redis
// could not answer, as opposed to answering with an error: a deadline
// exceeded (a store's timeout), a refused, reset or timed-out connection
// (any [net.Error]), a connection closed mid-answer, a closed client or
// an exhausted pool, or a server LOADING, a READONLY replica,
// CLUSTERDOWN, TRYAGAIN, MASTERDOWN or at its client limit.
//
// It cannot tell a store's timeout from the caller's deadline: a store
// checks first whether the caller's context has ended, in which case
// the caller gave up and Redis may be fine.
func Unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || // the store's timeout
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, redis.ErrClosed) ||
		errors.Is(err, redis.ErrPoolTimeout) || errors.Is(err, redis.ErrPoolExhausted) {
		return true
	}
	if ne := net.Error(nil); errors.As(err, &ne) {
		return true
	}
	return redis.IsLoadingError(err) || redis.IsReadOnlyError(err) ||
		redis.IsClusterDownError(err) || redis.IsTryAgainError(err) ||
		redis.IsMasterDownError(err) || redis.IsMaxClientsError(err)
}
