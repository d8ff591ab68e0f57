package gatewaytest_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/gateway/gatewaytest"
)

func TestClock(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := gatewaytest.NewClock(t0)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				c.Advance(time.Second)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	if got := c.Now(); !got.Equal(t0.Add(400 * time.Second)) {
		t.Errorf("Now = %v", got)
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Error("Set")
	}
}

func TestSwap(t *testing.T) {
	orig := &gateway.Mock{}
	api := &gateway.API{Routes: []gateway.Route{{Key: "GET  /a/{id}", Integration: orig}}}
	rec := &gatewaytest.Recorder{}
	old, err := gatewaytest.Swap(api, "GET /a/{id}", rec)
	if err != nil || old != orig || api.Routes[0].Integration != rec {
		t.Fatalf("Swap = %v, %v", old, err)
	}
	if _, err := gatewaytest.Swap(api, "GET /b", rec); err == nil {
		t.Error("Swap of a missing route succeeded")
	}
}

func TestClientAndRecorder(t *testing.T) {
	rec := &gatewaytest.Recorder{Status: 201, Header: http.Header{"X-B": {"1"}}, Body: "made"}
	gw := gateway.New()
	defer gw.Close()
	if err := gw.Mount("/v1", &gateway.API{Routes: []gateway.Route{{Key: "PUT /items/{id}", Integration: rec}}}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("PUT", "http://gw.test/v1/items/a%2Fb?x=1", strings.NewReader("payload"))
	req.Header.Set("X-A", "a")
	resp, err := gatewaytest.Client(gw).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 || string(body) != "made" || resp.Header.Get("X-B") != "1" || resp.Request != req {
		t.Fatalf("response %d %q %v", resp.StatusCode, body, resp.Header)
	}
	calls := rec.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	c := calls[0]
	if c.Method != "PUT" || c.Path != "/items/a%2Fb" || c.RawQuery != "x=1" || string(c.Body) != "payload" ||
		c.Header.Get("X-A") != "a" || c.PathParams["id"] != "a/b" || c.RouteKey != "PUT /items/{id}" ||
		c.RequestID != resp.Header.Get("X-Request-Id") || c.Stage != "$default" || c.SourceIP != "192.0.2.1" {
		t.Errorf("call %+v", c)
	}
	if _, err := gatewaytest.Client(gw).Get("/relative"); err == nil {
		t.Error("a URL without host succeeded")
	}
}
