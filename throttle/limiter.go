package throttle

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"time"
)

// Request is what a [Limiter] needs to know of one request.
type Request struct {
	// Stage is the API stage the request was routed to.
	Stage StageRef
	// Route is the matched route key, such as "GET /pets/{id}".
	Route string
	// APIKey is the id of the API key the request presented, once the
	// key is checked; leave it empty on routes that need no API key, so
	// that usage plans do not apply.
	APIKey string
}

// StageLimits are the throttles of one stage.
//
// As in the managed service, they are per route: each route of the stage
// has a bucket of its own, with the rate Routes names for it or else
// Throttle. A stage's routes do not share one bucket.
type StageLimits struct {
	// Stage is the stage they apply to.
	Stage StageRef
	// Throttle is the default rate of each route. If nil, routes not in
	// Routes are not throttled at stage level.
	Throttle *Rate
	// Routes overrides Throttle for single routes, by route key.
	Routes map[string]Rate
}

// LimiterConfig configures [NewLimiter].
type LimiterConfig struct {
	// Store holds the buckets and quotas. If nil, a new MemoryStore.
	Store Store
	// Gateway is the rate of all requests together. If nil,
	// DefaultGatewayPerSecond with DefaultGatewayBurst; a PerSecond of
	// Inf turns it off.
	//
	// It is a per-process limit: when Store is a [*MemoryStore] it is
	// checked there, in the same Take as the other levels; any other Store
	// is shared by several processes, and the gateway-wide bucket is then
	// kept in this process's memory, so that a request with no other
	// limit never waits on the shared store.
	Gateway *Rate
	// Clock is the clock of the in-process gateway-wide bucket when Store
	// is not a *MemoryStore. If nil, time.Now is used.
	Clock func() time.Time
}

// Limiter decides whether a request may proceed, composing the levels of
// the managed service:
//
//   - gateway-wide ([LimiterConfig].Gateway);
//   - per stage and route ([Limiter.SetStage]);
//   - per API key through its usage plan: the plan's Throttle and Quota;
//   - per API key, stage and route through its plan's MethodThrottles.
//
// All the levels a request meets are asked of the [Store] in one Take, so
// the most restrictive decides, and a refused request uses up nothing
// (with a shared Store, the gateway-wide level is checked apart, in this
// process: see [LimiterConfig].Gateway).
// Stages, plans and keys can be changed while requests are checked. The
// buckets live in the Store, keyed by names (so a new Limiter on the same
// Store carries on where an old one left off).
//
// A Limiter is safe for concurrent use. Its Check takes no lock that a
// configuration change holds for long, and allocates nothing.
type Limiter struct {
	store   Store
	gateway RateCheck
	gwOn    bool         // the gateway-wide rate is finite
	local   *MemoryStore // holds the gateway-wide bucket; store, if that is one
	pool    sync.Pool    // of *[MaxRates]RateCheck

	stages atomic.Pointer[map[StageRef]*stageState] // copy on write, under mu
	// covered holds the stages that have usage plans; copy on write,
	// under mu.
	covered atomic.Pointer[map[StageRef]bool]
	keys    [numShards]keyShard

	mu      sync.Mutex
	plans   map[string]*planState          // guarded by mu
	members map[string]map[string]struct{} // plan → key ids; guarded by mu
}

// stageState is the compiled StageLimits of one stage. It is not changed
// once published, except for its routes cache.
type stageState struct {
	limits StageLimits
	routes sync.Map // route key → RateCheck, made on first use
}

// planState is a plan as added. It is not changed once published.
type planState struct {
	plan   Plan
	stages map[StageRef]bool
}

// binding is one key on one plan: the store keys its checks use. It is
// not changed once published.
type binding struct {
	plan    *planState
	rate    RateCheck // Key empty without plan Throttle
	methods map[stageRoute]RateCheck
	quota   *QuotaCheck
}

type stageRoute struct {
	stage StageRef
	route string
}

// keyShard maps key ids to the plans they are on.
type keyShard struct {
	mu   sync.RWMutex
	keys map[string][]*binding // guarded by mu; the slices are not changed once stored
	// synced holds the plan list each key was last synced with (see
	// Limiter.SyncKey); guarded by mu.
	synced map[string][]string
	_      [32]byte
}

// NewLimiter returns a Limiter with no stages and no plans. It starts no
// goroutines. It fails if cfg.Gateway is not valid.
func NewLimiter(cfg LimiterConfig) (*Limiter, error) {
	r := Rate{PerSecond: DefaultGatewayPerSecond, Burst: DefaultGatewayBurst}
	if cfg.Gateway != nil {
		if err := cfg.Gateway.validate("LimiterConfig.Gateway"); err != nil {
			return nil, err
		}
		r = *cfg.Gateway
	}
	l := &Limiter{
		store:   cfg.Store,
		gateway: RateCheck{Key: "gw", Rate: r},
		plans:   make(map[string]*planState),
		members: make(map[string]map[string]struct{}),
	}
	if l.store == nil {
		l.store = new(MemoryStore)
	}
	l.gwOn = !r.unlimited()
	if ms, ok := l.store.(*MemoryStore); ok {
		l.local = ms
	} else {
		l.local = &MemoryStore{Clock: cfg.Clock}
	}
	l.pool.New = func() any { return new([MaxRates]RateCheck) }
	l.stages.Store(&map[StageRef]*stageState{})
	l.covered.Store(&map[StageRef]bool{})
	return l, nil
}

