package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gatekit/gatekit/throttle"
	"github.com/redis/go-redis/v9"
)

const (
	daySeconds   = 24 * 60 * 60
	maxUsageDays = 1000 // as throttle.MemoryStore
)

// Usage implements [throttle.UsageStore]: one MGET of the daily
// counters. Days are UTC days of the Redis server's clock. It does not
// fall back: an error wraps ErrUnavailable.
func (s *Store) Usage(ctx context.Context, quotaKey string, from, to time.Time) ([]throttle.DailyUsage, error) {
	first, last := floorDiv(from.Unix(), daySeconds), floorDiv(to.Unix(), daySeconds)
	if last < first {
		return nil, fmt.Errorf("redisstore: Usage: to (%v) is before from (%v)", to, from)
	}
	if last-first >= maxUsageDays {
		return nil, fmt.Errorf("redisstore: Usage: more than %d days asked for", maxUsageDays)
	}
	out := make([]throttle.DailyUsage, last-first+1)
	keys := make([]string, len(out))
	prefix := s.usageKey + quotaKey + "|"
	for i := range out {
		day := first + int64(i)
		out[i].Day = time.Unix(day*daySeconds, 0).UTC()
		keys[i] = prefix + strconv.FormatInt(day, 10)
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	vals, err := s.client.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	for i, v := range vals {
		if str, ok := v.(string); ok {
			if out[i].Used, err = strconv.ParseInt(str, 10, 64); err != nil {
				return nil, fmt.Errorf("redisstore: Usage: counter %s: %w", keys[i], err)
			}
		}
	}
	return out, nil
}

// AdjustQuota implements [throttle.UsageStore]: one script, atomic with
// every Take, in the window of the server's clock. It forgets a refusal
// of quotaKey in this Store's cache of blocked keys; other instances
// see the change within their MaxBlock. It does not fall back: an error
// wraps ErrUnavailable.
func (s *Store) AdjustQuota(ctx context.Context, quotaKey string, q throttle.Quota, delta int64) (int64, error) {
	if err := q.Validate(); err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	offSec, offNs := splitOffset(s.offset.Load())
	rem, err := adjustScript.Run(ctx, s.client, []string{s.quotaKey + quotaKey},
		offSec, offNs, string(q.Period), q.Limit, q.Offset, q.Start.Unix(), delta).Int64()
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if s.blocked != nil {
		s.blocked.forget(blockKey{quota: true, key: quotaKey})
	}
	return rem, nil
}

// LoadScripts loads the Store's scripts into Redis (SCRIPT LOAD), so
// that the first checks need no EVAL. It is optional: a check whose
// script Redis does not have sends it once more, with EVAL.
func (s *Store) LoadScripts(ctx context.Context) error {
	for _, sc := range []*redis.Script{takeScript, adjustScript} {
		if err := sc.Load(ctx, s.client).Err(); err != nil {
			return fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
	}
	return nil
}

// floorDiv is a / b rounded down.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
