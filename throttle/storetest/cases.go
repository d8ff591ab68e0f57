package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gatekit/gatekit/throttle"
)

type (
	rc = throttle.RateCheck
	qc = throttle.QuotaCheck
)

// testAllOrNothing checks that a refused request consumes nothing from
// the checks that would have admitted it.
func testAllOrNothing(t *testing.T, newStore NewStoreFunc) {
	wide := throttle.Rate{PerSecond: 1, Burst: 10}
	tests := []struct {
		name    string
		req     throttle.TakeRequest
		refusal throttle.Refusal
		key     string
	}{
		{"rate refuses", throttle.TakeRequest{
			Rates: []rc{{Key: "wide", Rate: wide}, {Key: "shut", Rate: throttle.Rate{}}},
			Quota: &qc{Key: "q", Quota: throttle.Quota{Limit: 10, Period: throttle.Day}},
		}, throttle.RefusedRate, "shut"},
		{"quota refuses", throttle.TakeRequest{
			Rates: []rc{{Key: "wide", Rate: wide}},
			Quota: &qc{Key: "q", Quota: throttle.Quota{Limit: 0, Period: throttle.Day}},
		}, throttle.RefusedQuota, "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, s := start(t, newStore, T0)
			for range 5 {
				if res := MustTake(t, s, tt.req); res.Refused != tt.refusal || res.Key != tt.key {
					t.Fatalf("Take() = %+v, want refused by %q with %v", res, tt.key, tt.refusal)
				}
			}
			res := MustTake(t, s, throttle.TakeRequest{Rates: []rc{{Key: "wide", Rate: wide}}})
			if !res.Allowed() || res.Remaining != 9 {
				t.Errorf("after 5 refusals, wide bucket: %+v, want admitted with 9 remaining", res)
			}
			got, err := s.Usage(context.Background(), "q", T0, T0)
			if err != nil || len(got) != 1 || got[0].Used != 0 {
				t.Errorf("usage after refusals = %v, %v; want 0", got, err)
			}
		})
	}
}

