package redisstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/throttle"
	"github.com/redis/go-redis/v9"
)

// fullReq is a request of the gateway's shape: gateway, route, key and
// key-per-route buckets, and a quota, all with room to spare.
func fullReq(key string) throttle.TakeRequest {
	r := throttle.Rate{PerSecond: 1e6, Burst: 1 << 20}
	return throttle.TakeRequest{
		Rates: []throttle.RateCheck{
			{Key: "gw", Rate: r},
			{Key: "route|pets|prod|GET /pets/{id}", Rate: r},
			{Key: "plan|gold|" + key, Rate: r},
			{Key: "method|gold|" + key + "|pets|prod|GET /pets/{id}", Rate: r},
		},
		Quota: &throttle.QuotaCheck{Key: "quota|gold|" + key, Quota: throttle.Quota{Limit: 1 << 40, Period: throttle.Month}},
	}
}

// commandStats returns the calls of each command from INFO commandstats.
func commandStats(t *testing.T, c *redis.Client) map[string]int64 {
	t.Helper()
	info, err := c.Info(context.Background(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for line := range strings.Lines(info) {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !strings.HasPrefix(name, "cmdstat_") {
			continue
		}
		for f := range strings.SplitSeq(rest, ",") {
			if v, ok := strings.CutPrefix(f, "calls="); ok {
				out[strings.TrimPrefix(name, "cmdstat_")], _ = strconv.ParseInt(v, 10, 64)
			}
		}
	}
	return out
}

// TestOneRoundTrip: N checks of four buckets and a quota are N commands,
// all EVALSHA, by the client's count and by the server's INFO
// commandstats. It uses a redis-server of its own, so that no other
// client's commands are counted.
func TestOneRoundTrip(t *testing.T) {
	srv := startServer(t)
	var hook countHook
	s := newStore(t, srv.addr, Options{}, &hook)
	ctx := context.Background()
	if err := s.LoadScripts(ctx); err != nil {
		t.Fatal(err)
	}
	admin := newClient(t, srv.addr)
	if err := admin.ConfigResetStat(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	hook.n.Store(0)
	const n = 1000
	for i := range n {
		if res := mustTake(t, s, fullReq(fmt.Sprint("key", i%10))); !res.Allowed() {
			t.Fatalf("check %d refused: %+v", i, res)
		}
	}
	stats := commandStats(t, admin)
	if got := hook.n.Load(); got != n {
		t.Errorf("the client sent %d commands for %d checks, want %d", got, n, n)
	}
	if stats["evalsha"] != n {
		t.Errorf("server counted %d EVALSHA for %d checks, want %d (stats %v)", stats["evalsha"], n, n, stats)
	}
	for cmd, calls := range stats {
		switch cmd {
		case "evalsha", "info", "config|resetstat", "hello", "client|setinfo", "ping":
		// Commands run inside the script are counted too; they cost no
		// round trip. Anything else would be a second call.
		case "get", "set", "hmget", "hset", "pexpire", "incr", "time":
		default:
			t.Errorf("server ran %d × %s besides the script", calls, cmd)
		}
	}
	t.Logf("%d checks: client sent %d commands; server: %d EVALSHA (commandstats %v)", n, hook.n.Load(), stats["evalsha"], stats)
}

// TestBlockedCache: once a key is refused, checks naming it are answered
// locally, with no Redis call, until it could admit again.
func TestBlockedCache(t *testing.T) {
	addr := needRedis(t)
	var hook countHook
	s := newStore(t, addr, Options{MaxBlock: 5 * time.Second}, &hook)
	req := throttle.TakeRequest{Rates: []throttle.RateCheck{
		{Key: "gw", Rate: throttle.Rate{PerSecond: 1000, Burst: 1000}},
		{Key: "k", Rate: throttle.Rate{PerSecond: 5, Burst: 1}},
	}}
	if res := mustTake(t, s, req); !res.Allowed() {
		t.Fatalf("first check refused: %+v", res)
	}
	first := mustTake(t, s, req)
	if first.Refused != throttle.RefusedRate || first.Key != "k" || first.RetryAfter <= 0 {
		t.Fatalf("second check: %+v, want refused by k", first)
	}
	calls := hook.n.Load()
	const m = 1000
	for range m {
		res := mustTake(t, s, req)
		if res.Refused != throttle.RefusedRate || res.Key != "k" || res.RetryAfter <= 0 || res.RetryAfter > first.RetryAfter {
			t.Fatalf("cached refusal %+v, want refused by k within %v", res, first.RetryAfter)
		}
	}
	if got := hook.n.Load() - calls; got != 0 {
		t.Errorf("%d checks of a blocked key made %d Redis calls, want 0", m, got)
	}
	// A request not naming k still goes to Redis.
	mustTake(t, s, throttle.TakeRequest{Rates: req.Rates[:1]})
	if got := hook.n.Load() - calls; got != 1 {
		t.Errorf("a check without the blocked key made %d calls, want 1", got)
	}
	time.Sleep(first.RetryAfter + 5*time.Millisecond)
	if res := mustTake(t, s, req); !res.Allowed() {
		t.Errorf("after RetryAfter: %+v, want admitted", res)
	}

	// A spent quota is cached too; AdjustQuota forgets it.
	q := throttle.QuotaCheck{Key: "q", Quota: throttle.Quota{Limit: 1, Period: throttle.Day}}
	qreq := throttle.TakeRequest{Quota: &q}
	mustTake(t, s, qreq)
	if res := mustTake(t, s, qreq); res.Refused != throttle.RefusedQuota {
		t.Fatalf("quota: %+v, want refused", res)
	}
	calls = hook.n.Load()
	for range m {
		if res := mustTake(t, s, qreq); res.Refused != throttle.RefusedQuota || res.RetryAfter <= 0 {
			t.Fatalf("cached quota refusal %+v", res)
		}
	}
	if got := hook.n.Load() - calls; got != 0 {
		t.Errorf("%d checks of a spent quota made %d Redis calls, want 0", m, got)
	}
	if _, err := s.AdjustQuota(context.Background(), "q", q.Quota, 1); err != nil {
		t.Fatal(err)
	}
	if res := mustTake(t, s, qreq); !res.Allowed() {
		t.Errorf("after a grant: %+v, want admitted", res)
	}
}

// TestBlockedCacheBounded: the cache holds at most about its size.
func TestBlockedCacheBounded(t *testing.T) {
	c := newBlockCache(64)
	for i := range 10000 {
		c.put(blockKey{key: fmt.Sprint(i)}, blockEntry{until: 1 << 62}, 0)
	}
	n := 0
	for i := range c.shards {
		n += len(c.shards[i].m)
	}
	if n > 64 || c.size.Load() != int64(n) {
		t.Errorf("cache holds %d entries (size %d), want at most 64", n, c.size.Load())
	}
	if _, ok := c.get(blockKey{key: "9999"}, 0); !ok {
		t.Error("the newest entry is gone")
	}
	if _, ok := c.get(blockKey{key: "9999"}, 1<<62); ok {
		t.Error("an expired entry is answered")
	}
}