// SetStage sets, or replaces, the throttles of one stage.
func (l *Limiter) SetStage(s StageLimits) error {
	var errs []error
	name := fmt.Sprintf("StageLimits %q", s.Stage.String())
	if err := validName(s.Stage.API, name+".Stage.API"); err != nil {
		errs = append(errs, err)
	}
	if err := validName(s.Stage.Stage, name+".Stage.Stage"); err != nil {
		errs = append(errs, err)
	}
	if s.Throttle != nil {
		errs = append(errs, s.Throttle.validate(name+".Throttle"))
	}
	for route, r := range s.Routes {
		if !validRouteKey(route) {
			errs = append(errs, fmt.Errorf("throttle: %s.Routes: %q is not a route key", name, route))
		}
		errs = append(errs, r.validate(fmt.Sprintf("%s.Routes[%q]", name, route)))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.Routes = maps.Clone(s.Routes)
	if s.Throttle != nil {
		r := *s.Throttle
		s.Throttle = &r
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	next := maps.Clone(*l.stages.Load())
	next[s.Stage] = &stageState{limits: s}
	l.stages.Store(&next)
	return nil
}

// routeCheck returns the stage-level check of route, if it has one.
func (st *stageState) routeCheck(stage StageRef, route string) (RateCheck, bool) {
	if rc, ok := st.routes.Load(route); ok {
		return rc.(RateCheck), true
	}
	r, ok := st.limits.Routes[route]
	if !ok {
		if st.limits.Throttle == nil {
			return RateCheck{}, false
		}
		r = *st.limits.Throttle
	}
	rc := RateCheck{Key: storeKey("route", stage.API, stage.Stage, route), Rate: r}
	st.routes.Store(route, rc)
	return rc, true
}

// Check asks the Store whether req may proceed, taking from every bucket
// and quota that applies to it in one Take. A key on no plan for a stage
// that has plans gets RefusedNoPlan and consumes nothing. A request that
// meets no limit at all is admitted without asking the Store. The error
// is the Store's.
//
// With a shared Store, the gateway-wide bucket is taken from first, in
// this process's memory (see [LimiterConfig].Gateway); a request it
// admits that the Store then refuses has used up that one token.
func (l *Limiter) Check(ctx context.Context, req Request) (Result, error) {
	buf := l.pool.Get().(*[MaxRates]RateCheck)
	defer func() {
		clear(buf[:])
		l.pool.Put(buf)
	}()
	rates := buf[:0]
	gwLocal := l.gwOn && l.local != l.store
	if l.gwOn && !gwLocal {
		rates = append(rates, l.gateway)
	}
	if st := (*l.stages.Load())[req.Stage]; st != nil {
		if rc, ok := st.routeCheck(req.Stage, req.Route); ok {
			rates = append(rates, rc)
		}
	}
	var quota *QuotaCheck
	var plan string
	if req.APIKey != "" {
		b := l.binding(req.APIKey, req.Stage)
		if b == nil && (*l.covered.Load())[req.Stage] {
			return Result{Refused: RefusedNoPlan}, nil
		}
		if b != nil {
			plan = b.plan.plan.Name
			if b.rate.Key != "" {
				rates = append(rates, b.rate)
			}
			if rc, ok := b.methods[stageRoute{req.Stage, req.Route}]; ok {
				rates = append(rates, rc)
			}
			quota = b.quota
		}
	}
	var gw Result
	if gwLocal {
		one := [1]RateCheck{l.gateway}
		var err error
		if gw, err = l.local.Take(ctx, TakeRequest{Rates: one[:]}); err != nil || !gw.Allowed() {
			return gw, err
		}
	}
	if len(rates) == 0 && quota == nil {
		return gw, nil
	}
	res, err := l.store.Take(ctx, TakeRequest{Rates: rates, Quota: quota})
	if err == nil && res.Allowed() && gw.Key != "" && (res.Key == "" || gw.Remaining < res.Remaining) {
		res = gw // the gateway-wide bucket is the tighter one
	}
	res.Plan = plan
	return res, err
}

// RemoveStage removes the throttles of one stage.
func (l *Limiter) RemoveStage(stage StageRef) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := maps.Clone(*l.stages.Load())
	delete(next, stage)
	l.stages.Store(&next)
}

// Usage returns the daily usage of keyID under the named plan's quota
// from the day of from to the day of to, as [UsageStore] does. It fails
// with an error wrapping [errors.ErrUnsupported] if the Store keeps no
// usage.
func (l *Limiter) Usage(ctx context.Context, plan, keyID string, from, to time.Time) ([]DailyUsage, error) {
	us, ok := l.store.(UsageStore)
	if !ok {
		return nil, fmt.Errorf("throttle: Usage: the store keeps no usage: %w", errors.ErrUnsupported)
	}
	return us.Usage(ctx, storeKey("quota", plan, keyID), from, to)
}

// AdjustQuota adds delta to what remains of keyID's quota on the named
// plan in the current window (a positive delta grants requests, a
// negative one takes them away) and returns what then remains. It fails
// if there is no such plan, the plan has no quota, or the Store is no
// [UsageStore] (wrapping [errors.ErrUnsupported]).
func (l *Limiter) AdjustQuota(ctx context.Context, plan, keyID string, delta int64) (int64, error) {
	us, ok := l.store.(UsageStore)
	if !ok {
		return 0, fmt.Errorf("throttle: AdjustQuota: the store keeps no usage: %w", errors.ErrUnsupported)
	}
	l.mu.Lock()
	ps := l.plans[plan]
	l.mu.Unlock()
	switch {
	case ps == nil:
		return 0, fmt.Errorf("throttle: AdjustQuota: no plan %q", plan)
	case ps.plan.Quota == nil:
		return 0, fmt.Errorf("throttle: AdjustQuota: plan %q has no quota", plan)
	}
	return us.AdjustQuota(ctx, storeKey("quota", plan, keyID), *ps.plan.Quota, delta)
}
