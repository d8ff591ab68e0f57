package gateway

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// WithStats keeps statistics of the last hour in memory (see
// [Gateway.Stats]), for dashboards such as package console's. Off by
// default: without it no request pays for them.
func WithStats() Option {
	return optionFunc(func(c *config) { c.stats = true })
}

// RouteStats are a route's statistics over the last hour.
type RouteStats struct {
	API, Stage, Route string // Route is the route key, "GET /pets/{id}"
	// Total sums the hour; its Start is that of the first minute.
	Total MinuteStats
	// Minutes has one entry per minute of the hour that had requests,
	// oldest first.
	Minutes []MinuteStats
}

// MinuteStats are the requests of one minute (or of the hour, in
// [RouteStats].Total). Throttled counts the requests a rate limit or a
// usage plan's quota refused (429); Errors4XX include them. CacheHits and
// CacheMisses count the requests a stage cache could serve.
// The percentiles are interpolated from a histogram whose buckets are
// about 43% wide, clamped to the fastest and slowest request seen: read
// them to about a bucket's precision.
type MinuteStats struct {
	Start                                                          time.Time // the minute, UTC
	Count, Errors4XX, Errors5XX, Throttled, CacheHits, CacheMisses int64
	P50, P90, P99                                                  float64 // latency, milliseconds
}

// Stats returns the statistics of the last hour — the current minute and
// the 59 before it, by the gateway's clock — of every route that had
// requests in it, sorted by API, stage and route. Requests that matched
// no route are not counted. An API or stage that is removed keeps its
// statistics until they are an hour old.
//
// Stats returns nil without [WithStats], and an empty slice with it
// before any request.
func (g *Gateway) Stats() []RouteStats {
	if g.stats == nil {
		return nil
	}
	return g.stats.snapshot(g.cfg.clock.Now())
}

// The latency histogram has histBounds boundaries, log-spaced from
// histMin to histMax, so histBounds+1 buckets: [0, histMin) first,
// [histMax, ∞) last. Each bucket is (histMax/histMin)^(1/39) ≈ 1.43 times
// as wide as the one before it.
const (
	histMin    = 50 * time.Microsecond
	histMax    = 60 * time.Second
	histBounds = 40
)

// latencyBounds are the histogram's boundaries. Computed once; never
// written after.
var latencyBounds = func() (b [histBounds]time.Duration) {
	ratio := math.Pow(float64(histMax)/float64(histMin), 1/float64(histBounds-1))
	for i := range b {
		b[i] = time.Duration(math.Round(float64(histMin) * math.Pow(ratio, float64(i))))
	}
	b[histBounds-1] = histMax // exactly, whatever the rounding
	return b
}()

// histIndex returns the bucket of d: the number of boundaries at or
// below it.
func histIndex(d time.Duration) int {
	i, found := slices.BinarySearch(latencyBounds[:], d)
	if found {
		i++ // a boundary opens the bucket above it
	}
	return i
}

// statsWindow is how many minutes Stats reports, and the size of each
// series' ring.
const statsWindow = 60

// minuteStats are the counters and the latency histogram of one minute
// of one route. Its size, about 240 bytes, times statsWindow is what a
// route costs: about 14 KB for each (API, stage, route key) that had
// requests in the last hour.
type minuteStats struct {
	minute int64 // unix minutes; the slot is stale if this is not the minute wanted

	count, err4xx, err5xx, throttled, hits, misses int64

	fastest, slowest time.Duration          // bounds for the interpolation
	hist             [histBounds + 1]uint32 // 4 billion a minute is 70 million requests a second
}

// add counts one request.
func (m *minuteStats) add(elapsed time.Duration, status int, out *outcome) {
	if m.count == 0 || elapsed < m.fastest {
		m.fastest = elapsed
	}
	if elapsed > m.slowest {
		m.slowest = elapsed
	}
	m.count++
	m.hist[histIndex(elapsed)]++
	switch {
	case status >= 500:
		m.err5xx++
	case status >= 400:
		m.err4xx++
	}
	if out.refused != 0 {
		m.throttled++
	}
	switch out.cache {
	case 1:
		m.hits++
	case -1:
		m.misses++
	}
}

// merge adds o's requests to m's.
func (m *minuteStats) merge(o *minuteStats) {
	if o.count == 0 {
		return
	}
	if m.count == 0 || o.fastest < m.fastest {
		m.fastest = o.fastest
	}
	m.slowest = max(m.slowest, o.slowest)
	m.count += o.count
	m.err4xx += o.err4xx
	m.err5xx += o.err5xx
	m.throttled += o.throttled
	m.hits += o.hits
	m.misses += o.misses
	for i, n := range o.hist {
		m.hist[i] += n
	}
}

// quantile returns the latency, in milliseconds, below which a share p of
// the requests fall: found in the histogram, and interpolated linearly
// within its bucket, whose bounds are narrowed to the fastest and slowest
// requests.
func (m *minuteStats) quantile(p float64) float64 {
	if m.count == 0 {
		return 0
	}
	rank := p * float64(m.count)
	var below float64
	for i, n := range m.hist {
		if n == 0 {
			continue
		}
		if below+float64(n) >= rank {
			lo, hi := m.fastest, m.slowest
			if i > 0 {
				lo = max(lo, latencyBounds[i-1])
			}
			if i < histBounds {
				hi = min(hi, latencyBounds[i])
			}
			return ms(lo) + (rank-below)/float64(n)*ms(hi-lo)
		}
		below += float64(n)
	}
	return ms(m.slowest)
}

