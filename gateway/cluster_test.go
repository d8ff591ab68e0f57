package gateway_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/cache/rediscache"
	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/redistest"
	"github.com/gatekit/gatekit/throttle"
	"github.com/gatekit/gatekit/throttle/redisstore"
)

// instance is one gateway of a cluster: the "pets" API on stage "prod"
// with the plan every instance configures alike.
func instance(t *testing.T, plan throttle.Plan, opts ...gateway.Option) *gateway.Gateway {
	t.Helper()
	gw := stagedGateway(t, gateway.Stage{}, []gateway.Route{{Key: "GET /pets/{id}", Integration: echo, APIKeyRequired: true}}, opts...)
	if err := gw.PutUsagePlan(plan); err != nil {
		t.Fatal(err)
	}
	return gw
}

var prodPlan = throttle.Plan{
	Name:   "free",
	Stages: []throttle.StageRef{{API: "pets", Stage: "prod"}},
	Quota:  &throttle.Quota{Limit: 1000, Period: throttle.Day},
}

// TestSharedKeyPlans: a key attached through one gateway is on the plan
// in another that shares the key store, and detached likewise.
func TestSharedKeyPlans(t *testing.T) {
	ctx := context.Background()
	keys, limits := &auth.MemoryKeyStore{}, &throttle.MemoryStore{}
	a := instance(t, prodPlan, gateway.WithKeyStore(keys), gateway.WithThrottleStore(limits))
	b := instance(t, prodPlan, gateway.WithKeyStore(keys), gateway.WithThrottleStore(limits))
	k, value, err := a.APIKeys().Create(ctx, "shared", "")
	if err != nil {
		t.Fatal(err)
	}
	resp, body := do(t, b, "GET", "/prod/pets/1", nil, "X-Api-Key", value)
	want(t, resp, body, 403, "Forbidden")
	if err := a.AttachKey(ctx, "free", k.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = do(t, b, "GET", "/prod/pets/1", nil, "X-Api-Key", value)
	want(t, resp, body, 200, "", "RateLimit-Limit", "1000", "RateLimit-Remaining", "999")
	resp, body = do(t, a, "GET", "/prod/pets/1", nil, "X-Api-Key", value)
	want(t, resp, body, 200, "", "RateLimit-Remaining", "998")
	if ks, err := b.UsagePlanKeys(ctx, "free"); err != nil || len(ks) != 1 || ks[0].ID != k.ID {
		t.Errorf("UsagePlanKeys on b = %+v, %v; want the key attached through a", ks, err)
	}
	if err := b.DetachKey(ctx, "free", k.ID); err != nil {
		t.Fatal(err)
	}
	resp, body = do(t, a, "GET", "/prod/pets/1", nil, "X-Api-Key", value)
	want(t, resp, body, 403, "Forbidden")
}

// TestClusterQuotaRedis is the exactness test of the throttling issue,
// through whole gateways: three instances sharing one real Redis for
// limits and keys, 60 concurrent clients, 6,000 requests on one key with
// a quota of 1,000: exactly 1,000 are admitted, the rest get 429.
func TestClusterQuotaRedis(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	ctx := context.Background()
	var gws []*gateway.Gateway
	for range 3 {
		client := redistest.Client(t, addr) // one client per instance, as three processes would have
		// A timeout for 60 clients on two cores under the race detector:
		// this test is about exactness, the outage tests about timeouts.
		store, err := redisstore.New(client, redisstore.Options{HashTag: tag, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		keys, err := redisstore.NewKeyStore(client, tag)
		if err != nil {
			t.Fatal(err)
		}
		gws = append(gws, instance(t, prodPlan, gateway.WithThrottleStore(store), gateway.WithKeyStore(keys), highGatewayRate))
	}
	k, value, err := gws[0].APIKeys().Create(ctx, "hammered", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := gws[1].AttachKey(ctx, "free", k.ID); err != nil {
		t.Fatal(err)
	}

	const clients, total = 60, 6000
	var next, admitted, limited, other atomic.Int64
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			gw := gws[c%len(gws)]
			for next.Add(1) <= total {
				r := httptest.NewRequest("GET", "/prod/pets/1", nil)
				r.Header.Set("X-Api-Key", value)
				rec := httptest.NewRecorder()
				gw.ServeHTTP(rec, r)
				switch {
				case rec.Code == http.StatusOK:
					admitted.Add(1)
				case rec.Code == http.StatusTooManyRequests && rec.Body.String() == `{"message":"Limit Exceeded"}`:
					limited.Add(1)
				default:
					if other.Add(1) == 1 {
						t.Errorf("unexpected answer %d %s", rec.Code, rec.Body)
					}
				}
			}
		})
	}
	wg.Wait()
	if admitted.Load() != 1000 || limited.Load() != 5000 || other.Load() != 0 {
		t.Errorf("admitted %d, limited %d, other %d; want exactly 1000 and 5000", admitted.Load(), limited.Load(), other.Load())
	}
	usage, err := gws[2].GetUsage(ctx, "free", k.ID, time.Now(), time.Now())
	if err != nil || len(usage) != 1 || usage[0].Used != 1000 {
		t.Errorf("GetUsage() = %+v, %v; want 1000 today", usage, err)
	}
}

// TestSharedCacheRedis: two gateways with one Redis cache, encrypted at
// rest, serve each other's entries, and a flush through one empties it
// for both.
func TestSharedCacheRedis(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	key := []byte("0123456789abcdef0123456789abcdef")
	var gws []*gateway.Gateway
	h := &counted{}
	for range 2 {
		store, err := rediscache.New(redistest.Client(t, addr), rediscache.Options{HashTag: tag, EncryptionKey: key, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		gw := stagedGateway(t, gateway.Stage{Cache: &gateway.StageCache{Store: store, Version: "1.0"}},
			[]gateway.Route{{Key: "GET /pets/{id}", Integration: gateway.Handler(h)}})
		gws = append(gws, gw)
	}
	_, body, xc := get(t, gws[0], "GET", "/prod/pets/1")
	if xc != "Miss" {
		t.Fatalf("first request: %s, want a miss", xc)
	}
	if _, b, xc := get(t, gws[1], "GET", "/prod/pets/1"); xc != "Hit" || b != body {
		t.Fatalf("the other gateway: %q (%s), want %q from the shared cache", b, xc, body)
	}
	if err := gws[1].FlushStageCache(context.Background(), "pets", "prod"); err != nil {
		t.Fatal(err)
	}
	if _, _, xc := get(t, gws[0], "GET", "/prod/pets/1"); xc != "Miss" {
		t.Errorf("after a flush through the other gateway: %s, want a miss", xc)
	}
}
