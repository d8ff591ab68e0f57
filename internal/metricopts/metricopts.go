// Package metricopts makes OpenTelemetry measurement options once per
// attribute combination, so that recording a measurement on the request
// path allocates nothing.
package metricopts

import (
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// Opts are ready-made option slices for one attribute set: pass them as
// counter.Add(ctx, n, o.Add...) and histogram.Record(ctx, v, o.Record...).
type Opts struct {
	Add    []metric.AddOption
	Record []metric.RecordOption
}

// Cache maps keys to their Opts. The zero value is ready; it is safe for
// concurrent use. Keys must come from a bounded set (route templates,
// methods, status codes), never from raw request data.
type Cache[K comparable] struct {
	mu sync.RWMutex
	m  map[K]*Opts
}

// Get returns the Opts of k, making them from attrs the first time.
func (c *Cache[K]) Get(k K, attrs func() []attribute.KeyValue) *Opts {
	c.mu.RLock()
	o := c.m[k]
	c.mu.RUnlock()
	if o != nil {
		return o
	}
	opt := metric.WithAttributeSet(attribute.NewSet(attrs()...))
	o = &Opts{Add: []metric.AddOption{opt}, Record: []metric.RecordOption{opt}}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[k]; prev != nil {
		return prev
	}
	if c.m == nil {
		c.m = make(map[K]*Opts)
	}
	c.m[k] = o
	return o
}