// public returns m as the API reports it.
func (m *minuteStats) public() MinuteStats {
	return MinuteStats{
		Start:       time.Unix(m.minute*60, 0).UTC(),
		Count:       m.count,
		Errors4XX:   m.err4xx,
		Errors5XX:   m.err5xx,
		Throttled:   m.throttled,
		CacheHits:   m.hits,
		CacheMisses: m.misses,
		P50:         m.quantile(0.50),
		P90:         m.quantile(0.90),
		P99:         m.quantile(0.99),
	}
}

// seriesKey names a route of a stage. Route keys are templates, so the
// set of keys is bounded by the routes deployed.
type seriesKey struct{ api, stage, route string }

// series is a route's last hour: a ring of minutes, indexed by unix
// minute modulo statsWindow. A slot holding another minute is at least an
// hour old, and is reset when reused.
type series struct {
	mu   sync.Mutex // guards what follows
	dead bool       // dropped from the store: record into its successor
	last int64      // the newest minute recorded
	ring [statsWindow]minuteStats
}

// statsStore holds the series. Requests find theirs in a map that is
// never changed once published: a new series publishes a copy. Reading
// it takes no lock, so requests on different routes share nothing, and
// a request on a known route does not allocate. New series are rare
// (route keys are bounded), and each copy drops the series idle for an
// hour, so the map holds the routes of the last hour.
type statsStore struct {
	series atomic.Pointer[map[seriesKey]*series]
	mu     sync.Mutex // serializes the publication of new maps
}

func newStatsStore() *statsStore {
	st := &statsStore{}
	st.series.Store(&map[seriesKey]*series{})
	return st
}

// unixMinute returns the minute of t, counted from the Unix epoch.
func unixMinute(t time.Time) int64 {
	s := t.Unix()
	if s < 0 {
		s -= 59 // round down
	}
	return s / 60
}

// slot returns the ring index of minute m.
func slot(m int64) int {
	return int((m%statsWindow + statsWindow) % statsWindow)
}

// record counts a request that finished at now after elapsed.
func (st *statsStore) record(k seriesKey, now time.Time, elapsed time.Duration, status int, out *outcome) {
	m := unixMinute(now)
	elapsed = max(elapsed, 0)
	for {
		se := (*st.series.Load())[k]
		if se == nil {
			se = st.add(k, m)
		}
		se.mu.Lock()
		if se.dead {
			// Dropped as idle between the lookup and the lock: its
			// successor is, or will be, in the map.
			se.mu.Unlock()
			continue
		}
		b := &se.ring[slot(m)]
		if b.minute != m {
			if b.minute > m && b.count > 0 {
				// The clock went back more than an hour: the slot holds
				// newer requests.
				se.mu.Unlock()
				return
			}
			*b = minuteStats{minute: m}
		}
		b.add(elapsed, status, out)
		se.last = max(se.last, m)
		se.mu.Unlock()
		return
	}
}

// add returns the series of k, publishing a new map with it if it is
// not there. The new map leaves out the series without requests in the
// hour before minute m.
func (st *statsStore) add(k seriesKey, m int64) *series {
	st.mu.Lock()
	defer st.mu.Unlock()
	old := *st.series.Load()
	if se := old[k]; se != nil {
		return se
	}
	next := make(map[seriesKey]*series, len(old)+1)
	for key, se := range old {
		se.mu.Lock()
		idle := se.last <= m-statsWindow
		se.dead = idle
		se.mu.Unlock()
		if !idle {
			next[key] = se
		}
	}
	se := &series{last: m}
	next[k] = se
	st.series.Store(&next)
	return se
}

// snapshot returns the statistics of the hour up to now.
func (st *statsStore) snapshot(now time.Time) []RouteStats {
	m := unixMinute(now)
	out := []RouteStats{}
	var mins []minuteStats
	for k, se := range *st.series.Load() {
		// Copy the hour's minutes, oldest first, and let requests on.
		mins = mins[:0]
		se.mu.Lock()
		for i := m - statsWindow + 1; i <= m; i++ {
			if b := &se.ring[slot(i)]; b.minute == i && b.count > 0 {
				mins = append(mins, *b)
			}
		}
		se.mu.Unlock()
		if len(mins) == 0 {
			continue
		}
		rs := RouteStats{API: k.api, Stage: k.stage, Route: k.route, Minutes: make([]MinuteStats, len(mins))}
		total := minuteStats{minute: mins[0].minute}
		for i := range mins {
			total.merge(&mins[i])
			rs.Minutes[i] = mins[i].public()
		}
		rs.Total = total.public()
		out = append(out, rs)
	}
	slices.SortFunc(out, func(a, b RouteStats) int {
		return cmp.Or(cmp.Compare(a.API, b.API), cmp.Compare(a.Stage, b.Stage), cmp.Compare(a.Route, b.Route))
	})
	return out
}
