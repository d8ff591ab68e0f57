package gateway_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/cache"
	"github.com/gatekit/gatekit/cache/rediscache"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

// counted is a handler that answers with how many times it was called,
// and whatever its respond function adds.
type counted struct {
	calls   atomic.Int64
	respond func(w http.ResponseWriter, r *http.Request)
}

func (c *counted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := c.calls.Add(1)
	if c.respond != nil {
		c.respond(w, r)
	}
	fmt.Fprintf(w, "call %d", n)
}

// nameBearer is an authorizer that takes the caller's name from the
// Authorization header: "Bearer NAME[ SCOPE]".
var nameBearer = auth.AuthorizerFunc(func(_ context.Context, r *auth.Request) (*auth.Identity, error) {
	f := strings.Fields(strings.TrimPrefix(r.HTTP.Header.Get("Authorization"), "Bearer "))
	if len(f) == 0 {
		return nil, auth.ErrUnauthorized
	}
	return &auth.Identity{Kind: "test", Principal: f[0], Scopes: f[1:]}, nil
})

// stagedGateway serves routes as API "pets" on stage "prod" (at /prod/…),
// with the settings of st and the "bearer" authorizer.
func stagedGateway(t *testing.T, st gateway.Stage, routes []gateway.Route, opts ...gateway.Option) *gateway.Gateway {
	t.Helper()
	gw := gateway.New(opts...)
	t.Cleanup(func() { _ = gw.Close() })
	if err := gw.RegisterAuthorizer("bearer", nameBearer); err != nil {
		t.Fatal(err)
	}
	if err := gw.AddAPI("/", &gateway.API{Name: "pets", Routes: routes}); err != nil {
		t.Fatal(err)
	}
	d, err := gw.Deploy("pets", "v1")
	if err != nil {
		t.Fatal(err)
	}
	st.Name, st.DeploymentID = "prod", d.ID
	if err := gw.PutStage("pets", st); err != nil {
		t.Fatal(err)
	}
	return gw
}

// cachedGateway serves routes on stage "prod" with the given cache, on a
// fake clock.
func cachedGateway(t *testing.T, sc *gateway.StageCache, routes ...gateway.Route) (*gateway.Gateway, *gatewaytest.Clock) {
	t.Helper()
	clock := gatewaytest.NewClock(t0)
	return stagedGateway(t, gateway.Stage{Cache: sc}, routes, gateway.WithClock(clock)), clock
}

// get sends a request and returns the response, its body and X-Cache.
func get(t *testing.T, gw http.Handler, method, target string, header ...string) (*http.Response, string, string) {
	t.Helper()
	resp, body := do(t, gw, method, target, nil, header...)
	return resp, body, resp.Header.Get("X-Cache")
}

