package gateway_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
	"github.com/gatekit/gatekit/throttle"
)

// bucketRatio is how much wider each latency bucket is than the one
// before it: the precision of the percentiles.
const bucketRatio = 1.44

// statusIntegration answers with code.
func statusIntegration(code int) gateway.Integration {
	return gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }))
}

// slowIntegration takes ?ms= milliseconds of clock's time, exactly.
func slowIntegration(clock *gatewaytest.Clock) gateway.Integration {
	return gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.ParseFloat(r.URL.Query().Get("ms"), 64)
		clock.Advance(time.Duration(ms * float64(time.Millisecond)))
	}))
}

// statsGateway serves routes on stage "prod" of API "pets" with st's
// settings and statistics on, on a fake clock at t0.
func statsGateway(t *testing.T, st gateway.Stage, routes []gateway.Route, clock *gatewaytest.Clock, opts ...gateway.Option) *gateway.Gateway {
	t.Helper()
	return stagedGateway(t, st, routes, append(opts, gateway.WithStats(), gateway.WithClock(clock))...)
}

// routeStats returns the statistics of a route of stage "prod" of "pets".
func routeStats(t *testing.T, gw *gateway.Gateway, route string) gateway.RouteStats {
	t.Helper()
	for _, rs := range gw.Stats() {
		if rs.API == "pets" && rs.Stage == "prod" && rs.Route == route {
			return rs
		}
	}
	t.Fatalf("no statistics for %q in %+v", route, gw.Stats())
	return gateway.RouteStats{}
}

// counts are the counters of a MinuteStats, without its time and
// latencies.
type counts struct{ count, e4xx, e5xx, throttled, hits, misses int64 }

func countsOf(m gateway.MinuteStats) counts {
	return counts{m.Count, m.Errors4XX, m.Errors5XX, m.Throttled, m.CacheHits, m.CacheMisses}
}

func TestStatsOff(t *testing.T) {
	gw := stagedGateway(t, gateway.Stage{}, []gateway.Route{{Key: "GET /pets", Integration: echo}})
	do(t, gw, "GET", "/prod/pets", nil)
	if s := gw.Stats(); s != nil {
		t.Errorf("Stats() without WithStats = %+v, want nil", s)
	}
	gw = stagedGateway(t, gateway.Stage{}, []gateway.Route{{Key: "GET /pets", Integration: echo}}, gateway.WithStats())
	if s := gw.Stats(); s == nil || len(s) != 0 {
		t.Errorf("Stats() with WithStats, before any request = %#v, want empty, not nil", s)
	}
}

func TestStatsCounts(t *testing.T) {
	clock := gatewaytest.NewClock(t0.Add(15 * time.Second))
	off := &gateway.RouteCache{Disabled: true}
	gw := statsGateway(t, gateway.Stage{
		Cache:          &gateway.StageCache{Capacity: 1 << 20},
		RouteThrottles: map[string]throttle.Rate{"GET /limited": {PerSecond: 1, Burst: 1}},
	}, []gateway.Route{
		{Key: "GET /pets/{id}", Integration: statusIntegration(200)},
		{Key: "GET /missing", Integration: statusIntegration(404), Cache: off},
		{Key: "GET /broken", Integration: statusIntegration(500), Cache: off},
		{Key: "GET /limited", Integration: statusIntegration(200), Cache: off},
	}, clock)
	for _, target := range []string{
		"/prod/pets/1", "/prod/pets/1", "/prod/pets/2", // miss, hit, miss
		"/prod/missing",
		"/prod/broken", "/prod/broken",
		"/prod/limited", "/prod/limited", // the second is throttled
		"/prod/nope", "/elsewhere", // no route: not counted
	} {
		do(t, gw, "GET", target, nil)
	}

	stats := gw.Stats()
	var got []string
	for _, rs := range stats {
		got = append(got, rs.API+" "+rs.Stage+" "+rs.Route)
	}
	want := []string{"pets prod GET /broken", "pets prod GET /limited", "pets prod GET /missing", "pets prod GET /pets/{id}"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Stats() has %q, want %q", got, want)
	}
	for _, tt := range []struct {
		route string
		want  counts
	}{
		{"GET /pets/{id}", counts{count: 3, hits: 1, misses: 2}},
		{"GET /missing", counts{count: 1, e4xx: 1}},
		{"GET /broken", counts{count: 2, e5xx: 2}},
		{"GET /limited", counts{count: 2, e4xx: 1, throttled: 1}},
	} {
		t.Run(tt.route, func(t *testing.T) {
			rs := routeStats(t, gw, tt.route)
			if got := countsOf(rs.Total); got != tt.want {
				t.Errorf("Total = %+v, want %+v", got, tt.want)
			}
			if len(rs.Minutes) != 1 || countsOf(rs.Minutes[0]) != tt.want {
				t.Fatalf("Minutes = %+v, want one minute of %+v", rs.Minutes, tt.want)
			}
			if start := rs.Minutes[0].Start; !start.Equal(t0) || start.Location() != time.UTC || !rs.Total.Start.Equal(t0) {
				t.Errorf("Start = %v, Total.Start = %v; want %v, UTC", start, rs.Total.Start, t0)
			}
		})
	}
}

