package throttle

import (
	"strings"
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestQuotaWindow(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name       string
		period     Period
		now        time.Time
		start, end time.Time
	}{
		{"day", Day, utc(2024, 2, 14, 12, 0), utc(2024, 2, 14, 0, 0), utc(2024, 2, 15, 0, 0)},
		{"day at midnight", Day, utc(2024, 2, 14, 0, 0), utc(2024, 2, 14, 0, 0), utc(2024, 2, 15, 0, 0)},
		{"day last nanosecond", Day, utc(2024, 2, 15, 0, 0).Add(-1), utc(2024, 2, 14, 0, 0), utc(2024, 2, 15, 0, 0)},
		{"day in UTC, not local", Day, time.Date(2024, 2, 15, 8, 0, 0, 0, tokyo), utc(2024, 2, 14, 0, 0), utc(2024, 2, 15, 0, 0)},
		{"day leap", Day, utc(2024, 2, 29, 23, 59), utc(2024, 2, 29, 0, 0), utc(2024, 3, 1, 0, 0)},
		{"day year end", Day, utc(2023, 12, 31, 5, 0), utc(2023, 12, 31, 0, 0), utc(2024, 1, 1, 0, 0)},
		{"week from Wednesday", Week, utc(2024, 2, 14, 12, 0), utc(2024, 2, 11, 0, 0), utc(2024, 2, 18, 0, 0)},
		{"week on Sunday", Week, utc(2024, 2, 11, 0, 0), utc(2024, 2, 11, 0, 0), utc(2024, 2, 18, 0, 0)},
		{"week on Saturday night", Week, utc(2024, 2, 18, 0, 0).Add(-1), utc(2024, 2, 11, 0, 0), utc(2024, 2, 18, 0, 0)},
		{"week across the year", Week, utc(2025, 1, 2, 9, 0), utc(2024, 12, 29, 0, 0), utc(2025, 1, 5, 0, 0)},
		{"week across leap day", Week, utc(2024, 3, 1, 0, 0), utc(2024, 2, 25, 0, 0), utc(2024, 3, 3, 0, 0)},
		{"month", Month, utc(2024, 2, 14, 12, 0), utc(2024, 2, 1, 0, 0), utc(2024, 3, 1, 0, 0)},
		{"month leap February end", Month, utc(2024, 2, 29, 23, 59), utc(2024, 2, 1, 0, 0), utc(2024, 3, 1, 0, 0)},
		{"month common February end", Month, utc(2023, 2, 28, 23, 59), utc(2023, 2, 1, 0, 0), utc(2023, 3, 1, 0, 0)},
		{"month 31st", Month, utc(2024, 1, 31, 23, 59), utc(2024, 1, 1, 0, 0), utc(2024, 2, 1, 0, 0)},
		{"month December", Month, utc(2024, 12, 31, 23, 59), utc(2024, 12, 1, 0, 0), utc(2025, 1, 1, 0, 0)},
		{"month 2100 not leap", Month, utc(2100, 2, 28, 12, 0), utc(2100, 2, 1, 0, 0), utc(2100, 3, 1, 0, 0)},
		{"month 2000 leap", Month, utc(2000, 2, 29, 12, 0), utc(2000, 2, 1, 0, 0), utc(2000, 3, 1, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end := Quota{Limit: 1, Period: tt.period}.Window(tt.now)
			if !start.Equal(tt.start) || !end.Equal(tt.end) {
				t.Errorf("Window(%v) = [%v, %v), want [%v, %v)", tt.now, start, end, tt.start, tt.end)
			}
		})
	}
}

// TestQuotaOffset checks the managed service's offset: requests taken off
// the limit in the initial window only, the windows themselves unmoved.
func TestQuotaOffset(t *testing.T) {
	created := utc(2024, 2, 14, 12, 0)
	tests := []struct {
		name   string
		quota  Quota
		now    time.Time
		want   int64
		wantAt time.Time // the window start, to show Offset moves nothing
	}{
		{"month, initial window", Quota{Limit: 1000, Offset: 400, Period: Month, Start: created}, utc(2024, 2, 20, 0, 0), 600, utc(2024, 2, 1, 0, 0)},
		{"month, before Start in the initial window", Quota{Limit: 1000, Offset: 400, Period: Month, Start: created}, utc(2024, 2, 1, 0, 0), 600, utc(2024, 2, 1, 0, 0)},
		{"month, next window", Quota{Limit: 1000, Offset: 400, Period: Month, Start: created}, utc(2024, 3, 1, 0, 0), 1000, utc(2024, 3, 1, 0, 0)},
		{"week, initial window", Quota{Limit: 70, Offset: 30, Period: Week, Start: created}, utc(2024, 2, 17, 23, 0), 40, utc(2024, 2, 11, 0, 0)},
		{"week, next window", Quota{Limit: 70, Offset: 30, Period: Week, Start: created}, utc(2024, 2, 18, 0, 0), 70, utc(2024, 2, 18, 0, 0)},
		{"day, initial window", Quota{Limit: 10, Offset: 10, Period: Day, Start: created}, utc(2024, 2, 14, 23, 0), 0, utc(2024, 2, 14, 0, 0)},
		{"day, next window", Quota{Limit: 10, Offset: 10, Period: Day, Start: created}, utc(2024, 2, 15, 0, 0), 10, utc(2024, 2, 15, 0, 0)},
		{"no offset", Quota{Limit: 10, Period: Day}, created, 10, utc(2024, 2, 14, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.quota.LimitAt(tt.now); got != tt.want {
				t.Errorf("LimitAt(%v) = %d, want %d", tt.now, got, tt.want)
			}
			if start, _ := tt.quota.Window(tt.now); !start.Equal(tt.wantAt) {
				t.Errorf("Window(%v) starts %v, want %v", tt.now, start, tt.wantAt)
			}
		})
	}
}

func TestQuotaValidate(t *testing.T) {
	tests := []struct {
		name  string
		quota Quota
		want  string
	}{
		{"good", Quota{Limit: 100, Period: Day}, ""},
		{"zero limit blocks", Quota{Limit: 0, Period: Week}, ""},
		{"offset", Quota{Limit: 100, Offset: 100, Period: Month, Start: t0}, ""},
		{"no period", Quota{Limit: 100}, `Quota.Period "" is not DAY, WEEK or MONTH`},
		{"lower-case period", Quota{Limit: 100, Period: "day"}, `Quota.Period "day"`},
		{"negative limit", Quota{Limit: -1, Period: Day}, "Quota.Limit -1 is negative"},
		{"negative offset", Quota{Limit: 1, Offset: -1, Period: Day}, "Quota.Offset -1 is negative"},
		{"offset over limit", Quota{Limit: 1, Offset: 2, Period: Day, Start: t0}, "Quota.Offset 2 is more than Quota.Limit 1"},
		{"offset without start", Quota{Limit: 5, Offset: 2, Period: Day}, "Quota.Offset needs Quota.Start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.quota.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestPeriodUnmarshalText(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    Period
		wantErr bool
	}{
		{"day", "DAY", Day, false},
		{"week", "WEEK", Week, false},
		{"month", "MONTH", Month, false},
		{"lower case", "month", "", true},
		{"empty", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Period
			err := p.UnmarshalText([]byte(tt.text))
			if (err != nil) != tt.wantErr || p != tt.want {
				t.Errorf("UnmarshalText(%q) = %q, %v; want %q, error %v", tt.text, p, err, tt.want, tt.wantErr)
			}
		})
	}
}
