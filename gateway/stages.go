package gateway

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatekit/gatekit/stage"
	"github.com/gatekit/gatekit/throttle"
)

// Deployment describes an immutable snapshot of an API, made by
// [Gateway.Deploy]. Stages serve deployments.
type Deployment struct {
	ID          string
	Description string
	CreatedAt   time.Time
}

// Stage is a release stage of an API, such as "beta" or "prod": the
// deployment it serves, its variables and its settings. The zero value is
// not valid: Name and DeploymentID are required.
type Stage struct {
	// Name is "$default" or 1–128 characters of [A-Za-z0-9_-]. On an API's
	// default endpoint a named stage is reached as /{Name}/…, the
	// "$default" stage at the root.
	Name string
	// DeploymentID names the deployment the stage serves. Pointing it at an
	// earlier deployment rolls the stage back.
	DeploymentID string
	// Variables are the stage variables: substituted as
	// ${stageVariables.name} in HTTP proxy URLs and function names, passed
	// to functions in the payload, and read by handlers with
	// [StageVariables].
	Variables map[string]string
	// Canary, if non-nil, sends a share of the stage's requests to another
	// deployment.
	Canary *Canary
	// Throttle is the rate of each of the stage's routes: as in the managed
	// service, every route has a bucket of its own at this rate. If nil,
	// routes are not throttled at stage level (the gateway-wide rate and
	// usage plans still apply).
	Throttle *throttle.Rate
	// RouteThrottles override Throttle for single routes, by route key
	// ("GET /pets/{id}"); each must name a route of the stage's
	// deployment or canary.
	RouteThrottles map[string]throttle.Rate
	// Cache, if non-nil, caches the stage's GET responses (see
	// [StageCache]).
	Cache *StageCache
	// Tracing turns on OpenTelemetry spans for the stage's requests.
	Tracing Tracing
	// AccessLog, if non-nil, writes a line per request of the stage.
	AccessLog *AccessLog
	// ExecutionLog logs what the gateway did with each request, for
	// debugging. Off by default.
	ExecutionLog ExecutionLog
}

// Canary is a stage's canary release.
type Canary struct {
	// DeploymentID names the deployment the canary serves.
	DeploymentID string
	// Percent is the share of the stage's requests the canary gets,
	// 0–100, fractions allowed.
	Percent float64
	// Variables override the stage's variables for canary requests.
	Variables map[string]string
}

// DomainMapping maps a custom domain name and base path to an API stage,
// as the managed service's custom domain names with API mappings do.
type DomainMapping struct {
	// Domain is a host name ("api.example.com") or a wildcard whose first
	// label is "*" ("*.example.com").
	Domain string
	// BasePath is "" (the whole domain) or a path such as "v1" or
	// "v1/admin": "api.example.com/v1/pets" is the API's "/pets".
	BasePath string
	// API and Stage name the stage that serves the mapping.
	API, Stage string
}

// apiEntry is a registered API. Its fields are guarded by Gateway.mu.
type apiEntry struct {
	name     string
	basePath string
	def      *API
	history  stage.History[*deployment]
	stages   map[string]*stageEntry
}

// stageEntry is a stage of an API. st switches atomically; cfg is guarded
// by Gateway.mu.
type stageEntry struct {
	name  string
	ref   throttle.StageRef
	cache atomic.Pointer[stageCache] // nil when the stage does not cache
	obs   atomic.Pointer[stageObs]   // tracing, access log, metric attributes
	// cacheStats outlive changes to the stage's cache settings.
	cacheStats cacheCounters
	st         *stage.Stage[*deployment]
	cfg        Stage
}

// pick loads the stage's state and picks the deployment for one request,
// drawing a random number only when the stage has a canary.
func (se *stageEntry) pick() (*deployment, map[string]string, bool) {
	st := se.st.Load()
	u := 1.0 // at or above every cut: not the canary
	if st.Canary != nil {
		u = rand.Float64()
	}
	d, vars, canary := st.Pick(u)
	return d.Value, vars, canary
}

// deployments returns the deployments the stage serves now: its own and
// its canary's.
func (se *stageEntry) deployments() []*deployment {
	st := se.st.Load()
	deps := []*deployment{st.Deployment.Value}
	if st.Canary != nil {
		deps = append(deps, st.Canary.Deployment.Value)
	}
	return deps
}

