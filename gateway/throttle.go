package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/internal/route"
	"github.com/gatekit/gatekit/throttle"
)

// WithThrottleStore sets where rate-limit buckets, quota counters and
// daily usage are kept. The default is a [throttle.MemoryStore] on the
// gateway's clock. Give several gateway instances one shared store (such
// as the Redis store of package throttle/redisstore) to make stage,
// route and usage-plan limits hold across all of them together.
//
// A store error is answered 503 Service Unavailable; a store that should
// rather let requests through when its backend is down does so itself
// (see redisstore's FailOpen).
func WithThrottleStore(s throttle.Store) Option {
	return optionFunc(func(c *config) { c.throttleStore = s })
}

// WithGatewayThrottle sets the gateway-wide rate: the token bucket all of
// the gateway's requests take from, whatever their API. The default is
// the managed service's account limit, [throttle.DefaultGatewayPerSecond]
// requests a second with a burst of [throttle.DefaultGatewayBurst]; a
// PerSecond of [throttle.Inf] turns it off. It is per gateway instance,
// kept in memory even with a shared store.
//
// An invalid rate is reported by the first [Gateway.Mount] or
// [Gateway.AddAPI], which then fail.
func WithGatewayThrottle(r throttle.Rate) Option {
	return optionFunc(func(c *config) { c.gatewayRate = &r })
}

// newLimiter builds the gateway's limiter from its configuration. An
// invalid gateway-wide rate leaves the default in force and is kept in
// g.optErr.
func (g *Gateway) newLimiter() {
	store := g.cfg.throttleStore
	if store == nil {
		store = &throttle.MemoryStore{Clock: g.cfg.clock.Now}
	}
	l, err := throttle.NewLimiter(throttle.LimiterConfig{Store: store, Gateway: g.cfg.gatewayRate, Clock: g.cfg.clock.Now})
	if err != nil {
		g.optErr = fmt.Errorf("gateway: WithGatewayThrottle: %w", err)
		l, _ = throttle.NewLimiter(throttle.LimiterConfig{Store: store, Clock: g.cfg.clock.Now})
	}
	g.limiter = l
}

// admit asks the limiter whether the request may proceed, and answers it
// itself when not: 429 THROTTLED or QUOTA_EXCEEDED with Retry-After and
// the RateLimit-* headers, 403 for an API key on no usage plan of the
// stage, 503 when the throttle store cannot answer. An admitted request
// whose API key is on a usage plan gets the RateLimit-* headers of its
// tightest limit, so clients can pace themselves; other admitted
// requests meet only limits they share with everyone, and get none.
func (g *Gateway) admit(w http.ResponseWriter, s *reqState) bool {
	req := throttle.Request{Stage: s.stage.ref, Route: s.route.key}
	if s.auth != nil {
		req.APIKey = s.auth.apiKeyID
	}
	end := s.child("throttle")
	s.out.checked = true
	res, err := g.limiter.Check(s, req)
	end(err)
	if err != nil {
		g.writeError(w, s, &Error{Status: http.StatusServiceUnavailable, Message: "Service Unavailable", Err: fmt.Errorf("throttle store: %w", err)})
		return false
	}
	if res.Allowed() {
		if res.Plan != "" && res.Key != "" {
			rateLimitHeaders(w.Header(), res)
		}
		return true
	}
	e := &Error{Type: Throttled, Err: res.Err()}
	s.out.refused = 1
	switch res.Refused {
	case throttle.RefusedQuota:
		e.Type, s.out.refused = QuotaExceeded, 2
	case throttle.RefusedNoPlan:
		e.Type, s.out.refused = InvalidAPIKey, 0
	}
	if res.Refused != throttle.RefusedNoPlan {
		h := w.Header()
		rateLimitHeaders(h, res)
		if res.RetryAfter > 0 {
			h["Retry-After"] = []string{strconv.FormatInt(ceilSeconds(res.RetryAfter), 10)}
		}
	}
	g.writeError(w, s, e)
	return false
}

