package throttle

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// PutPlan adds p, or replaces the plan of the same name; the keys on
// that plan stay on it. It fails if p is not valid, or if a key on it
// would then be on two plans covering one stage.
func (l *Limiter) PutPlan(p Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := validName(p.Name, "Plan.Name"); err != nil {
		return err
	}
	for _, s := range p.Stages {
		if err := errors.Join(validName(s.API, "Plan.Stages.API"), validName(s.Stage, "Plan.Stages.Stage")); err != nil {
			return err
		}
	}
	p = p.clone()
	ps := &planState{plan: p, stages: make(map[StageRef]bool, len(p.Stages))}
	for _, s := range p.Stages {
		ps.stages[s] = true
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.members[p.Name] {
		for _, b := range l.bindings(id) {
			if b.plan.plan.Name != p.Name && overlaps(b.plan, ps) {
				return fmt.Errorf("throttle: plan %q: key %q is also on plan %q, which covers one of its stages", p.Name, id, b.plan.plan.Name)
			}
		}
	}
	l.plans[p.Name] = ps
	for id := range l.members[p.Name] {
		l.setBindings(id, replacePlan(l.bindings(id), p.Name, newBinding(ps, id)))
	}
	l.publishCovered()
	l.forgetSynced() // keys listing this plan by name may now join it
	return nil
}

// RemovePlan removes the named plan and takes its keys off it. Their
// quota counters and usage stay in the Store.
func (l *Limiter) RemovePlan(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id := range l.members[name] {
		l.setBindings(id, replacePlan(l.bindings(id), name, nil))
	}
	delete(l.members, name)
	delete(l.plans, name)
	l.publishCovered()
	l.forgetSynced()
}

// Attach puts the API key keyID on the named plan. It fails if there is
// no such plan, or if the key is on another plan covering one of its
// stages. Attaching a key twice does nothing.
func (l *Limiter) Attach(plan, keyID string) error {
	if err := validName(keyID, "key id"); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ps := l.plans[plan]
	if ps == nil {
		return fmt.Errorf("throttle: Attach: no plan %q", plan)
	}
	if _, ok := l.members[plan][keyID]; ok {
		return nil
	}
	bs := l.bindings(keyID)
	for _, b := range bs {
		if overlaps(b.plan, ps) {
			return fmt.Errorf("throttle: Attach: key %q is on plan %q, which covers a stage of plan %q", keyID, b.plan.plan.Name, plan)
		}
	}
	if l.members[plan] == nil {
		l.members[plan] = make(map[string]struct{})
	}
	l.members[plan][keyID] = struct{}{}
	l.setBindings(keyID, append(slices.Clip(bs), newBinding(ps, keyID)))
	return nil
}

// SyncKey puts the API key keyID on exactly the plans named in plans, of
// those the Limiter has: it attaches and detaches as needed. Processes
// that share a key store keep their keys' plans there (a key's record
// lists them) and sync each key as its requests come in, so that a key
// attached in one process is attached in all. Names of plans the Limiter
// does not have are ignored until [Limiter.PutPlan] adds them.
//
// When plans is the list the key was last synced with, SyncKey returns at
// once, taking only a read lock. It fails, and changes nothing, if two of
// the plans cover one stage.
func (l *Limiter) SyncKey(keyID string, plans []string) error {
	sh := &l.keys[shardOf(keyID)]
	sh.mu.RLock()
	last, ok := sh.synced[keyID]
	sh.mu.RUnlock()
	if ok && slices.Equal(last, plans) {
		return nil
	}
	if err := validName(keyID, "key id"); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var want []*planState
	for _, name := range plans {
		ps := l.plans[name]
		if ps == nil || slices.Contains(want, ps) {
			continue
		}
		for _, o := range want {
			if overlaps(o, ps) {
				return fmt.Errorf("throttle: SyncKey %q: plans %q and %q cover one stage", keyID, o.plan.Name, name)
			}
		}
		want = append(want, ps)
	}
	for name, members := range l.members {
		if !slices.ContainsFunc(want, func(ps *planState) bool { return ps.plan.Name == name }) {
			delete(members, keyID)
		}
	}
	bs := make([]*binding, 0, len(want))
	for _, ps := range want {
		if l.members[ps.plan.Name] == nil {
			l.members[ps.plan.Name] = make(map[string]struct{})
		}
		l.members[ps.plan.Name][keyID] = struct{}{}
		bs = append(bs, newBinding(ps, keyID))
	}
	l.setBindings(keyID, bs)
	sh.mu.Lock()
	if sh.synced == nil {
		sh.synced = make(map[string][]string)
	}
	sh.synced[keyID] = slices.Clone(plans)
	sh.mu.Unlock()
	return nil
}

// forgetSynced makes the next SyncKey of every key do its work: plans
// changed. l.mu must be held.
func (l *Limiter) forgetSynced() {
	for i := range l.keys {
		sh := &l.keys[i]
		sh.mu.Lock()
		clear(sh.synced)
		sh.mu.Unlock()
	}
}

// Detach takes the API key keyID off the named plan. Its quota counter
// and usage stay in the Store, so attaching it again carries on.
func (l *Limiter) Detach(plan, keyID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.members[plan][keyID]; !ok {
		return
	}
	delete(l.members[plan], keyID)
	l.setBindings(keyID, replacePlan(l.bindings(keyID), plan, nil))
}

// Plans returns a copy of each plan, sorted by name.
func (l *Limiter) Plans() []Plan {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Plan, 0, len(l.plans))
	for _, ps := range l.plans {
		out = append(out, ps.plan.clone())
	}
	slices.SortFunc(out, func(a, b Plan) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Plan returns a copy of the named plan.
func (l *Limiter) Plan(name string) (Plan, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ps := l.plans[name]
	if ps == nil {
		return Plan{}, false
	}
	return ps.plan.clone(), true
}

// Keys returns the ids of the API keys on the named plan, sorted.
func (l *Limiter) Keys(plan string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Sorted(maps.Keys(l.members[plan]))
}

// clone returns a deep copy of p.
func (p Plan) clone() Plan {
	p.Stages = slices.Clone(p.Stages)
	p.MethodThrottles = maps.Clone(p.MethodThrottles)
	if p.Throttle != nil {
		r := *p.Throttle
		p.Throttle = &r
	}
	if p.Quota != nil {
		q := *p.Quota
		p.Quota = &q
	}
	return p
}

// binding returns the binding of keyID for stage, or nil.
func (l *Limiter) binding(keyID string, stage StageRef) *binding {
	sh := &l.keys[shardOf(keyID)]
	sh.mu.RLock()
	bs := sh.keys[keyID]
	sh.mu.RUnlock()
	for _, b := range bs {
		if b.plan.stages[stage] {
			return b
		}
	}
	return nil
}

// bindings returns the bindings of keyID.
func (l *Limiter) bindings(keyID string) []*binding {
	sh := &l.keys[shardOf(keyID)]
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	return sh.keys[keyID]
}

// setBindings publishes bs as keyID's bindings. l.mu must be held.
func (l *Limiter) setBindings(keyID string, bs []*binding) {
	sh := &l.keys[shardOf(keyID)]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	delete(sh.synced, keyID) // SyncKey records its own after
	switch {
	case len(bs) == 0:
		delete(sh.keys, keyID)
	case sh.keys == nil:
		sh.keys = map[string][]*binding{keyID: bs}
	default:
		sh.keys[keyID] = bs
	}
}

// publishCovered recomputes the stages that have plans. l.mu must be
// held.
func (l *Limiter) publishCovered() {
	covered := make(map[StageRef]bool)
	for _, ps := range l.plans {
		maps.Copy(covered, ps.stages)
	}
	l.covered.Store(&covered)
}

// newBinding returns the checks of key id on plan ps.
func newBinding(ps *planState, id string) *binding {
	p := &ps.plan
	b := &binding{plan: ps}
	if p.Throttle != nil {
		b.rate = RateCheck{Key: storeKey("plan", p.Name, id), Rate: *p.Throttle}
	}
	if len(p.MethodThrottles) > 0 {
		b.methods = make(map[stageRoute]RateCheck, len(p.Stages)*len(p.MethodThrottles))
		for _, s := range p.Stages {
			for route, r := range p.MethodThrottles {
				b.methods[stageRoute{s, route}] = RateCheck{Key: storeKey("method", p.Name, id, s.API, s.Stage, route), Rate: r}
			}
		}
	}
	if p.Quota != nil {
		b.quota = &QuotaCheck{Key: storeKey("quota", p.Name, id), Quota: *p.Quota}
	}
	return b
}

// replacePlan returns a copy of bs without the binding to the named
// plan, with nb in its place if nb is not nil.
func replacePlan(bs []*binding, plan string, nb *binding) []*binding {
	out := make([]*binding, 0, len(bs)+1)
	for _, b := range bs {
		if b.plan.plan.Name != plan {
			out = append(out, b)
		}
	}
	if nb != nil {
		out = append(out, nb)
	}
	return out
}

// overlaps reports whether two plans cover a stage in common.
func overlaps(a, b *planState) bool {
	for s := range a.stages {
		if b.stages[s] {
			return true
		}
	}
	return false
}

// storeKey joins parts with "|", which validName keeps out of names.
func storeKey(parts ...string) string { return strings.Join(parts, "|") }

// validName reports an empty name or one containing "|".
func validName(s, what string) error {
	if s == "" || strings.Contains(s, "|") {
		return fmt.Errorf("throttle: %s %q is empty or contains \"|\"", what, s)
	}
	return nil
}