// testDescribes checks which check the header figures and RetryAfter
// describe. Each case also runs on a MemoryStore, which must give the
// table's figures exactly.
func testDescribes(t *testing.T, newStore NewStoreFunc) {
	slow := throttle.Rate{PerSecond: 0.001, Burst: 1}
	tests := []struct {
		name   string
		before []rc // taken from once first
		req    throttle.TakeRequest
		want   throttle.Result
	}{
		{"fewest remaining", nil, throttle.TakeRequest{Rates: []rc{
			{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}},
			{Key: "b", Rate: throttle.Rate{PerSecond: 1, Burst: 2}},
			{Key: "c", Rate: throttle.Rate{PerSecond: 1, Burst: 5}},
		}}, throttle.Result{Key: "b", Limit: 2, Remaining: 1, Reset: time.Second}},
		{"quota fewest", nil, throttle.TakeRequest{
			Rates: []rc{{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}}},
			Quota: &qc{Key: "q", Quota: throttle.Quota{Limit: 3, Period: throttle.Day}},
		}, throttle.Result{Key: "q", Limit: 3, Remaining: 2, Reset: 12 * time.Hour}},
		{"longest wait refusing", []rc{{Key: "slow", Rate: slow}, {Key: "slow2", Rate: slow}}, throttle.TakeRequest{Rates: []rc{
			{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}},
			{Key: "shut", Rate: throttle.Rate{}},
			{Key: "slow", Rate: slow},
			{Key: "slow2", Rate: slow},
		}}, throttle.Result{Refused: throttle.RefusedRate, Key: "slow", Limit: 1, Reset: 1000 * time.Second, RetryAfter: 1000 * time.Second}},
		{"quota refusal wins", nil, throttle.TakeRequest{Rates: []rc{
			{Key: "a", Rate: throttle.Rate{PerSecond: 10, Burst: 10}},
			{Key: "shut", Rate: throttle.Rate{}},
		}, Quota: &qc{Key: "q", Quota: throttle.Quota{Limit: 0, Period: throttle.Day}}},
			throttle.Result{Refused: throttle.RefusedQuota, Key: "q", Reset: 12 * time.Hour}},
		{"unlimited not described", nil, throttle.TakeRequest{Rates: []rc{{Key: "u", Rate: throttle.Rate{PerSecond: throttle.Inf}}}}, throttle.Result{}},
		{"key named twice", nil, throttle.TakeRequest{Rates: []rc{
			{Key: "twice", Rate: throttle.Rate{PerSecond: 1, Burst: 3}},
			{Key: "twice", Rate: throttle.Rate{PerSecond: 1, Burst: 3}},
		}}, throttle.Result{Key: "twice", Limit: 3, Remaining: 1, Reset: 2 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock, s := start(t, newStore, T0)
			// The reference: the table's figures, exactly.
			m := &throttle.MemoryStore{Clock: clock.Now}
			if len(tt.before) > 0 {
				MustTake(t, m, throttle.TakeRequest{Rates: tt.before})
				MustTake(t, s, throttle.TakeRequest{Rates: tt.before})
			}
			if mres := MustTake(t, m, tt.req); mres != tt.want {
				t.Fatalf("MemoryStore: %+v, the table wants %+v", mres, tt.want)
			}
			if got := MustTake(t, s, tt.req); !near(got, tt.want, clock.Slack) {
				t.Errorf("Take() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// testDuplicateKeys checks that a key named twice in one request is
// taken from twice.
func testDuplicateKeys(t *testing.T, newStore NewStoreFunc) {
	_, s := start(t, newStore, T0)
	r := throttle.Rate{PerSecond: 1, Burst: 3}
	req := throttle.TakeRequest{Rates: []rc{{Key: "k", Rate: r}, {Key: "k", Rate: r}}}
	if res := MustTake(t, s, req); !res.Allowed() || res.Remaining != 1 {
		t.Errorf("first: %+v, want admitted with 1 remaining", res)
	}
	if res := MustTake(t, s, req); res.Allowed() {
		t.Errorf("second: %+v, want refused (1 token for 2 takes)", res)
	}
}

// testBurstThenSteady checks GCRA's figures: a bucket admits its burst
// at once, then one request per emission interval, each Result as a
// MemoryStore on the same clock gives it.
func testBurstThenSteady(t *testing.T, newStore NewStoreFunc) {
	clock, s := start(t, newStore, T0)
	m := &throttle.MemoryStore{Clock: clock.Now}
	// T = 1000 s: a clock that runs on a few ms changes no decision.
	req := throttle.TakeRequest{Rates: []rc{{Key: "k", Rate: throttle.Rate{PerSecond: 0.001, Burst: 5}}}}
	step := func(name string, n int, wantAdmitted int) {
		t.Helper()
		admitted := 0
		for range n {
			got, want := MustTake(t, s, req), MustTake(t, m, req)
			if !near(got, want, clock.Slack) {
				t.Fatalf("%s: Take() = %+v, MemoryStore %+v", name, got, want)
			}
			if got.Allowed() {
				admitted++
			}
		}
		if admitted != wantAdmitted {
			t.Errorf("%s: %d admitted, want %d", name, admitted, wantAdmitted)
		}
	}
	step("burst", 8, 5)
	for i := range 3 {
		clock.Advance(1000 * time.Second)
		step(fmt.Sprintf("steady %d", i), 3, 1)
	}
	clock.Advance(2500 * time.Second)
	step("2.5 intervals idle", 4, 2)
	clock.Advance(10000 * time.Second)
	step("idle long: full again", 7, 5)
}

// testQuotaWindows checks a monthly quota with an offset across month
// ends, and that AdjustQuota applies to the current window only.
func testQuotaWindows(t *testing.T, newStore NewStoreFunc) {
	clock, s := start(t, newStore, utc(2024, 1, 31, 23, 0))
	q := qc{Key: "k", Quota: throttle.Quota{Limit: 3, Offset: 1, Period: throttle.Month, Start: clock.Now()}}
	req := throttle.TakeRequest{Quota: &q}
	count := func() (n int, last throttle.Result) {
		for range 10 {
			res := MustTake(t, s, req)
			if res.Allowed() {
				n++
			}
			last = res
		}
		return n, last
	}
	if n, last := count(); n != 2 || !near(last, throttle.Result{Refused: throttle.RefusedQuota, Key: "k", Limit: 2, Reset: time.Hour, RetryAfter: time.Hour}, clock.Slack) {
		t.Errorf("January (offset 1): %d admitted, last %+v; want 2, refused with RetryAfter 1h", n, last)
	}
	clock.Advance(time.Hour)
	if n, last := count(); n != 3 || !near(last, throttle.Result{Refused: throttle.RefusedQuota, Key: "k", Limit: 3, Reset: 29 * 24 * time.Hour, RetryAfter: 29 * 24 * time.Hour}, clock.Slack) {
		t.Errorf("February 2024: %d admitted, last %+v; want 3, RetryAfter 29 days", n, last)
	}
	// Adjustments apply to the current window only.
	if rem, err := s.AdjustQuota(context.Background(), "k", q.Quota, 5); err != nil || rem != 5 {
		t.Errorf("AdjustQuota(+5) = %d, %v; want 5", rem, err)
	}
	if n, _ := count(); n != 5 {
		t.Errorf("after granting 5: %d admitted, want 5", n)
	}
	clock.Advance(29 * 24 * time.Hour)
	if n, _ := count(); n != 3 {
		t.Errorf("March: %d admitted, want 3", n)
	}
}

// testWindowsMatch checks the window a store ends a quota at against
// [throttle.Quota.Window], across leap years, year ends and weekdays.
func testWindowsMatch(t *testing.T, newStore NewStoreFunc) {
	instants := []time.Time{
		utc(2024, 2, 29, 13, 0), utc(2024, 12, 31, 23, 0), utc(2025, 1, 1, 1, 0),
		utc(2023, 2, 28, 12, 0), utc(2100, 2, 28, 12, 0), utc(2000, 2, 29, 12, 0),
		utc(2026, 11, 29, 0, 30), utc(2026, 11, 28, 23, 30), utc(1999, 12, 31, 12, 0),
		utc(2024, 3, 10, 1, 0), utc(2030, 6, 15, 8, 0),
	}
	clock, s := start(t, newStore, instants[0])
	for _, at := range instants {
		for _, p := range []throttle.Period{throttle.Day, throttle.Week, throttle.Month} {
			q := throttle.Quota{Limit: 100, Period: p}
			key := fmt.Sprintf("%s-%d", p, at.Unix())
			clock.Set(at)
			res := MustTake(t, s, throttle.TakeRequest{Quota: &qc{Key: key, Quota: q}})
			_, end := q.Window(at)
			if want := end.Sub(at); res.Reset > want || want-res.Reset > clock.Slack {
				t.Errorf("%v at %v: Reset %v, want %v (window ends %v)", p, at, res.Reset, want, end)
			}
		}
	}
}

// testUsage checks the daily usage a store records, that AdjustQuota
// leaves it as it was, and that bad ranges are refused.
func testUsage(t *testing.T, newStore NewStoreFunc) {
	clock, s := start(t, newStore, utc(2024, 2, 27, 22, 0))
	ctx := context.Background()
	q := throttle.Quota{Limit: 100, Period: throttle.Month}
	req := throttle.TakeRequest{Quota: &qc{Key: "k", Quota: q}}
	for _, day := range []int{3, 5} {
		for range day {
			MustTake(t, s, req)
		}
		clock.Advance(24 * time.Hour)
	}
	// Taking away more than remains leaves 0, and usage stays as it was.
	if rem, err := s.AdjustQuota(ctx, "k", q, -100); err != nil || rem != 0 {
		t.Errorf("AdjustQuota(-100) = %d, %v; want 0", rem, err)
	}
	if res := MustTake(t, s, req); res.Refused != throttle.RefusedQuota {
		t.Errorf("after taking all away: %+v, want refused", res)
	}
	if rem, err := s.AdjustQuota(ctx, "k", q, 3); err != nil || rem != 0 {
		t.Errorf("AdjustQuota(+3) = %d, %v; want 0 (3 back of 8 over)", rem, err)
	}
	got, err := s.Usage(ctx, "k", utc(2024, 2, 26, 0, 0), utc(2024, 2, 29, 23, 59))
	if err != nil {
		t.Fatal(err)
	}
	want := []throttle.DailyUsage{
		{Day: utc(2024, 2, 26, 0, 0), Used: 0},
		{Day: utc(2024, 2, 27, 0, 0), Used: 3},
		{Day: utc(2024, 2, 28, 0, 0), Used: 5},
		{Day: utc(2024, 2, 29, 0, 0), Used: 0},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Usage() = %v, want %v", got, want)
	}
	for _, bad := range []struct {
		name     string
		from, to time.Time
	}{
		{"backwards", utc(2024, 3, 1, 0, 0), utc(2024, 2, 1, 0, 0)},
		{"too long", utc(2000, 1, 1, 0, 0), utc(2024, 1, 1, 0, 0)},
	} {
		t.Run(bad.name, func(t *testing.T) {
			if _, err := s.Usage(ctx, "k", bad.from, bad.to); err == nil {
				t.Error("Usage() succeeded, want an error")
			}
		})
	}
}