func TestCacheHitMiss(t *testing.T) {
	h := &counted{respond: func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Type", "text/plain") }}
	gw, clock := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20},
		gateway.Route{Key: "GET /pets/{id}", Integration: gateway.Handler(h), Cache: &gateway.RouteCache{
			KeyParameters: []string{"querystring.size", "header.Accept-Language"},
		}},
		gateway.Route{Key: "GET /short", Integration: gateway.Handler(h), Cache: &gateway.RouteCache{TTL: 10 * time.Second}},
	)
	steps := []struct {
		target, lang string
		wantBody     string
		wantCache    string
	}{
		{"/prod/pets/1?size=1", "", "call 1", "Miss"},
		{"/prod/pets/1?size=1", "", "call 1", "Hit"},
		{"/prod/pets/1?size=1&color=red", "", "call 1", "Hit"}, // not a key parameter
		{"/prod/pets/1?size=2", "", "call 2", "Miss"},          // a key parameter
		{"/prod/pets/2?size=1", "", "call 3", "Miss"},          // a path parameter
		{"/prod/pets/1?size=1", "fr", "call 4", "Miss"},        // a key header
		{"/prod/pets/1?size=1", "fr", "call 4", "Hit"},
	}
	for _, st := range steps {
		var hdr []string
		if st.lang != "" {
			hdr = []string{"Accept-Language", st.lang}
		}
		resp, body, xc := get(t, gw, "GET", st.target, hdr...)
		if resp.StatusCode != 200 || body != st.wantBody || xc != st.wantCache {
			t.Fatalf("GET %s (%s): %d %q X-Cache %q; want %q, %s", st.target, st.lang, resp.StatusCode, body, xc, st.wantBody, st.wantCache)
		}
		if resp.Header.Get("Content-Type") != "text/plain" || resp.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s: headers %v, want the integration's Content-Type and a request id", st.target, resp.Header)
		}
	}
	resp, _, _ := get(t, gw, "GET", "/prod/pets/1?size=1")
	if resp.Header.Get("Age") != "0" {
		t.Errorf("Age = %q, want 0", resp.Header.Get("Age"))
	}
	clock.Advance(100 * time.Second)
	resp, _, _ = get(t, gw, "GET", "/prod/pets/1?size=1")
	if resp.Header.Get("Age") != "100" {
		t.Errorf("Age after 100 s = %q, want 100", resp.Header.Get("Age"))
	}
	// The stage's TTL is the default 300 s; the route's override is 10 s.
	get(t, gw, "GET", "/prod/short")
	clock.Advance(11 * time.Second)
	if _, body, xc := get(t, gw, "GET", "/prod/short"); xc != "Miss" {
		t.Errorf("/short after its 10 s TTL: %s %q, want a miss", xc, body)
	}
	clock.Advance(200 * time.Second)
	if _, body, xc := get(t, gw, "GET", "/prod/pets/1?size=1"); xc != "Miss" {
		t.Errorf("after the stage's 300 s TTL: %s %q, want a miss", xc, body)
	}
	stats, err := gw.CacheStats("pets", "prod")
	if err != nil || stats.Hits != 5 || stats.Misses != 7 {
		t.Errorf("CacheStats() = %+v, %v; want 5 hits, 7 misses", stats, err)
	}
}

// TestCacheNotStored lists the responses and requests that must reach the
// integration every time.
func TestCacheNotStored(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		rc      *gateway.RouteCache
		respond func(w http.ResponseWriter, r *http.Request)
	}{
		{"server error", "GET", nil, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }},
		{"not found", "GET", nil, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(404) }},
		{"no-store", "GET", nil, func(w http.ResponseWriter, _ *http.Request) { w.Header().Set("Cache-Control", "no-store") }},
		{"private", "GET", nil, func(w http.ResponseWriter, _ *http.Request) { w.Header().Set("Cache-Control", "max-age=60, private") }},
		{"set-cookie", "GET", nil, func(w http.ResponseWriter, _ *http.Request) { w.Header().Set("Set-Cookie", "session=1") }},
		{"too large", "GET", nil, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(make([]byte, 2000)) }},
		{"POST", "POST", nil, nil},
		{"route disabled", "GET", &gateway.RouteCache{Disabled: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &counted{respond: tt.respond}
			gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20, MaxEntryBytes: 1000},
				gateway.Route{Key: "ANY /thing", Integration: gateway.Handler(h), Cache: tt.rc})
			for range 3 {
				do(t, gw, tt.method, "/prod/thing", nil)
			}
			if n := h.calls.Load(); n != 3 {
				t.Errorf("the integration was called %d times for 3 requests, want 3", n)
			}
		})
	}
	t.Run("upgrade", func(t *testing.T) {
		h := &counted{}
		gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20}, gateway.Route{Key: "GET /socket", Integration: gateway.Handler(h)})
		for range 3 {
			do(t, gw, "GET", "/prod/socket", nil, "Connection", "Upgrade", "Upgrade", "websocket")
		}
		if n := h.calls.Load(); n != 3 {
			t.Errorf("the integration was called %d times for 3 upgrade requests, want 3: upgrades are never cached", n)
		}
	})
	t.Run("POST with AllMethods", func(t *testing.T) {
		h := &counted{}
		gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20},
			gateway.Route{Key: "POST /search", Integration: gateway.Handler(h), Cache: &gateway.RouteCache{AllMethods: true}})
		for range 3 {
			do(t, gw, "POST", "/prod/search", nil)
		}
		if n := h.calls.Load(); n != 1 {
			t.Errorf("the integration was called %d times, want 1", n)
		}
	})
}

