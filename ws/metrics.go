package ws

import (
	"context"
	"net/http"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/metricopts"
)

// meters are a Server's instruments, named like the managed service's
// WebSocket metrics under "gatekit.": ConnectCount, MessageCount,
// IntegrationError, ClientError, ExecutionError and IntegrationLatency
// (ms), by ApiName, Stage and Route.
type meters struct {
	connect, message, integrationErr, clientErr, executionErr metric.Int64Counter
	latency                                                   metric.Float64Histogram
	attrs                                                     metricopts.Cache[routeAttrs]
}

type routeAttrs struct{ api, stage, route string }

func newMeters(mp metric.MeterProvider) *meters {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	m := mp.Meter("github.com/gatekit/gatekit/ws")
	counter := func(name, desc string) metric.Int64Counter {
		c, _ := m.Int64Counter("gatekit."+name, metric.WithDescription(desc))
		return c
	}
	ms := &meters{
		connect:        counter("ConnectCount", "Connections accepted ($connect succeeded)."),
		message:        counter("MessageCount", "Messages received from clients and sent to them."),
		integrationErr: counter("IntegrationError", "Events whose integration answered an error or a non-2xx status."),
		clientErr:      counter("ClientError", "Requests and messages refused for the client's fault: $connect refused, no route, bad handshake, origin."),
		executionErr:   counter("ExecutionError", "Events that failed in the gateway or its integration call."),
	}
	ms.latency, _ = m.Float64Histogram("gatekit.IntegrationLatency", metric.WithUnit("ms"),
		metric.WithDescription("Time the integration took for an event."))
	return ms
}

// opts returns the measurement options of an API stage's route.
func (m *meters) opts(api, stage, route string) *metricopts.Opts {
	k := routeAttrs{api, stage, route}
	return m.attrs.Get(k, func() []attribute.KeyValue {
		return []attribute.KeyValue{attribute.String("ApiName", k.api), attribute.String("Stage", k.stage), attribute.String("Route", k.route)}
	})
}

// add counts one on the counter for the connection's route.
func (c *conn) add(ctr metric.Int64Counter, route string) {
	rc := &c.base.RequestContext
	ctr.Add(context.Background(), 1, c.srv.meters.opts(rc.APIID, rc.Stage, route).Add...)
}

// post sends a message of the connections API, counting it.
func (c *conn) post(data []byte, binary bool) error {
	err := c.send(data, binary)
	if err == nil {
		c.add(c.srv.meters.message, "@connections")
	}
	return err
}

// refused counts a refused upgrade request as a client error.
func (s *Server) refused(r *http.Request) {
	o := s.meters.opts(s.apiName(r), gateway.StageName(r.Context()), RouteConnect)
	s.meters.clientErr.Add(context.Background(), 1, o.Add...)
}

// invoke calls a route's integration for an event, measuring it.
func (c *conn) invoke(ctx context.Context, rt *Route, ev *Event) (Response, error) {
	m := c.srv.meters
	start := time.Now()
	res, err := rt.Integration.Invoke(ctx, ev)
	rc := &c.base.RequestContext
	o := m.opts(rc.APIID, rc.Stage, rt.Key)
	bg := context.Background()
	m.latency.Record(bg, float64(time.Since(start))/float64(time.Millisecond), o.Record...)
	switch {
	case err != nil:
		m.executionErr.Add(bg, 1, o.Add...)
	case !statusOK(res.StatusCode):
		m.integrationErr.Add(bg, 1, o.Add...)
	}
	return res, err
}
