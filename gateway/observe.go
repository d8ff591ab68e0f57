package gateway

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/gatekit/gatekit/internal/metricopts"
)

// instrumentationName names the gateway's meter and tracer.
const instrumentationName = "github.com/gatekit/gatekit/gateway"

// WithMeterProvider sets where the gateway's metrics go. The default is
// OpenTelemetry's global MeterProvider (otel.GetMeterProvider) as it is
// when New runs.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meters = mp })
}

// WithTracerProvider sets where the spans of stages with tracing go. The
// default is OpenTelemetry's global TracerProvider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracers = tp })
}

// WithPropagator sets how trace context is read from requests and passed
// to HTTP backends. The default is OpenTelemetry's global propagator; set
// propagation.TraceContext{} for W3C traceparent without configuring the
// global one.
func WithPropagator(p propagation.TextMapPropagator) Option {
	return optionFunc(func(c *config) { c.propagator = p })
}

// Tracing configures a stage's traces.
type Tracing struct {
	// Enabled makes a server span for each of the stage's requests, with
	// child spans for the authorizer, the throttle check, the cache and
	// the integration, and passes the trace context on to HTTP backends
	// (W3C traceparent) and to function integrations (their context).
	Enabled bool
	// SampleRate is the share of the stage's requests traced, in (0, 1];
	// if 0, 1. The TracerProvider's sampler decides among those.
	SampleRate float64
}

// observer holds the gateway's instruments.
type observer struct {
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator

	count, err4xx, err5xx, cacheHit, cacheMiss, throttled, quota metric.Int64Counter
	latency, integrationLatency, httpDuration                    metric.Float64Histogram

	httpAttrs metricopts.Cache[httpKey]
}

// newObserver makes the instruments, named and dimensioned like the
// managed service's metrics (Count, Latency, IntegrationLatency, 4XXError,
// 5XXError, CacheHitCount, CacheMissCount, throttled and quota-exceeded
// counts, by ApiName, Stage, Resource and Method), under the "gatekit."
// prefix that OpenTelemetry's names need, plus the semantic conventions'
// http.server.request.duration.
func (c *config) newObserver() *observer {
	mp, tp, prop := c.meters, c.tracers, c.propagator
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if prop == nil {
		prop = otel.GetTextMapPropagator()
	}
	m := mp.Meter(instrumentationName)
	o := &observer{tracer: tp.Tracer(instrumentationName), propagator: prop}
	counter := func(name, desc string) metric.Int64Counter {
		ctr, _ := m.Int64Counter("gatekit."+name, metric.WithDescription(desc), metric.WithUnit("{request}"))
		return ctr
	}
	o.count = counter("Count", "Requests, by API, stage, route and method.")
	o.err4xx = counter("4XXError", "Requests answered with a 4xx status.")
	o.err5xx = counter("5XXError", "Requests answered with a 5xx status.")
	o.cacheHit = counter("CacheHitCount", "Requests answered from the stage's cache.")
	o.cacheMiss = counter("CacheMissCount", "Cacheable requests the cache could not answer.")
	o.throttled = counter("ThrottleCount", "Requests refused by a rate limit (429 THROTTLED).")
	o.quota = counter("QuotaExceededCount", "Requests refused by a usage plan's quota (429 QUOTA_EXCEEDED).")
	ms := []float64{1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 29000}
	o.latency, _ = m.Float64Histogram("gatekit.Latency", metric.WithUnit("ms"),
		metric.WithDescription("Time from receiving a request to answering it."), metric.WithExplicitBucketBoundaries(ms...))
	o.integrationLatency, _ = m.Float64Histogram("gatekit.IntegrationLatency", metric.WithUnit("ms"),
		metric.WithDescription("Time the integration took."), metric.WithExplicitBucketBoundaries(ms...))
	o.httpDuration, _ = m.Float64Histogram("http.server.request.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of HTTP server requests."),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
	return o
}