// TestCacheIdentity checks that callers of an authorized route do not
// share entries unless the route says its response is shared.
func TestCacheIdentity(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprint("shared=", shared), func(t *testing.T) {
			h := &counted{}
			gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20},
				gateway.Route{Key: "GET /me", Integration: gateway.Handler(h), Authorizer: "bearer", Cache: &gateway.RouteCache{Shared: shared}})
			_, alice, _ := get(t, gw, "GET", "/prod/me", "Authorization", "Bearer alice")
			_, bob, xc := get(t, gw, "GET", "/prod/me", "Authorization", "Bearer bob")
			if shared && (bob != alice || xc != "Hit") {
				t.Errorf("shared route: bob got %q (%s), want alice's %q from the cache", bob, xc, alice)
			}
			if !shared && (bob == alice || xc != "Miss") {
				t.Errorf("per-caller route: bob got %q (%s), alice's entry is %q", bob, xc, alice)
			}
			if _, again, xc := get(t, gw, "GET", "/prod/me", "Authorization", "Bearer bob"); again != bob || xc != "Hit" {
				t.Errorf("bob again: %q (%s), want his own entry %q", again, xc, bob)
			}
		})
	}
	t.Run("API key", func(t *testing.T) {
		h := &counted{}
		gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20},
			gateway.Route{Key: "GET /partner", Integration: gateway.Handler(h), APIKeyRequired: true})
		_, v1, _ := gw.APIKeys().Create(context.Background(), "one", "")
		_, v2, _ := gw.APIKeys().Create(context.Background(), "two", "")
		get(t, gw, "GET", "/prod/partner", "X-Api-Key", v1)
		if _, _, xc := get(t, gw, "GET", "/prod/partner", "X-Api-Key", v2); xc != "Miss" {
			t.Errorf("another key: X-Cache %s, want a miss", xc)
		}
	})
}

func TestCacheInvalidation(t *testing.T) {
	tests := []struct {
		name       string
		inv        gateway.CacheInvalidation
		caller     string
		wantStatus int
		wantBody   string // after "call 1" was cached
		wantCache  string
		wantWarn   bool
	}{
		{"authorized by scope", gateway.CacheInvalidation{}, "Bearer ops " + gateway.InvalidateCachePermission, 200, "call 2", "Miss", false},
		{"unauthorized, default 403", gateway.CacheInvalidation{}, "Bearer alice", 403, `{"message":"Forbidden"}`, "", false},
		{"unauthorized, header", gateway.CacheInvalidation{Unauthorized: gateway.SucceedWithResponseHeader}, "Bearer alice", 200, "call 1", "Hit", true},
		{"unauthorized, silent", gateway.CacheInvalidation{Unauthorized: gateway.SucceedWithoutResponseHeader}, "Bearer alice", 200, "call 1", "Hit", false},
		{"anyone allowed", gateway.CacheInvalidation{AllowUnauthorized: true}, "Bearer alice", 200, "call 2", "Miss", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &counted{}
			gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20, Invalidation: tt.inv},
				gateway.Route{Key: "GET /pets", Integration: gateway.Handler(h), Authorizer: "bearer", Cache: &gateway.RouteCache{Shared: true}})
			get(t, gw, "GET", "/prod/pets", "Authorization", "Bearer alice")
			resp, body, xc := get(t, gw, "GET", "/prod/pets", "Authorization", tt.caller, "Cache-Control", "max-age=0")
			warn := resp.Header.Get("Warning") != ""
			if resp.StatusCode != tt.wantStatus || body != tt.wantBody || xc != tt.wantCache || warn != tt.wantWarn {
				t.Errorf("got %d %q X-Cache %q Warning %q; want %d %q %q warning=%v",
					resp.StatusCode, body, xc, resp.Header.Get("Warning"), tt.wantStatus, tt.wantBody, tt.wantCache, tt.wantWarn)
			}
			if tt.wantCache == "Miss" { // the refreshed entry is served next
				if _, body, xc := get(t, gw, "GET", "/prod/pets", "Authorization", "Bearer alice"); body != "call 2" || xc != "Hit" {
					t.Errorf("after the refresh: %q (%s), want the new entry", body, xc)
				}
			}
		})
	}
}

