package throttle

import (
	"context"
	"fmt"
	"math"
	"time"
)

// roll moves a to the window of q that contains now, if it is not there.
// The count starts again at 0 when a's old window is over; when only q's
// Period changed, it carries over into the new window.
func (a *account) roll(q Quota, now int64) {
	if a.period == q.Period && now < a.end && now >= a.start {
		return
	}
	if a.period == "" || now >= a.end || now < a.start {
		a.used = 0
	}
	start, end := q.Window(time.Unix(0, now))
	a.period, a.start, a.end = q.Period, start.UnixNano(), end.UnixNano()
	a.keepUntil = max(a.keepUntil, a.end)
}

// count counts one request at now in a's window and its day, and drops
// days older than retention.
func (a *account) count(now, retention int64) {
	a.used++
	day := floorDiv(now, dayNanos)
	if k := len(a.days); k > 0 && a.days[k-1].day == day {
		a.days[k-1].used++
		return
	}
	drop := 0
	for drop < len(a.days) && (a.days[drop].day+1)*dayNanos+retention <= now {
		drop++
	}
	a.days = append(a.days[drop:], dayCount{day: day, used: 1})
	a.keepUntil = max(a.end, (day+1)*dayNanos+retention)
}

// Usage implements [UsageStore].
func (s *MemoryStore) Usage(_ context.Context, quotaKey string, from, to time.Time) ([]DailyUsage, error) {
	first, last := floorDiv(from.UnixNano(), dayNanos), floorDiv(to.UnixNano(), dayNanos)
	if last < first {
		return nil, fmt.Errorf("throttle: Usage: to (%v) is before from (%v)", to, from)
	}
	if last-first >= maxUsageDays {
		return nil, fmt.Errorf("throttle: Usage: more than %d days asked for", maxUsageDays)
	}
	out := make([]DailyUsage, last-first+1)
	for i := range out {
		out[i].Day = time.Unix((first+int64(i))*(dayNanos/int64(time.Second)), 0).UTC()
	}
	sh := &s.shards[shardOf(quotaKey)]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if a := sh.accounts.m[quotaKey]; a != nil {
		for _, d := range a.days {
			if d.day >= first && d.day <= last {
				out[d.day-first].Used = d.used
			}
		}
	}
	return out, nil
}

// AdjustQuota implements [UsageStore].
func (s *MemoryStore) AdjustQuota(_ context.Context, quotaKey string, q Quota, delta int64) (int64, error) {
	if err := q.Validate(); err != nil {
		return 0, err
	}
	sh := &s.shards[shardOf(quotaKey)]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	now := s.now()
	a := sh.accounts.m[quotaKey]
	if a == nil {
		a = &account{}
		a.roll(q, now)
		sh.accounts.insert(quotaKey, a, now, accountStale)
	}
	a.roll(q, now)
	switch {
	case delta > 0 && a.used < math.MinInt64+delta:
		a.used = math.MinInt64
	case delta < 0 && a.used > math.MaxInt64+delta:
		a.used = math.MaxInt64
	default:
		a.used -= delta
	}
	return max(q.limitIn(a.start, a.end)-a.used, 0), nil
}

// floorDiv is a / b rounded down.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