// outcome is what the request path records for metrics, spans and the
// access log.
type outcome struct {
	cache       int8          // 0: not cacheable; 1: hit; -1: miss
	refused     int8          // 1: throttled; 2: quota exceeded
	integration time.Duration // 0 if the integration did not run
	errMessage  string
	errType     ResponseType
	errCause    string // the refusal's cause, for the execution log

	authzDecision string // "allow", or the refusal's response type
	checked       bool   // the throttle check ran
	timed         bool   // latencies are wanted: statistics, metrics, spans or logs
	instrumented  bool   // by more than the statistics (see Gateway.instrumented)
}

// statusWriter records the status and size of a response. It lives in
// the request state, so it costs no allocation.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// WriteString writes s without copying it to a byte slice, when the
// underlying writer can.
func (w *statusWriter) WriteString(s string) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := io.WriteString(w.ResponseWriter, s)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom copies from r with the underlying writer's ReadFrom (sendfile
// for files, on a net/http connection) when it has one.
func (w *statusWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(struct{ io.Writer }{w.ResponseWriter}, r)
	}
	w.bytes += n
	return n, err
}

// Flush sends buffered data to the client, if the underlying writer can.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the underlying ResponseWriter.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// code is the status sent, 200 if nothing was written.
func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// stageObs is a stage's observability settings at run time.
type stageObs struct {
	tracing   Tracing
	accessLog *accessLogger
	execLog   *execLogger
	attrs     metricopts.Cache[routeMethod]
}

type routeMethod struct{ route, method string }

// measurement returns the metric options of the request's API, stage,
// route and method.
func (so *stageObs) measurement(s *reqState, method string) *metricopts.Opts {
	return so.attrs.Get(routeMethod{s.route.key, method}, func() []attribute.KeyValue {
		return []attribute.KeyValue{
			attribute.String("ApiName", s.dep.name),
			attribute.String("Stage", s.stage.name),
			attribute.String("Resource", s.route.key),
			attribute.String("Method", method),
		}
	})
}

// httpKey identifies the attributes of http.server.request.duration.
type httpKey struct {
	route, method, scheme string
	status                int
}

// observed reports whether anything will use the request's latencies:
// the gateway's statistics, or what [Gateway.instrumented] looks for.
// Without one, the request reads no clock for them.
func (g *Gateway) observed(so *stageObs) bool {
	return g.stats != nil || g.instrumented(so)
}

// instrumented reports whether the request's metrics, spans or logs are
// wanted: a MeterProvider that records, a traced stage, or a log. Without
// them, a request timed only for the statistics skips the integration's
// latency and OpenTelemetry's instruments: two clock reads and a few
// lookups fewer.
func (g *Gateway) instrumented(so *stageObs) bool {
	ctx := context.Background()
	o := g.obs
	return o.latency.Enabled(ctx) || o.httpDuration.Enabled(ctx) ||
		(so != nil && (so.tracing.Enabled || so.accessLog != nil || so.execLog != nil))
}

// startSpan starts the request's server span if the stage traces it,
// continuing the trace the request carries, and puts it in s's context.
func (g *Gateway) startSpan(r *http.Request, s *reqState, so *stageObs) {
	if so == nil || !so.tracing.Enabled || (so.tracing.SampleRate > 0 && so.tracing.SampleRate < 1 && rand.Float64() >= so.tracing.SampleRate) {
		return
	}
	o := g.obs
	ctx := o.propagator.Extract(s.Context, propagation.HeaderCarrier(r.Header))
	ctx, _ = o.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("http.request.method", r.Method),
			attribute.String("url.path", r.URL.Path),
			attribute.String("gatekit.api", s.dep.name),
			attribute.String("gatekit.stage", s.stage.name),
			attribute.String("gatekit.request_id", s.requestID()),
		))
	s.Context = ctx
}