// TestCacheFlushAndRedeploy checks Flush, that a new deployment does not
// serve the old one's entries, and that reconfiguring the stage keeps
// its entries and counters.
func TestCacheFlushAndRedeploy(t *testing.T) {
	h := &counted{}
	sc := &gateway.StageCache{Capacity: 1 << 20}
	gw, _ := cachedGateway(t, sc, gateway.Route{Key: "GET /pets", Integration: gateway.Handler(h)})
	ctx := context.Background()
	get(t, gw, "GET", "/prod/pets")
	st, _ := gw.GetStage("pets", "prod")
	st.Variables = map[string]string{"color": "blue"}
	if err := gw.PutStage("pets", st); err != nil {
		t.Fatal(err)
	}
	if _, _, xc := get(t, gw, "GET", "/prod/pets"); xc != "Hit" {
		t.Errorf("after changing a variable: %s, want the entry kept", xc)
	}
	if err := gw.FlushStageCache(ctx, "pets", "prod"); err != nil {
		t.Fatal(err)
	}
	if _, _, xc := get(t, gw, "GET", "/prod/pets"); xc != "Miss" {
		t.Errorf("after a flush: %s, want a miss", xc)
	}
	d2, err := gw.Deploy("pets", "v2")
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.SetStageDeployment("pets", "prod", d2.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, xc := get(t, gw, "GET", "/prod/pets"); xc != "Miss" {
		t.Errorf("after a redeploy: %s, want a miss", xc)
	}
	if stats, _ := gw.CacheStats("pets", "prod"); stats.Hits != 1 || stats.Misses != 3 {
		t.Errorf("CacheStats() = %+v, want 1 hit and 3 misses across the changes", stats)
	}
	if err := gw.FlushStageCache(ctx, "pets", "nope"); err == nil {
		t.Error("FlushStageCache of a missing stage succeeded")
	}
}

// TestCacheSingleFlight sends concurrent misses for one key: the
// integration runs once and every caller gets its response.
func TestCacheSingleFlight(t *testing.T) {
	release := make(chan struct{})
	h := &counted{respond: func(http.ResponseWriter, *http.Request) { <-release }}
	gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20}, gateway.Route{Key: "GET /slow", Integration: gateway.Handler(h)})
	const n = 20
	var wg sync.WaitGroup
	bodies := make([]string, n)
	for i := range n {
		wg.Go(func() { _, bodies[i], _ = get(t, gw, "GET", "/prod/slow") })
	}
	for deadline := time.Now().Add(5 * time.Second); h.calls.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the integration was never called")
		}
	}
	time.Sleep(50 * time.Millisecond) // let the others queue up behind the first
	close(release)
	wg.Wait()
	if c := h.calls.Load(); c != 1 {
		t.Errorf("the integration ran %d times for %d concurrent misses, want 1", c, n)
	}
	for i, b := range bodies {
		if b != "call 1" {
			t.Errorf("request %d got %q, want call 1", i, b)
		}
	}
}

// failingStore is a cache.Store whose every call fails.
type failingStore struct{}

var errDown = errors.New("cache store down")

func (failingStore) Get(context.Context, string) (*cache.Entry, error) { return nil, errDown }
func (failingStore) Set(context.Context, string, *cache.Entry, time.Duration) error {
	return errDown
}
func (failingStore) Delete(context.Context, string) error { return errDown }
func (failingStore) Flush(context.Context, string) error  { return errDown }

// TestCacheStoreDown: a store that fails, and a Redis store whose server
// refuses connections, turn every request into a miss, never a failure.
func TestCacheStoreDown(t *testing.T) {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { client.Close() })
	deadRedis, err := rediscache.New(client, rediscache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, store := range map[string]cache.Store{"failing": failingStore{}, "redis down": deadRedis} {
		t.Run(name, func(t *testing.T) {
			h := &counted{}
			gw, _ := cachedGateway(t, &gateway.StageCache{Store: store}, gateway.Route{Key: "GET /pets", Integration: gateway.Handler(h)})
			for i := range 3 {
				if resp, body, xc := get(t, gw, "GET", "/prod/pets"); resp.StatusCode != 200 || body != fmt.Sprint("call ", i+1) || xc != "Miss" {
					t.Fatalf("request %d with the store down: %d %q %s; want served as a miss", i, resp.StatusCode, body, xc)
				}
			}
			if stats, _ := gw.CacheStats("pets", "prod"); stats.StoreErrors != 6 || stats.Misses != 3 {
				t.Errorf("CacheStats() = %+v, want 6 store errors (3 gets, 3 sets) and 3 misses", stats)
			}
		})
	}
}

