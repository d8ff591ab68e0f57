package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
	"github.com/gatekit/gatekit/internal/redistest"
)

// get calls the partner listing with an API key and returns the
// response.
func get(t *testing.T, gw http.Handler, key string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://127.0.0.1:8080/partner/pets", nil)
	req.Header.Set("X-Api-Key", key)
	resp, err := gatewaytest.Client(gw).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestPetstorePlans checks the free plan's limits: 5 requests a second,
// 100 a day; the gold key goes on meanwhile.
func TestPetstorePlans(t *testing.T) {
	clock := gatewaytest.NewClock(time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC))
	gw, acc := petstore(t, "127.0.0.1:1", "127.0.0.1:1", gateway.WithClock(clock))
	for i := range 5 {
		if resp := get(t, gw, acc.freeKey); resp.StatusCode != 200 {
			t.Fatalf("free request %d: status %d, want 200", i, resp.StatusCode)
		}
	}
	resp := get(t, gw, acc.freeKey)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("sixth free request in a second: %d, Retry-After %q; want 429 and 1", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp := get(t, gw, acc.goldKey); resp.StatusCode != 200 {
		t.Fatalf("gold request: status %d, want 200", resp.StatusCode)
	}
	for i := 5; i < 100; i++ {
		clock.Advance(time.Second)
		if resp := get(t, gw, acc.freeKey); resp.StatusCode != 200 {
			t.Fatalf("free request %d: status %d, want 200", i, resp.StatusCode)
		}
	}
	clock.Advance(time.Second)
	resp = get(t, gw, acc.freeKey)
	if resp.StatusCode != 429 || resp.Header.Get("RateLimit-Limit") != "100" || resp.Header.Get("RateLimit-Remaining") != "0" {
		t.Fatalf("101st free request of the day: %d %v; want 429 with the quota's headers", resp.StatusCode, resp.Header)
	}
}

// TestPetstoreSharedRedis runs two copies of the example on one Redis,
// as -redis does: a key created by one works on the other, and they
// share its limits.
func TestPetstoreSharedRedis(t *testing.T) {
	addr := redistest.Addr(t)
	tag := redistest.Tag(t, addr)
	var copies []*gateway.Gateway
	var acc access
	for i := range 2 {
		opts, err := sharedState(context.Background(), redistest.Client(t, addr), tag)
		if err != nil {
			t.Fatal(err)
		}
		gw, a := petstore(t, "127.0.0.1:1", "127.0.0.1:1", opts...)
		copies = append(copies, gw)
		if i == 0 {
			acc = a
		}
	}
	// The free key of the first copy, alternately on both: together they
	// admit what one token bucket of 5 a second, burst 5 admits, never 5
	// each.
	start := time.Now()
	admitted := 0
	var codes []string
	for i := range 20 {
		resp := get(t, copies[i%2], acc.freeKey)
		codes = append(codes, resp.Status[:3])
		if resp.StatusCode == 200 {
			admitted++
		}
	}
	elapsed := time.Since(start)
	if most := 5 + int(elapsed.Seconds()*5) + 1; admitted < 5 || admitted > most {
		t.Errorf("admitted %d of 20 in %v (%s), want 5 to %d: one shared bucket", admitted, elapsed, strings.Join(codes, " "), most)
	}
}

// TestPetstoreCache walks the README's cache lines: a miss, a hit that
// ignores a non-key parameter, a miss on another type, a refresh by the
// admin and a refused one by the reader.
func TestPetstoreCache(t *testing.T) {
	gw, acc := petstore(t, "127.0.0.1:1", "127.0.0.1:1")
	steps := []struct {
		token, query, cacheControl string
		status                     int
		xCache                     string
	}{
		{acc.readerToken, "type=dog", "", 200, "Miss"},
		{acc.readerToken, "type=dog&page=2", "", 200, "Hit"},
		{acc.readerToken, "type=cat", "", 200, "Miss"},
		{acc.adminToken, "type=dog", "max-age=0", 200, "Miss"},
		{acc.readerToken, "type=dog", "max-age=0", 403, ""},
		{acc.readerToken, "type=dog", "", 200, "Hit"},
	}
	var first string
	for i, st := range steps {
		req, _ := http.NewRequest("GET", "http://127.0.0.1:8080/pets/search?"+st.query, nil)
		req.Header.Set("Authorization", "Bearer "+st.token)
		if st.cacheControl != "" {
			req.Header.Set("Cache-Control", st.cacheControl)
		}
		resp, err := gatewaytest.Client(gw).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != st.status || resp.Header.Get("X-Cache") != st.xCache {
			t.Fatalf("step %d (%s): %d X-Cache %q %s; want %d %q", i, st.query, resp.StatusCode, resp.Header.Get("X-Cache"), body, st.status, st.xCache)
		}
		if i == 0 {
			first = string(body)
		}
		if i == 1 && string(body) != first {
			t.Errorf("the hit answered %s, want the first response %s", body, first)
		}
	}
}
