package redisstore

import (
	"context"
	"math"

	"github.com/gatekit/gatekit/throttle"
)

// probeDue reports whether this call, at the mono instant now, is the
// one that asks Redis whether it is back: at most one a probeEvery.
func (s *Store) probeDue(now int64) bool {
	next := s.nextProbe.Load()
	return now >= next && s.nextProbe.CompareAndSwap(next, now+int64(probeEvery))
}

// markDown notes that Redis did not answer, logging once per outage.
func (s *Store) markDown(err error) {
	if s.down.Load() || !s.down.CompareAndSwap(false, true) {
		return
	}
	s.nextProbe.Store(s.mono() + int64(probeEvery))
	mode := "failing closed"
	if s.opts.FailOpen {
		mode = "failing open to local limits"
	}
	s.opts.Logger.Warn("redisstore: Redis does not answer, "+mode, "error", err)
}

// markUp notes that Redis answered, logging if it had not before.
func (s *Store) markUp() {
	if s.down.Load() && s.down.CompareAndSwap(true, false) {
		s.opts.Logger.Info("redisstore: Redis answers again", "fallbacks", s.fallbacks.Load())
	}
}

// fallback answers req from the local store: every rate scaled by
// LocalShare, no quota (a spent quota is still refused while its key is
// in the cache of blocked keys). Nothing it admits is counted in Redis.
func (s *Store) fallback(ctx context.Context, req throttle.TakeRequest) (throttle.Result, error) {
	s.fallbacks.Add(1)
	var buf [throttle.MaxRates]throttle.RateCheck
	rates := buf[:0]
	for _, rc := range req.Rates {
		rates = append(rates, throttle.RateCheck{Key: rc.Key, Rate: scale(rc.Rate, s.opts.LocalShare)})
	}
	return s.local.Take(ctx, throttle.TakeRequest{Rates: rates})
}

// scale returns r with PerSecond and Burst times share; Burst stays at
// least 1. A zero or unlimited r is returned as it is.
func scale(r throttle.Rate, share float64) throttle.Rate {
	if share == 1 || !(r.PerSecond > 0) || r.PerSecond >= throttle.Inf {
		return r
	}
	return throttle.Rate{
		PerSecond: r.PerSecond * share,
		Burst:     max(1, int(math.Round(float64(r.Burst)*share))),
	}
}