// rateLimitHeaders sets the RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset headers of the IETF draft (draft-ietf-httpapi-ratelimit-headers).
// The three values share one string and one slice: two allocations, not
// six, on every admitted request of a key on a plan.
func rateLimitHeaders(h http.Header, res throttle.Result) {
	var buf [3 * 20]byte
	b := strconv.AppendInt(buf[:0], res.Limit, 10)
	i := len(b)
	b = strconv.AppendInt(b, res.Remaining, 10)
	j := len(b)
	b = strconv.AppendInt(b, ceilSeconds(res.Reset), 10)
	all := string(b)
	vals := []string{all[:i], all[i:j], all[j:]}
	h["Ratelimit-Limit"] = vals[0:1:1]
	h["Ratelimit-Remaining"] = vals[1:2:2]
	h["Ratelimit-Reset"] = vals[2:3:3]
}

// ceilSeconds returns d in whole seconds, rounded up, as the headers
// want.
func ceilSeconds(d time.Duration) int64 { return int64((d + time.Second - 1) / time.Second) }

// stageLimits checks a stage's throttles against the deployments it
// serves and returns them in the limiter's terms, route keys canonical.
// It returns nil when the stage sets none.
func stageLimits(ref throttle.StageRef, cfg Stage, deps ...*deployment) (*throttle.StageLimits, error) {
	if cfg.Throttle == nil && len(cfg.RouteThrottles) == 0 {
		return nil, nil
	}
	sl := &throttle.StageLimits{Stage: ref, Throttle: cfg.Throttle}
	var errs []error
	if cfg.Throttle != nil {
		if err := cfg.Throttle.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("Throttle: %w", err))
		}
	}
	if len(cfg.RouteThrottles) > 0 {
		sl.Routes = make(map[string]throttle.Rate, len(cfg.RouteThrottles))
	}
	for key, r := range cfg.RouteThrottles {
		field := fmt.Sprintf("RouteThrottles[%q]", key)
		canon, err := routeIn(key, deps...)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
			continue
		}
		if err := r.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
		sl.Routes[canon] = r
	}
	return sl, errors.Join(errs...)
}

// routeIn returns key in canonical form if it names a route of one of
// deps.
func routeIn(key string, deps ...*deployment) (string, error) {
	k, err := route.ParseKey(key)
	if err != nil {
		return "", err
	}
	canon := k.String()
	for _, d := range deps {
		if d.routes[canon] {
			return canon, nil
		}
	}
	return "", fmt.Errorf("no route %q", canon)
}

// PutUsagePlan adds a usage plan, or replaces the plan of the same name:
// the throttle and quota of each API key on it, on the API stages it
// covers (see [throttle.Plan]). Keys already on the plan stay on it and
// follow the new limits at once. Once a stage has a plan, its routes
// that require an API key refuse keys that are on none of its plans
// (403).
//
// Every stage the plan names must exist, and each MethodThrottles key
// must name a route one of them serves; a mistake is an error naming the
// field, and nothing changes.
func (g *Gateway) PutUsagePlan(p throttle.Plan) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	prefix := fmt.Sprintf("gateway: PutUsagePlan %q", p.Name)
	var errs []error
	var deps []*deployment
	for i, ref := range p.Stages {
		_, se, err := g.stageLocked(ref.API, ref.Stage)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: Stages[%d]: %w", prefix, i, err))
			continue
		}
		deps = append(deps, se.deployments()...)
	}
	if len(p.MethodThrottles) > 0 && len(errs) == 0 {
		methods := make(map[string]throttle.Rate, len(p.MethodThrottles))
		for key, r := range p.MethodThrottles {
			canon, err := routeIn(key, deps...)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: MethodThrottles[%q]: %w", prefix, key, err))
			}
			methods[canon] = r
		}
		p.MethodThrottles = methods
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := g.limiter.PutPlan(p); err != nil {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	return nil
}

// DeleteUsagePlan removes a usage plan and takes every key off it. Their
// quota counters and daily usage stay in the throttle store.
func (g *Gateway) DeleteUsagePlan(ctx context.Context, name string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.limiter.Plan(name); !ok {
		return fmt.Errorf("gateway: DeleteUsagePlan: no usage plan %q", name)
	}
	keys, err := g.planKeys(ctx, name)
	if err != nil {
		return fmt.Errorf("gateway: DeleteUsagePlan %q: %w", name, err)
	}
	for _, k := range keys {
		if err := g.keys.SetUsagePlans(ctx, k.ID, slices.DeleteFunc(slices.Clone(k.UsagePlans), func(p string) bool { return p == name })); err != nil {
			return fmt.Errorf("gateway: DeleteUsagePlan %q: key %q: %w", name, k.ID, err)
		}
	}
	g.limiter.RemovePlan(name)
	return nil
}