// routingTable is the immutable view of the gateway's configuration that
// requests read: which API and stage serve a host and path. Structural
// changes (APIs, stages, domains) replace it; pointing a stage at another
// deployment does not need to, as stages switch on their own.
type routingTable struct {
	mounts  []mount // longest base path first
	domains stage.Domains[*stageEntry]
}

type mount struct {
	basePath string
	stages   []*stageEntry // named stages; a few, so a scan beats a map
	dflt     *stageEntry   // the $default stage, or nil
}

// resolve returns the stage that serves host and path, and the path
// relative to it. It does not allocate.
func (t *routingTable) resolve(host, path string) (*stageEntry, string) {
	if t.domains.Len() > 0 {
		if m := t.domains.Host(host); m != nil {
			// A custom domain serves only its mappings.
			se, rest, _ := m.Lookup(path)
			return se, rest
		}
	}
	for i := range t.mounts {
		m := &t.mounts[i]
		rest, ok := underBase(path, m.basePath)
		if !ok {
			continue
		}
		if len(m.stages) > 0 {
			seg, after := firstSegment(rest)
			for _, se := range m.stages {
				if se.name == seg {
					return se, after
				}
			}
		}
		if m.dflt != nil {
			return m.dflt, rest
		}
		return nil, ""
	}
	return nil, ""
}

// underBase reports whether path is base or below it, and returns the
// rest, starting with '/'.
func underBase(path, base string) (string, bool) {
	switch {
	case base == "":
		return path, true
	case !strings.HasPrefix(path, base):
		return "", false
	case len(path) == len(base):
		return "/", true
	case path[len(base)] == '/':
		return path[len(base):], true
	}
	return "", false
}

// firstSegment splits "/a/b" into "a" and "/b" ("/a" into "a" and "/").
func firstSegment(p string) (string, string) {
	for i := 1; i < len(p); i++ { // segments are short: a loop beats IndexByte
		if p[i] == '/' {
			return p[1:i], p[i:]
		}
	}
	return p[1:], "/"
}

// rebuildLocked makes and publishes a new routing table. g.mu must be held.
func (g *Gateway) rebuildLocked() error {
	t := &routingTable{}
	for _, a := range g.apis {
		if a.def.DisableDefaultEndpoint {
			continue
		}
		m := mount{basePath: a.basePath}
		for name, se := range a.stages {
			if name == "$default" {
				m.dflt = se
			} else {
				m.stages = append(m.stages, se)
			}
		}
		t.mounts = append(t.mounts, m)
	}
	// Longest base path first, so that "/v1/admin" is tried before "/v1".
	slices.SortFunc(t.mounts, func(a, b mount) int { return len(b.basePath) - len(a.basePath) })
	for _, dm := range g.domains {
		a := g.apis[dm.API]
		if err := t.domains.Add(dm.Domain, dm.BasePath, a.stages[dm.Stage]); err != nil {
			return err
		}
	}
	g.table.Store(t)
	return nil
}

// Mount serves api under basePath as its "$default" stage: "" (or "/")
// serves it at the root; "/v1" serves "/v1/pets" as the API's "/pets". It
// registers the API (by name) if needed, deploys it as it is now, and
// points the "$default" stage at the new deployment — the one call for an
// API without release stages. Mounting the same API again redeploys it
// atomically: requests in flight finish on the deployment they started on.
// Every configuration mistake is returned as an error naming the route or
// field, and nothing changes.
func (g *Gateway) Mount(basePath string, api *API) error {
	base, err := g.checkAPI(basePath, api)
	if err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	name := apiName(api)
	if a := g.apis[name]; a != nil && a.basePath != base {
		return fmt.Errorf("gateway: API %q is mounted at %q, not %q", name, a.basePath+"/", basePath)
	}
	dep, err := g.compile(api) // first, so that a mistake changes nothing
	if err != nil {
		return err
	}
	a, err := g.addAPILocked(base, api)
	if err != nil {
		return err
	}
	d := g.recordLocked(a, dep, "Mount")
	cfg := Stage{Name: "$default", DeploymentID: d.ID}
	if se := a.stages["$default"]; se != nil {
		cfg = se.cfg
		cfg.DeploymentID = d.ID
	}
	return g.putStageLocked(a, cfg)
}

