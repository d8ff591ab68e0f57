package throttle

import (
	"errors"
	"fmt"
	"time"
)

// Period is the length of a quota's window.
type Period string

// The periods of the managed service. Windows are aligned in UTC.
const (
	// Day windows start at 00:00 UTC.
	Day Period = "DAY"
	// Week windows start on Sunday at 00:00 UTC.
	Week Period = "WEEK"
	// Month windows start on the first of the month at 00:00 UTC.
	Month Period = "MONTH"
)

// UnmarshalText accepts DAY, WEEK and MONTH, so that a Period read from a
// configuration file is checked as it is read.
func (p *Period) UnmarshalText(text []byte) error {
	switch v := Period(text); v {
	case Day, Week, Month:
		*p = v
		return nil
	}
	return fmt.Errorf("throttle: unknown Period %q (want DAY, WEEK or MONTH)", text)
}

// Quota caps the requests of one key per window: Limit requests per Day,
// Week or Month, windows aligned in UTC (see [Quota.Window]).
//
// Offset has the managed service's meaning: the number of requests
// subtracted from Limit in the initial time period, the window that
// contains Start (typically when the usage plan was created), so that a
// plan created mid-month can grant less in that month. Later windows get
// the full Limit. Offset is not a time shift: windows always start at the
// UTC boundaries.
//
// A Limit of 0 blocks every request.
type Quota struct {
	// Limit is the number of requests a key may make per window.
	Limit int64
	// Period is the window: Day, Week or Month.
	Period Period
	// Offset is subtracted from Limit in the window containing Start.
	// It is between 0 and Limit; if it is positive, Start must be set.
	Offset int64
	// Start is when the quota took effect. It only matters for Offset.
	Start time.Time
}

// Validate reports an unknown Period, a negative Limit, and an Offset
// outside [0, Limit] or without a Start. Each error names the field.
func (q Quota) Validate() error { return q.validate("Quota") }

// validate is Validate with the field named name.
func (q Quota) validate(name string) error {
	var errs []error
	switch q.Period {
	case Day, Week, Month:
	default:
		errs = append(errs, fmt.Errorf("throttle: %s.Period %q is not DAY, WEEK or MONTH", name, q.Period))
	}
	if q.Limit < 0 {
		errs = append(errs, fmt.Errorf("throttle: %s.Limit %d is negative", name, q.Limit))
	}
	switch {
	case q.Offset < 0:
		errs = append(errs, fmt.Errorf("throttle: %s.Offset %d is negative", name, q.Offset))
	case q.Offset > q.Limit && q.Limit >= 0:
		errs = append(errs, fmt.Errorf("throttle: %s.Offset %d is more than %s.Limit %d", name, q.Offset, name, q.Limit))
	case q.Offset > 0 && q.Start.IsZero():
		errs = append(errs, fmt.Errorf("throttle: %s.Offset needs %s.Start", name, name))
	}
	return errors.Join(errs...)
}

// Window returns the window that contains now: [start, end), in UTC.
// An unknown Period is treated as Day; [Quota.Validate] reports it.
func (q Quota) Window(now time.Time) (start, end time.Time) {
	y, m, d := now.UTC().Date()
	switch q.Period {
	case Week:
		start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		start = start.AddDate(0, 0, -int(start.Weekday()))
		return start, start.AddDate(0, 0, 7)
	case Month:
		start = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0)
	default:
		start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 0, 1)
	}
}

// LimitAt returns the limit of the window that contains now: Limit less
// Offset in the initial window, Limit in all others.
func (q Quota) LimitAt(now time.Time) int64 {
	start, end := q.Window(now)
	return q.limitIn(start.UnixNano(), end.UnixNano())
}

// limitIn returns the limit of the window [start, end) in nanoseconds.
func (q Quota) limitIn(start, end int64) int64 {
	if q.Offset > 0 {
		if s := q.Start.UnixNano(); start <= s && s < end {
			return q.Limit - q.Offset
		}
	}
	return q.Limit
}
