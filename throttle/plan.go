package throttle

import (
	"errors"
	"fmt"
	"strings"
)

// StageRef names a stage of an API.
type StageRef struct {
	API   string
	Stage string
}

// String returns "api/stage".
func (r StageRef) String() string { return r.API + "/" + r.Stage }

// Plan is a usage plan: the throttle and quota that apply to each API key
// on it, on the stages it covers. Limits are per key: two keys on one
// plan have buckets and quotas of their own, and one key's plan throttle
// and quota are shared across all the plan's stages, as in the managed
// service.
//
// A Plan is a plain value; a [Limiter] takes a copy when it is added.
type Plan struct {
	// Name identifies the plan in a Limiter and in store keys.
	Name string
	// Stages are the API stages the plan covers. A key may be on at most
	// one plan per stage.
	Stages []StageRef
	// Throttle is each key's rate across the plan's stages. If nil, the
	// plan sets no per-key rate.
	Throttle *Rate
	// MethodThrottles are per-key rates for single routes, by route key
	// ("GET /pets/{id}", as the gateway's routes name them), each bucket
	// per key, stage and route. A route not listed has none.
	MethodThrottles map[string]Rate
	// Quota is each key's quota across the plan's stages. If nil, none.
	Quota *Quota
}

// Validate reports every problem of p, each naming the field.
func (p *Plan) Validate() error {
	var errs []error
	if p.Name == "" {
		errs = append(errs, errors.New("throttle: Plan.Name is empty"))
	}
	name := fmt.Sprintf("Plan %q", p.Name)
	seen := make(map[StageRef]bool, len(p.Stages))
	for _, s := range p.Stages {
		if s.API == "" || s.Stage == "" {
			errs = append(errs, fmt.Errorf("throttle: %s.Stages: %q needs both API and Stage", name, s.String()))
		}
		if seen[s] {
			errs = append(errs, fmt.Errorf("throttle: %s.Stages lists %q twice", name, s.String()))
		}
		seen[s] = true
	}
	if p.Throttle != nil {
		errs = append(errs, p.Throttle.validate(name+".Throttle"))
	}
	for route, r := range p.MethodThrottles {
		if !validRouteKey(route) {
			errs = append(errs, fmt.Errorf("throttle: %s.MethodThrottles: %q is not a route key (\"METHOD /path\" or \"$default\")", name, route))
		}
		errs = append(errs, r.validate(fmt.Sprintf("%s.MethodThrottles[%q]", name, route)))
	}
	if p.Quota != nil {
		errs = append(errs, p.Quota.validate(name+".Quota"))
	}
	return errors.Join(errs...)
}

// validRouteKey reports whether k is "$default" or "METHOD /path".
func validRouteKey(k string) bool {
	if k == "$default" {
		return true
	}
	method, path, ok := strings.Cut(k, " ")
	return ok && method != "" && strings.HasPrefix(path, "/")
}