func TestStatsMinutes(t *testing.T) {
	clock := gatewaytest.NewClock(t0)
	gw := statsGateway(t, gateway.Stage{}, []gateway.Route{{Key: "GET /pets", Integration: echo}}, clock)
	type minute struct {
		at    time.Duration // after t0
		count int64
	}
	for _, step := range []struct {
		name     string
		at       time.Duration // the clock, after t0
		requests int
		want     []minute // what Stats reports then, oldest first
	}{
		{"first minute", 10 * time.Second, 2, []minute{{0, 2}}},
		{"same minute", 59 * time.Second, 1, []minute{{0, 3}}},
		{"next minute", time.Minute, 1, []minute{{0, 3}, {time.Minute, 1}}},
		{"a gap", 3*time.Minute + 30*time.Second, 3, []minute{{0, 3}, {time.Minute, 1}, {3 * time.Minute, 3}}},
		{"59 minutes on", 59*time.Minute + 59*time.Second, 0, []minute{{0, 3}, {time.Minute, 1}, {3 * time.Minute, 3}}},
		{"an hour on: the first minute is dropped", 60 * time.Minute, 0, []minute{{time.Minute, 1}, {3 * time.Minute, 3}}},
		// The request lands in the ring slot of t0+1m, which it resets.
		{"a slot reused", 61 * time.Minute, 1, []minute{{3 * time.Minute, 3}, {61 * time.Minute, 1}}},
		{"61 minutes later: all dropped", 122 * time.Minute, 0, nil},
	} {
		clock.Set(t0.Add(step.at))
		for range step.requests {
			do(t, gw, "GET", "/prod/pets", nil)
		}
		stats := gw.Stats()
		if len(step.want) == 0 {
			if len(stats) != 0 {
				t.Errorf("%s: Stats() = %+v, want none", step.name, stats)
			}
			continue
		}
		if len(stats) != 1 {
			t.Fatalf("%s: Stats() has %d routes, want 1", step.name, len(stats))
		}
		var got []minute
		var total int64
		for _, m := range stats[0].Minutes {
			got = append(got, minute{m.Start.Sub(t0), m.Count})
		}
		for _, m := range step.want {
			total += m.count
		}
		if fmt.Sprint(got) != fmt.Sprint(step.want) {
			t.Errorf("%s: minutes %v, want %v", step.name, got, step.want)
		}
		if tot := stats[0].Total; tot.Count != total || !tot.Start.Equal(t0.Add(step.want[0].at)) {
			t.Errorf("%s: Total has %d requests from %v, want %d from %v", step.name, tot.Count, tot.Start, total, t0.Add(step.want[0].at))
		}
	}
}

func TestStatsPercentiles(t *testing.T) {
	near := func(got, want float64) bool { return got >= want/bucketRatio && got <= want*bucketRatio }
	exact := func(got, want float64) bool { return got == want }
	for _, tt := range []struct {
		name          string
		ms            []float64 // the requests' latencies
		p50, p90, p99 float64
		match         func(got, want float64) bool
	}{
		{"1 to 10 ms", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 9, 9.9, near},
		// The buckets are narrowed to the fastest and slowest requests.
		{"all alike", []float64{20, 20, 20, 20}, 20, 20, 20, exact},
		{"one request", []float64{250}, 250, 250, 250, exact},
		{"outliers", append(slices.Repeat([]float64{1}, 98), 3000, 3000), 1, 1, 3000, near},
		{"below the first bound", []float64{0.01, 0.02, 0.03}, 0.02, 0.03, 0.03, near},
		{"above the last bound", []float64{90_000, 120_000}, 90_000, 120_000, 120_000, near},
	} {
		t.Run(tt.name, func(t *testing.T) {
			clock := gatewaytest.NewClock(t0)
			gw := statsGateway(t, gateway.Stage{}, []gateway.Route{{Key: "GET /slow", Integration: slowIntegration(clock)}}, clock)
			for _, ms := range tt.ms {
				do(t, gw, "GET", fmt.Sprintf("/prod/slow?ms=%g", ms), nil)
			}
			tot := routeStats(t, gw, "GET /slow").Total
			if !tt.match(tot.P50, tt.p50) {
				t.Errorf("P50 = %v ms, want %v", tot.P50, tt.p50)
			}
			if !tt.match(tot.P90, tt.p90) {
				t.Errorf("P90 = %v ms, want %v", tot.P90, tt.p90)
			}
			if !tt.match(tot.P99, tt.p99) {
				t.Errorf("P99 = %v ms, want %v", tot.P99, tt.p99)
			}
			if !(tot.P50 <= tot.P90 && tot.P90 <= tot.P99) {
				t.Errorf("P50 %v, P90 %v, P99 %v: not in order", tot.P50, tot.P90, tot.P99)
			}
		})
	}
}