// checkAPI checks the gateway's options and the arguments of Mount and
// AddAPI, and returns the cleaned base path.
func (g *Gateway) checkAPI(basePath string, api *API) (string, error) {
	if g.optErr != nil {
		return "", g.optErr
	}
	if api == nil {
		return "", errors.New("gateway: nil API")
	}
	return cleanBasePath(basePath)
}

func apiName(api *API) string {
	if api.Name == "" {
		return "api"
	}
	return api.Name
}

// AddAPI registers api by its name, with its default endpoint under
// basePath (see [Gateway.Mount]), or replaces the definition of the API of
// that name. Nothing is served until a stage points at a deployment:
// follow with [Gateway.Deploy] and [Gateway.PutStage]. Changes to the API
// value take effect at its next deployment.
func (g *Gateway) AddAPI(basePath string, api *API) error {
	base, err := g.checkAPI(basePath, api)
	if err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	_, err = g.addAPILocked(base, api)
	return err
}

func (g *Gateway) addAPILocked(base string, api *API) (*apiEntry, error) {
	name := apiName(api)
	for _, a := range g.apis {
		if a.name != name && a.basePath == base && !a.def.DisableDefaultEndpoint && !api.DisableDefaultEndpoint {
			return nil, fmt.Errorf("gateway: base path %q already serves API %q", base+"/", a.name)
		}
	}
	if a := g.apis[name]; a != nil {
		a.def, a.basePath = api, base
		return a, g.rebuildLocked()
	}
	if g.apis == nil {
		g.apis = map[string]*apiEntry{}
	}
	a := &apiEntry{name: name, basePath: base, def: api, stages: map[string]*stageEntry{}}
	g.apis[name] = a
	return a, g.rebuildLocked()
}

// RemoveAPI stops serving the API called name: its stages, deployments,
// stage throttles and the domain mappings to it go too. Requests in
// flight finish. An API with a stage that a usage plan covers cannot be
// removed: take the stage out of the plan first.
func (g *Gateway) RemoveAPI(name string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.apis[name]
	if a == nil {
		return fmt.Errorf("gateway: no API %q", name)
	}
	for _, se := range a.stages {
		if p := g.coveringPlan(se.ref); p != "" {
			return fmt.Errorf("gateway: RemoveAPI %q: usage plan %q covers stage %q", name, p, se.name)
		}
	}
	for _, se := range a.stages {
		g.limiter.RemoveStage(se.ref)
	}
	delete(g.apis, name)
	g.domains = slices.DeleteFunc(g.domains, func(m DomainMapping) bool { return m.API == name })
	return g.rebuildLocked()
}

// Deploy makes an immutable deployment of the API called name, as its
// definition is now: routes are validated and integrations bound, so a
// mistake fails here, naming the route. Later changes to the API value do
// not change the deployment. It is kept in the API's history (see
// [Gateway.Deployments]); no stage serves it until pointed at it.
func (g *Gateway) Deploy(name, description string) (Deployment, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.apis[name]
	if a == nil {
		return Deployment{}, fmt.Errorf("gateway: Deploy: no API %q", name)
	}
	return g.deployLocked(a, description)
}

func (g *Gateway) deployLocked(a *apiEntry, description string) (Deployment, error) {
	dep, err := g.compile(a.def)
	if err != nil {
		return Deployment{}, err
	}
	return g.recordLocked(a, dep, description), nil
}

// recordLocked adds a compiled deployment to a's history.
func (g *Gateway) recordLocked(a *apiEntry, dep *deployment, description string) Deployment {
	dep.name = a.name
	d := a.history.Add(dep, description, g.cfg.clock.Now())
	dep.id = d.ID
	return deploymentInfo(d)
}

func deploymentInfo(d *stage.Deployment[*deployment]) Deployment {
	return Deployment{ID: d.ID, Description: d.Description, CreatedAt: d.CreatedAt}
}

// Deployments lists the deployments of the API called name, oldest first.
func (g *Gateway) Deployments(name string) ([]Deployment, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.apis[name]
	if a == nil {
		return nil, fmt.Errorf("gateway: Deployments: no API %q", name)
	}
	var out []Deployment
	for _, d := range a.history.List() {
		out = append(out, deploymentInfo(d))
	}
	return out, nil
}

