package gateway

import (
	"math"
	"testing"
	"time"
)

func TestLatencyBounds(t *testing.T) {
	if latencyBounds[0] != histMin || latencyBounds[histBounds-1] != histMax {
		t.Fatalf("bounds run from %v to %v, want %v to %v", latencyBounds[0], latencyBounds[histBounds-1], histMin, histMax)
	}
	for i := 1; i < histBounds; i++ {
		if r := float64(latencyBounds[i]) / float64(latencyBounds[i-1]); r < 1.42 || r > 1.44 {
			t.Errorf("bound %d: %v is %.3f times bound %d", i, latencyBounds[i], r, i-1)
		}
	}
	for _, tt := range []struct {
		d    time.Duration
		want int
	}{
		{0, 0},
		{histMin - 1, 0},
		{histMin, 1}, // a boundary opens the bucket above it
		{latencyBounds[10] - 1, 10},
		{latencyBounds[10], 11},
		{histMax - 1, histBounds - 1},
		{histMax, histBounds},
		{time.Hour, histBounds},
	} {
		if got := histIndex(tt.d); got != tt.want {
			t.Errorf("histIndex(%v) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func TestQuantile(t *testing.T) {
	var m minuteStats
	out := &outcome{}
	// 1000 requests spread evenly over 1–100 ms: the interpolation
	// within buckets should land close to the true percentiles.
	for i := range 1000 {
		m.add(time.Millisecond+time.Duration(i)*99*time.Millisecond/999, 200, out)
	}
	for _, tt := range []struct{ p, want float64 }{{0.5, 50.5}, {0.9, 90.1}, {0.99, 99.0}} {
		if got := m.quantile(tt.p); math.Abs(got-tt.want)/tt.want > 0.05 {
			t.Errorf("quantile(%v) = %.2f ms, want %.2f within 5%%", tt.p, got, tt.want)
		}
	}
	if got := (&minuteStats{}).quantile(0.5); got != 0 {
		t.Errorf("quantile of no requests = %v, want 0", got)
	}
}

func TestStatsStore(t *testing.T) {
	st := newStatsStore()
	now := time.Date(2024, 2, 14, 12, 0, 30, 0, time.UTC)
	a, b := seriesKey{"api", "prod", "GET /a"}, seriesKey{"api", "prod", "GET /b"}
	out := &outcome{}
	st.record(a, now, time.Millisecond, 200, out)
	first := (*st.series.Load())[a]

	// A new series an hour later drops the idle one.
	st.record(b, now.Add(time.Hour), time.Millisecond, 200, out)
	if _, ok := (*st.series.Load())[a]; ok || !first.dead {
		t.Fatalf("the series idle for an hour is still there (dead %v)", first.dead)
	}
	st.record(a, now.Add(time.Hour), time.Millisecond, 200, out)
	if s := (*st.series.Load())[a]; s == nil || s == first {
		t.Fatal("a request on a dropped route did not make a new series")
	}

	// A request from more than an hour before what its slot holds (the
	// clock went back) is not counted.
	st.record(b, now, time.Millisecond, 200, out)
	snap := st.snapshot(now.Add(time.Hour))
	if len(snap) != 2 || snap[0].Total.Count != 1 || snap[1].Total.Count != 1 {
		t.Errorf("snapshot = %+v, want one request on each route", snap)
	}
}

// BenchmarkStatsRecord measures recording one request in a warm series,
// without the rest of the request path.
func BenchmarkStatsRecord(b *testing.B) {
	st := newStatsStore()
	k := seriesKey{"bench", "$default", "GET /pets/{id}"}
	now := time.Now()
	out := &outcome{cache: 1}
	st.record(k, now, time.Millisecond, 200, out)
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st.record(k, now, 3*time.Millisecond, 200, out)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				st.record(k, now, 3*time.Millisecond, 200, out)
			}
		})
	})
}