// TestCacheHead: a HEAD request is answered from the GET entry, without
// a body, and a HEAD miss stores nothing.
func TestCacheHead(t *testing.T) {
	h := &counted{}
	gw, _ := cachedGateway(t, &gateway.StageCache{Capacity: 1 << 20}, gateway.Route{Key: "ANY /pets", Integration: gateway.Handler(h)})
	if _, _, xc := get(t, gw, "HEAD", "/prod/pets"); xc != "Miss" {
		t.Fatalf("first HEAD: %s, want a miss", xc)
	}
	if _, body, xc := get(t, gw, "GET", "/prod/pets"); xc != "Miss" || body != "call 2" {
		t.Fatalf("GET after a HEAD: %q %s, want a miss (a HEAD stores nothing)", body, xc)
	}
	resp, body, xc := get(t, gw, "HEAD", "/prod/pets")
	if xc != "Hit" || body != "" || resp.Header.Get("Content-Length") != "6" {
		t.Errorf("HEAD after a GET: %q %s Content-Length %q; want a hit without a body, Content-Length 6", body, xc, resp.Header.Get("Content-Length"))
	}
}

func TestCacheConfigErrors(t *testing.T) {
	gw := gateway.New()
	defer gw.Close()
	routeErrs := []struct {
		name string
		rc   gateway.RouteCache
		want string
	}{
		{"TTL too long", gateway.RouteCache{TTL: 2 * time.Hour}, "Cache.TTL"},
		{"negative TTL", gateway.RouteCache{TTL: -time.Second}, "Cache.TTL"},
		{"unknown kind", gateway.RouteCache{KeyParameters: []string{"cookie.session"}}, `Cache.KeyParameters[0] "cookie.session"`},
		{"no name", gateway.RouteCache{KeyParameters: []string{"querystring."}}, `Cache.KeyParameters[0]`},
		{"unknown path parameter", gateway.RouteCache{KeyParameters: []string{"path.name"}}, `no path parameter "name"`},
	}
	for _, tt := range routeErrs {
		t.Run(tt.name, func(t *testing.T) {
			err := gw.Mount("/", &gateway.API{Routes: []gateway.Route{{Key: "GET /pets/{id}", Integration: echo, Cache: &tt.rc}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "GET /pets/{id}") {
				t.Errorf("Mount() = %v, want an error naming the route and %s", err, tt.want)
			}
		})
	}
	if err := gw.Mount("/", &gateway.API{Routes: []gateway.Route{{Key: "GET /pets/{id}", Integration: echo,
		Cache: &gateway.RouteCache{KeyParameters: []string{"method.request.querystring.size", "path.id"}}}}}); err != nil {
		t.Errorf("Mount with valid key parameters: %v", err)
	}
	stageErrs := []struct {
		name string
		sc   gateway.StageCache
		want string
	}{
		{"no capacity", gateway.StageCache{}, "Cache.Capacity"},
		{"TTL too long", gateway.StageCache{Capacity: 1000, TTL: 3601 * time.Second}, "Cache.TTL"},
		{"negative TTL", gateway.StageCache{Capacity: 1000, TTL: -1}, "Cache.TTL"},
		{"negative entry size", gateway.StageCache{Capacity: 1000, MaxEntryBytes: -1}, "Cache.MaxEntryBytes"},
		{"unknown strategy", gateway.StageCache{Capacity: 1000, Invalidation: gateway.CacheInvalidation{Unauthorized: "IGNORE"}}, "Cache.Invalidation.Unauthorized"},
	}
	for _, tt := range stageErrs {
		t.Run(tt.name, func(t *testing.T) {
			st, err := gw.GetStage("api", "$default")
			if err != nil {
				t.Fatal(err)
			}
			st.Cache = &tt.sc
			if err := gw.PutStage("api", st); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PutStage() = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}