// child starts a child span of the request's span, if it has one, and
// returns the function that ends it.
func (s *reqState) child(name string) func(err error) {
	parent := trace.SpanFromContext(s.Context)
	if !parent.IsRecording() {
		return func(error) {}
	}
	_, span := s.dep.gw.obs.tracer.Start(s.Context, name)
	return func(err error) {
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}

// finish records the request's metrics and statistics, ends its span and
// writes its access-log line.
func (g *Gateway) finish(r *http.Request, s *reqState, sw *statusWriter) {
	if s.stage == nil || !s.out.timed {
		return // no API to attribute it to, or nothing observes it
	}
	o, status := g.obs, sw.code()
	now := g.cfg.clock.Now()
	elapsed := now.Sub(s.time())
	if g.stats != nil && s.route != nil {
		g.stats.record(seriesKey{s.dep.name, s.stage.name, s.route.key}, now, elapsed, status, &s.out)
	}
	if !s.out.instrumented {
		return // timed for the statistics alone
	}
	ctx := context.Background()
	route := "" // http.route: the matched route's path template
	if s.route != nil {
		route = s.route.resource
	}
	k := httpKey{route, r.Method, s.proto(), status}
	hk := o.httpAttrs.Get(k, func() []attribute.KeyValue {
		return []attribute.KeyValue{
			attribute.String("http.request.method", k.method),
			attribute.Int("http.response.status_code", k.status),
			attribute.String("http.route", k.route),
			attribute.String("url.scheme", k.scheme),
		}
	})
	o.httpDuration.Record(ctx, elapsed.Seconds(), hk.Record...)
	so := s.stage.obs.Load()
	if s.route != nil && so != nil {
		m := so.measurement(s, r.Method)
		o.count.Add(ctx, 1, m.Add...)
		o.latency.Record(ctx, ms(elapsed), m.Record...)
		switch {
		case status >= 500:
			o.err5xx.Add(ctx, 1, m.Add...)
		case status >= 400:
			o.err4xx.Add(ctx, 1, m.Add...)
		}
		if s.out.integration > 0 {
			o.integrationLatency.Record(ctx, ms(s.out.integration), m.Record...)
		}
		switch s.out.cache {
		case 1:
			o.cacheHit.Add(ctx, 1, m.Add...)
		case -1:
			o.cacheMiss.Add(ctx, 1, m.Add...)
		}
		switch s.out.refused {
		case 1:
			o.throttled.Add(ctx, 1, m.Add...)
		case 2:
			o.quota.Add(ctx, 1, m.Add...)
		}
	}
	if span := trace.SpanFromContext(s.Context); span.IsRecording() {
		if route != "" {
			span.SetName(r.Method + " " + route)
		}
		span.SetAttributes(attribute.String("http.route", route), attribute.Int("http.response.status_code", status))
		if status >= 500 {
			span.SetStatus(codes.Error, s.out.errMessage)
		}
		span.End()
	}
	if so != nil && so.accessLog != nil {
		so.accessLog.write(r, s, status, sw.bytes, elapsed)
	}
	if so != nil && so.execLog != nil {
		so.execLog.write(r, s, status, elapsed)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// runIntegration calls the route's integration, timing it (and tracing
// it, on traced stages).
func (s *reqState) runIntegration(h http.Handler, w http.ResponseWriter, r *http.Request) {
	if !s.out.instrumented {
		h.ServeHTTP(w, r)
		return
	}
	end := s.child("integration")
	start := s.dep.gw.cfg.clock.Now()
	h.ServeHTTP(w, r)
	s.out.integration += max(s.dep.gw.cfg.clock.Now().Sub(start), time.Nanosecond)
	end(nil)
}

// newStageObs checks and compiles a stage's tracing and access log.
func newStageObs(cfg Stage) (*stageObs, error) {
	if r := cfg.Tracing.SampleRate; r < 0 || r > 1 || r != r {
		return nil, fmt.Errorf("Tracing.SampleRate %v: want 0 to 1", r)
	}
	al, err := compileAccessLog(cfg.AccessLog)
	if err != nil {
		return nil, err
	}
	el, err := compileExecutionLog(cfg.ExecutionLog)
	if err != nil {
		return nil, err
	}
	return &stageObs{tracing: cfg.Tracing, accessLog: al, execLog: el}, nil
}