// PutStage creates or updates a stage of the API called apiName. The
// stage switches to its new deployment, variables and canary atomically:
// requests in flight finish on what they started with, new requests see
// the new configuration, none fails. Mistakes — an unknown deployment, a
// variable an integration needs but the stage lacks, a canary share
// outside 0–100 — are errors, and the stage stays as it was.
func (g *Gateway) PutStage(apiName string, st Stage) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.apis[apiName]
	if a == nil {
		return fmt.Errorf("gateway: PutStage: no API %q", apiName)
	}
	return g.putStageLocked(a, st)
}

func (g *Gateway) putStageLocked(a *apiEntry, cfg Stage) error {
	state, err := g.stageState(a, cfg)
	if err != nil {
		return err
	}
	ref := throttle.StageRef{API: a.name, Stage: cfg.Name}
	deps := []*deployment{state.Deployment.Value}
	if state.Canary != nil {
		deps = append(deps, state.Canary.Deployment.Value)
	}
	limits, err := stageLimits(ref, cfg, deps...)
	if err != nil {
		return fmt.Errorf("gateway: API %q: stage %q: %w", a.name, cfg.Name, err)
	}
	cfg = cloneStage(cfg)
	se := a.stages[cfg.Name]
	var prevCache *stageCache
	counters := &cacheCounters{}
	if se != nil {
		prevCache, counters = se.cache.Load(), &se.cacheStats
	}
	sc, err := g.newStageCache(a.name+"/"+cfg.Name+"/", cfg.Cache, prevCache, counters)
	if err != nil {
		return fmt.Errorf("gateway: API %q: stage %q: %w", a.name, cfg.Name, err)
	}
	obs, err := newStageObs(cfg)
	if err != nil {
		return fmt.Errorf("gateway: API %q: stage %q: %w", a.name, cfg.Name, err)
	}
	var st *stage.Stage[*deployment]
	if se == nil {
		if st, err = stage.New(cfg.Name, state); err != nil {
			return fmt.Errorf("gateway: API %q: %w", a.name, err)
		}
	}
	if limits == nil {
		g.limiter.RemoveStage(ref)
	} else if err := g.limiter.SetStage(*limits); err != nil {
		return fmt.Errorf("gateway: API %q: stage %q: %w", a.name, cfg.Name, err)
	}
	if se != nil {
		se.st.Store(state)
		se.cache.Store(sc)
		se.obs.Store(obs)
		se.cfg = cfg
		return nil
	}
	se = &stageEntry{name: cfg.Name, ref: ref, st: st, cfg: cfg}
	if sc != nil {
		sc.stats = &se.cacheStats
	}
	se.cache.Store(sc)
	se.obs.Store(obs)
	a.stages[cfg.Name] = se
	return g.rebuildLocked()
}

// stageState validates cfg against a's deployments and builds the state
// its stage serves.
func (g *Gateway) stageState(a *apiEntry, cfg Stage) (*stage.State[*deployment], error) {
	prefix := fmt.Sprintf("gateway: API %q: stage %q", a.name, cfg.Name)
	d, ok := a.history.Get(cfg.DeploymentID)
	if !ok {
		return nil, fmt.Errorf("%s: no deployment %q", prefix, cfg.DeploymentID)
	}
	vars := stage.Variables(cfg.Variables)
	if err := vars.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	if err := d.Value.checkStage(vars); err != nil {
		return nil, fmt.Errorf("%s: deployment %s: %w", prefix, d.ID, err)
	}
	var canary *stage.Canary[*deployment]
	if c := cfg.Canary; c != nil {
		cd, ok := a.history.Get(c.DeploymentID)
		if !ok {
			return nil, fmt.Errorf("%s: canary: no deployment %q", prefix, c.DeploymentID)
		}
		canary = &stage.Canary[*deployment]{Deployment: cd, Percent: c.Percent, Variables: c.Variables}
		if err := cd.Value.checkStage(vars.Merge(c.Variables)); err != nil {
			return nil, fmt.Errorf("%s: canary deployment %s: %w", prefix, cd.ID, err)
		}
	}
	state, err := stage.NewState(d, vars, canary)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	return state, nil
}