// TestStatsTotalMerges checks that Total's percentiles come from the
// hour's histograms merged, not from the minutes' percentiles.
func TestStatsTotalMerges(t *testing.T) {
	clock := gatewaytest.NewClock(t0)
	gw := statsGateway(t, gateway.Stage{}, []gateway.Route{{Key: "GET /slow", Integration: slowIntegration(clock)}}, clock)
	for range 9 {
		do(t, gw, "GET", "/prod/slow?ms=1", nil)
	}
	clock.Set(t0.Add(time.Minute))
	for range 91 {
		do(t, gw, "GET", "/prod/slow?ms=100", nil)
	}
	rs := routeStats(t, gw, "GET /slow")
	if len(rs.Minutes) != 2 || rs.Minutes[0].P50 != 1 || rs.Minutes[1].P50 != 100 {
		t.Fatalf("minutes %+v, want P50s of 1 and 100 ms", rs.Minutes)
	}
	// 91% of the requests took 100 ms: P50 is in 100 ms's bucket, below it.
	if tot := rs.Total; tot.Count != 100 || tot.P50 < 100/bucketRatio || tot.P50 > tot.P99 || tot.P99 > 100 {
		t.Errorf("Total: %d requests, P50 %v, P99 %v; want 100, about 100 ms, at most 100 ms", tot.Count, tot.P50, tot.P99)
	}
}

func TestStatsSorted(t *testing.T) {
	clock := gatewaytest.NewClock(t0)
	gw := statsGateway(t, gateway.Stage{}, routes("GET /pets", "GET /owners"), clock)
	deps, err := gw.Deployments("pets")
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.PutStage("pets", gateway.Stage{Name: "beta", DeploymentID: deps[0].ID}); err != nil {
		t.Fatal(err)
	}
	if err := gw.Mount("/v2", &gateway.API{Name: "animals", Routes: routes("GET /cats")}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/prod/pets", "/beta/owners", "/prod/owners", "/v2/cats", "/beta/pets", "/prod/pets"} {
		if resp, _ := do(t, gw, "GET", target, nil); resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", target, resp.StatusCode)
		}
	}
	var got []string
	for _, rs := range gw.Stats() {
		got = append(got, fmt.Sprintf("%s %s %s %d", rs.API, rs.Stage, rs.Route, rs.Total.Count))
	}
	want := []string{
		"animals $default GET /cats 1",
		"pets beta GET /owners 1",
		"pets beta GET /pets 1",
		"pets prod GET /owners 1",
		"pets prod GET /pets 2",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Stats():\n%q\nwant\n%q", got, want)
	}
}

// TestStatsWithMetrics checks that statistics and OpenTelemetry metrics
// work side by side: the integration is still timed for the metrics.
func TestStatsWithMetrics(t *testing.T) {
	clock := gatewaytest.NewClock(t0)
	gw, reader := observed(t, gateway.Stage{}, []gateway.Route{{Key: "GET /slow", Integration: slowIntegration(clock)}},
		gateway.WithStats(), gateway.WithClock(clock))
	do(t, gw, "GET", "/prod/slow?ms=7", nil)
	data := collect(t, reader)
	if got := counterValue(t, data, "gatekit.Count", "GET /slow"); got != 1 {
		t.Errorf("gatekit.Count = %d, want 1", got)
	}
	if _, ok := data["gatekit.IntegrationLatency"]; !ok {
		t.Error("no gatekit.IntegrationLatency with statistics on")
	}
	if tot := routeStats(t, gw, "GET /slow").Total; tot.Count != 1 || tot.P50 != 7 {
		t.Errorf("Total = %+v, want 1 request of 7 ms", tot)
	}
}

func TestStatsConcurrent(t *testing.T) {
	const workers, perWorker = 8, 1000
	clock := gatewaytest.NewClock(t0)
	gw := statsGateway(t, gateway.Stage{}, routes("GET /a", "GET /b"), clock, highGatewayRate)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			target := []string{"/prod/a", "/prod/b"}[w%2]
			for i := range perWorker {
				if resp := gatewaytest.Do(gw, httptest.NewRequest("GET", target, nil)); resp.StatusCode != 200 {
					t.Errorf("GET %s: %d", target, resp.StatusCode)
					return
				}
				if i%100 == 0 {
					_ = gw.Stats() // reading while recording
				}
			}
		})
	}
	wg.Wait()
	var total int64
	for _, rs := range gw.Stats() {
		if rs.Total.Count != workers/2*perWorker {
			t.Errorf("%s: %d requests, want %d", rs.Route, rs.Total.Count, workers/2*perWorker)
		}
		total += rs.Total.Count
	}
	if total != workers*perWorker {
		t.Errorf("%d requests counted, want %d", total, workers*perWorker)
	}
}