// UsagePlans returns a copy of every usage plan, sorted by name.
func (g *Gateway) UsagePlans() []throttle.Plan { return g.limiter.Plans() }

// UsagePlanKeys returns the API keys on the named plan, as the key store
// records them.
func (g *Gateway) UsagePlanKeys(ctx context.Context, plan string) ([]auth.APIKey, error) {
	if _, ok := g.limiter.Plan(plan); !ok {
		return nil, fmt.Errorf("gateway: UsagePlanKeys: no usage plan %q", plan)
	}
	return g.planKeys(ctx, plan)
}

func (g *Gateway) planKeys(ctx context.Context, plan string) ([]auth.APIKey, error) {
	all, err := g.keys.List(ctx)
	return slices.DeleteFunc(all, func(k auth.APIKey) bool { return !slices.Contains(k.UsagePlans, plan) }), err
}

// AttachKey puts the API key with id keyID (see [Gateway.APIKeys]) on the
// named usage plan. A key may be on several plans, but on only one per
// stage. The key's plans are kept with the key in the key store, so
// gateways sharing a key store (see [WithKeyStore]) all see the change,
// each from the key's next request on.
func (g *Gateway) AttachKey(ctx context.Context, plan, keyID string) error {
	return g.setKeyPlans(ctx, "AttachKey", plan, keyID, func(plans []string) []string {
		if slices.Contains(plans, plan) {
			return plans
		}
		return append(slices.Clone(plans), plan)
	})
}

// DetachKey takes the API key keyID off the named usage plan. Its quota
// counter and usage are kept, so attaching it again carries on.
func (g *Gateway) DetachKey(ctx context.Context, plan, keyID string) error {
	return g.setKeyPlans(ctx, "DetachKey", plan, keyID, func(plans []string) []string {
		return slices.DeleteFunc(slices.Clone(plans), func(p string) bool { return p == plan })
	})
}

// setKeyPlans changes the plans of a key: in this gateway's limiter
// first, which checks that no two of them cover one stage, then in the
// key store, which the other gateways read.
func (g *Gateway) setKeyPlans(ctx context.Context, op, plan, keyID string, change func([]string) []string) error {
	g.mu.Lock() // one change at a time, so that the limiter and the store agree
	defer g.mu.Unlock()
	if _, ok := g.limiter.Plan(plan); !ok {
		return fmt.Errorf("gateway: %s: no usage plan %q", op, plan)
	}
	k, err := g.keys.Get(ctx, keyID)
	if err != nil {
		return fmt.Errorf("gateway: %s %q to %q: %w", op, keyID, plan, err)
	}
	plans := change(k.UsagePlans)
	if err := g.limiter.SyncKey(keyID, plans); err != nil {
		return fmt.Errorf("gateway: %s: %w", op, err)
	}
	if err := g.keys.SetUsagePlans(ctx, keyID, plans); err != nil {
		_ = g.limiter.SyncKey(keyID, k.UsagePlans) // back as the store has it
		return fmt.Errorf("gateway: %s %q to %q: %w", op, keyID, plan, err)
	}
	return nil
}

// GetUsage returns the requests keyID made under the named plan's quota
// on each UTC day from the day of from to the day of to, both included,
// as the managed service's usage API does.
func (g *Gateway) GetUsage(ctx context.Context, plan, keyID string, from, to time.Time) ([]throttle.DailyUsage, error) {
	if _, ok := g.limiter.Plan(plan); !ok {
		return nil, fmt.Errorf("gateway: GetUsage: no usage plan %q", plan)
	}
	return g.limiter.Usage(ctx, plan, keyID, from, to)
}

// AdjustQuota adds delta to what remains of keyID's quota on the named
// plan in the current period — a positive delta grants requests, a
// negative one takes them away — and returns what then remains.
func (g *Gateway) AdjustQuota(ctx context.Context, plan, keyID string, delta int64) (int64, error) {
	return g.limiter.AdjustQuota(ctx, plan, keyID, delta)
}

// coveringPlan returns the name of a usage plan covering the stage, or "".
func (g *Gateway) coveringPlan(ref throttle.StageRef) string {
	for _, p := range g.limiter.Plans() {
		for _, s := range p.Stages {
			if s == ref {
				return p.Name
			}
		}
	}
	return ""
}