// SetStageDeployment points a stage at another deployment, keeping its
// variables and canary: a redeploy, or a rollback to any earlier
// deployment. It is atomic like [Gateway.PutStage].
func (g *Gateway) SetStageDeployment(apiName, stageName, deploymentID string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	a, se, err := g.stageLocked(apiName, stageName)
	if err != nil {
		return err
	}
	cfg := se.cfg
	cfg.DeploymentID = deploymentID
	return g.putStageLocked(a, cfg)
}

// PromoteCanary makes a stage's canary deployment the stage's deployment,
// with the canary's variable overrides applied to the stage's variables,
// and removes the canary.
func (g *Gateway) PromoteCanary(apiName, stageName string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	a, se, err := g.stageLocked(apiName, stageName)
	if err != nil {
		return err
	}
	c := se.cfg.Canary
	if c == nil {
		return fmt.Errorf("gateway: API %q: stage %q has no canary", apiName, stageName)
	}
	cfg := se.cfg
	cfg.DeploymentID = c.DeploymentID
	cfg.Variables = stage.Variables(cfg.Variables).Merge(c.Variables)
	cfg.Canary = nil
	return g.putStageLocked(a, cfg)
}

// GetStage returns the configuration of a stage.
func (g *Gateway) GetStage(apiName, stageName string) (Stage, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, se, err := g.stageLocked(apiName, stageName)
	if err != nil {
		return Stage{}, err
	}
	return cloneStage(se.cfg), nil
}

// StageDefinition returns the definition of the API that a stage serves:
// the API as it was when the stage's deployment was made (its canary's is
// not included). Exporters and SDK generators work from it. Treat the
// routes' integrations, models and caches as read-only.
func (g *Gateway) StageDefinition(apiName, stageName string) (API, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	_, se, err := g.stageLocked(apiName, stageName)
	if err != nil {
		return API{}, err
	}
	def := se.st.Load().Deployment.Value.def
	def.Routes = slices.Clone(def.Routes)
	return def, nil
}

// DeleteStage removes a stage, its throttles and the domain mappings to
// it. A stage that a usage plan covers cannot be deleted: take it out of
// the plan first.
func (g *Gateway) DeleteStage(apiName, stageName string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	a, se, err := g.stageLocked(apiName, stageName)
	if err != nil {
		return err
	}
	if p := g.coveringPlan(se.ref); p != "" {
		return fmt.Errorf("gateway: DeleteStage %s/%s: usage plan %q covers it", apiName, stageName, p)
	}
	g.limiter.RemoveStage(se.ref)
	delete(a.stages, stageName)
	g.domains = slices.DeleteFunc(g.domains, func(m DomainMapping) bool { return m.API == apiName && m.Stage == stageName })
	return g.rebuildLocked()
}

func (g *Gateway) stageLocked(apiName, stageName string) (*apiEntry, *stageEntry, error) {
	a := g.apis[apiName]
	if a == nil {
		return nil, nil, fmt.Errorf("gateway: no API %q", apiName)
	}
	se := a.stages[stageName]
	if se == nil {
		return nil, nil, fmt.Errorf("gateway: API %q has no stage %q", apiName, stageName)
	}
	return a, se, nil
}

// MapDomain maps a custom domain name and base path to an API stage. A
// request whose Host is a mapped domain is served only by that domain's
// mappings (an unmapped base path gets the not-found response); other
// hosts reach the APIs' default endpoints. Mapping to a missing API or
// stage, or mapping a domain and base path twice, is an error.
func (g *Gateway) MapDomain(m DomainMapping) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, _, err := g.stageLocked(m.API, m.Stage); err != nil {
		return fmt.Errorf("gateway: MapDomain %s/%s: %w", m.Domain, m.BasePath, err)
	}
	g.domains = append(g.domains, m)
	if err := g.rebuildLocked(); err != nil {
		g.domains = g.domains[:len(g.domains)-1]
		return fmt.Errorf("gateway: MapDomain: %w", err)
	}
	return nil
}

