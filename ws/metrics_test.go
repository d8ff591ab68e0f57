package ws_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gorilla/websocket"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/ws"
)

// TestMetrics: connects, messages both ways, client, integration and
// execution errors are counted by route.
func TestMetrics(t *testing.T) {
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	rec := newRecorder()
	srv := newServer(t, &ws.API{Routes: []ws.Route{
		{Key: ws.RouteConnect, Integration: rec.integration(nil)},
		{Key: "echo", Integration: ws.IntegrationFunc(func(_ context.Context, ev *ws.Event) (ws.Response, error) { return echo(ev) }), TwoWay: true},
		{Key: "fail", Integration: ws.IntegrationFunc(func(context.Context, *ws.Event) (ws.Response, error) { return ws.Response{}, errors.New("boom") })},
		{Key: "reject", Integration: ws.IntegrationFunc(func(context.Context, *ws.Event) (ws.Response, error) { return ws.Response{StatusCode: 502}, nil })},
	}}, ws.Options{MeterProvider: mp})
	url := serve(t, srv, gateway.Route{})
	c := dial(t, url)
	id := rec.next(t).RequestContext.ConnectionID
	waitOpen(t, srv, id)
	for _, msg := range []string{`{"action":"echo"}`, `{"action":"fail"}`, `{"action":"reject"}`, `{"action":"nosuch"}`} {
		_ = c.WriteMessage(websocket.TextMessage, []byte(msg))
		if msg != `{"action":"reject"}` { // a one-way route's answer is not sent
			read(t, c) // the echo, or an error message
		}
	}
	if err := srv.Post(context.Background(), id, []byte("posted")); err != nil {
		t.Fatal(err)
	}
	read(t, c)
	if _, resp, err := tryDial(url, "Origin", "https://evil.example"); err == nil || resp.StatusCode != 403 {
		t.Fatalf("cross-site dial: %v", err)
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if sum, ok := m.Data.(metricdata.Sum[int64]); ok {
				for _, dp := range sum.DataPoints {
					route, _ := dp.Attributes.Value("Route")
					got[m.Name+" "+route.AsString()] += dp.Value
				}
			}
		}
	}
	for k, want := range map[string]int64{
		"gatekit.ConnectCount $connect":     1,
		"gatekit.MessageCount echo":         2, // in and out
		"gatekit.MessageCount fail":         1,
		"gatekit.MessageCount @connections": 1,
		"gatekit.ExecutionError fail":       1,
		"gatekit.IntegrationError reject":   1,
		"gatekit.ClientError $none":         1,
		"gatekit.ClientError $connect":      1,
	} {
		if got[k] != want {
			t.Errorf("%s = %d, want %d (all: %v)", k, got[k], want, got)
		}
	}
}
