package redisws

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gatekit/gatekit/internal/redisopt"
	"github.com/redis/go-redis/v9"
)

// Defaults of [Options].
const (
	DefaultHashTag = "gatekit-ws"
	DefaultTimeout = 50 * time.Millisecond
)

// Options configure [NewStore] and [NewBus]. The zero Options use the
// hash tag "gatekit-ws", a 50 ms timeout and [slog.Default].
type Options struct {
	// HashTag is put, in braces, at the start of every Redis key and
	// channel name, so that a Redis Cluster keeps them all in one slot.
	// Stores and Buses with different tags share nothing. If empty,
	// DefaultHashTag. It may not contain braces.
	HashTag string
	// Timeout bounds each call: each Store method, Bus.Publish and
	// Bus.Subscribe (connecting included). If zero, DefaultTimeout.
	Timeout time.Duration
	// Logger receives what a Bus cannot return to a caller: messages it
	// drops, subscriptions it renews. A Store logs nothing. If nil,
	// slog.Default().
	Logger *slog.Logger
}

// settings are Options checked, with their defaults filled in.
type settings struct {
	tag     string // "{HashTag}"
	timeout time.Duration
	logger  *slog.Logger
}

// check checks client and opts, and returns the settings they make.
func check(client redis.UniversalClient, opts Options) (settings, error) {
	if err := redisopt.CheckClient(client); err != nil {
		return settings{}, fmt.Errorf("redisws: %w", err)
	}
	var errs []error
	if strings.ContainsAny(opts.HashTag, "{}") {
		errs = append(errs, fmt.Errorf("redisws: Options.HashTag %q contains a brace", opts.HashTag))
	}
	if opts.Timeout < 0 {
		errs = append(errs, fmt.Errorf("redisws: Options.Timeout %v is negative", opts.Timeout))
	}
	if err := errors.Join(errs...); err != nil {
		return settings{}, err
	}
	s := settings{tag: "{" + opts.HashTag + "}", timeout: opts.Timeout, logger: opts.Logger}
	if opts.HashTag == "" {
		s.tag = "{" + DefaultHashTag + "}"
	}
	if s.timeout == 0 {
		s.timeout = DefaultTimeout
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	return s, nil
}