// UnmapDomain removes the mapping of domain and base path.
func (g *Gateway) UnmapDomain(domain, basePath string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	norm := func(s string) string { return strings.Trim(strings.ToLower(s), "/") }
	n := len(g.domains)
	g.domains = slices.DeleteFunc(g.domains, func(m DomainMapping) bool {
		return norm(m.Domain) == norm(domain) && norm(m.BasePath) == norm(basePath)
	})
	if len(g.domains) == n {
		return fmt.Errorf("gateway: UnmapDomain: no mapping for %s/%s", domain, basePath)
	}
	return g.rebuildLocked()
}

// RegisterFunction names an integration so that routes can call it through
// [FunctionNamed], typically with the name taken from a stage variable.
// Deployments made afterwards can use it.
func (g *Gateway) RegisterFunction(name string, in Integration) error {
	if name == "" || strings.ContainsFunc(name, func(r rune) bool {
		return !(r < 128 && (isAlnum(byte(r)) || r == '-' || r == '_' || r == '.'))
	}) {
		return fmt.Errorf("gateway: RegisterFunction: invalid name %q (want [A-Za-z0-9._-]+)", name)
	}
	if in == nil {
		return fmt.Errorf("gateway: RegisterFunction %q: nil integration", name)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.functions == nil {
		g.functions = map[string]Integration{}
	}
	g.functions[name] = in
	return nil
}

// functionsLocked returns the registered functions. g.mu must be held.
func (g *Gateway) functionsLocked() map[string]Integration {
	return maps.Clone(g.functions)
}

// cloneStage returns cfg with its maps and pointers copied, so that the
// caller's value and the gateway's do not share them.
func cloneStage(cfg Stage) Stage {
	cfg.Variables = maps.Clone(cfg.Variables)
	cfg.RouteThrottles = maps.Clone(cfg.RouteThrottles)
	if cfg.Cache != nil {
		c := *cfg.Cache
		cfg.Cache = &c
	}
	if cfg.Throttle != nil {
		r := *cfg.Throttle
		cfg.Throttle = &r
	}
	if cfg.Canary != nil {
		c := *cfg.Canary
		c.Variables = maps.Clone(c.Variables)
		cfg.Canary = &c
	}
	return cfg
}

// APIInfo describes a registered API, for consoles and scripts.
type APIInfo struct {
	Name     string
	Kind     Kind
	BasePath string // "/" for the root
	// Stages are the names of its stages, sorted.
	Stages []string
	// Routes are the routes of its current definition (what the next
	// deployment would serve).
	Routes []RouteInfo
}

// RouteInfo describes a route's settings.
type RouteInfo struct {
	Key                 string
	Integration         string // the integration's Go type, e.g. "*gateway.HTTPProxy"
	Authorizer          string
	AuthorizationScopes []string
	APIKeyRequired      bool
	Timeout             time.Duration
	Cache               *RouteCache
}

// APIs describes every registered API, sorted by name.
func (g *Gateway) APIs() []APIInfo {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]APIInfo, 0, len(g.apis))
	for _, a := range g.apis {
		info := APIInfo{Name: a.name, Kind: a.def.Kind, BasePath: a.basePath + "/", Stages: slices.Sorted(maps.Keys(a.stages))}
		for _, rt := range a.def.Routes {
			ri := RouteInfo{Key: rt.Key, Integration: fmt.Sprintf("%T", rt.Integration), Authorizer: rt.Authorizer,
				AuthorizationScopes: slices.Clone(rt.AuthorizationScopes), APIKeyRequired: rt.APIKeyRequired, Timeout: rt.Timeout}
			if rt.Cache != nil {
				c := *rt.Cache
				c.KeyParameters = slices.Clone(c.KeyParameters)
				ri.Cache = &c
			}
			info.Routes = append(info.Routes, ri)
		}
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b APIInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Stages returns the configuration of every stage of the API called
// apiName, sorted by name.
func (g *Gateway) Stages(apiName string) ([]Stage, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.apis[apiName]
	if a == nil {
		return nil, fmt.Errorf("gateway: Stages: no API %q", apiName)
	}
	out := make([]Stage, 0, len(a.stages))
	for _, name := range slices.Sorted(maps.Keys(a.stages)) {
		out = append(out, cloneStage(a.stages[name].cfg))
	}
	return out, nil
}
