package throttle

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekit/gatekit/internal/clocktest"
)

var (
	pets    = StageRef{API: "pets", Stage: "prod"}
	petsDev = StageRef{API: "pets", Stage: "dev"}
	getPet  = "GET /pets/{id}"
)

func newTestLimiter(t *testing.T, gateway *Rate) (*Limiter, *clocktest.Clock) {
	t.Helper()
	clock := clocktest.NewClock(t0)
	l, err := NewLimiter(LimiterConfig{Store: &MemoryStore{Clock: clock.Now}, Gateway: gateway})
	if err != nil {
		t.Fatal(err)
	}
	return l, clock
}

func ratePtr(perSecond float64, burst int) *Rate { return &Rate{PerSecond: perSecond, Burst: burst} }

// TestLimiterMostRestrictive makes each level in turn the tightest and
// checks that it decides, and that the refusal names it.
func TestLimiterMostRestrictive(t *testing.T) {
	loose := Rate{PerSecond: 1, Burst: 100}
	tests := []struct {
		name      string
		gateway   Rate
		stage     *Rate
		route     *Rate
		plan      *Rate
		method    *Rate
		quota     int64
		want      int    // admitted of 20 at once
		wantKey   string // prefix of the refusing key
		wantError error
	}{
		{"gateway", Rate{PerSecond: 1, Burst: 2}, &loose, nil, &loose, &loose, 100, 2, "gw", ErrRateLimited},
		{"stage default", loose, ratePtr(1, 3), nil, &loose, &loose, 100, 3, "route|pets|prod|GET /pets/{id}", ErrRateLimited},
		{"route override", loose, ratePtr(1, 1), ratePtr(1, 4), &loose, &loose, 100, 4, "route|pets|prod|GET /pets/{id}", ErrRateLimited},
		{"plan", loose, &loose, nil, ratePtr(1, 5), &loose, 100, 5, "plan|free|key1", ErrRateLimited},
		{"plan method", loose, &loose, nil, &loose, ratePtr(1, 6), 100, 6, "method|free|key1|pets|prod|GET /pets/{id}", ErrRateLimited},
		{"quota", loose, &loose, nil, &loose, &loose, 7, 7, "quota|free|key1", ErrQuotaExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := newTestLimiter(t, &tt.gateway)
			sl := StageLimits{Stage: pets, Throttle: tt.stage}
			if tt.route != nil {
				sl.Routes = map[string]Rate{getPet: *tt.route}
			}
			if err := l.SetStage(sl); err != nil {
				t.Fatal(err)
			}
			err := l.PutPlan(Plan{
				Name:            "free",
				Stages:          []StageRef{pets},
				Throttle:        tt.plan,
				MethodThrottles: map[string]Rate{getPet: *tt.method},
				Quota:           &Quota{Limit: tt.quota, Period: Day},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Attach("free", "key1"); err != nil {
				t.Fatal(err)
			}
			admitted := 0
			var last Result
			for range 20 {
				res, err := l.Check(context.Background(), Request{Stage: pets, Route: getPet, APIKey: "key1"})
				if err != nil {
					t.Fatal(err)
				}
				if res.Allowed() {
					admitted++
				} else {
					last = res
				}
			}
			if admitted != tt.want || last.Key != tt.wantKey || !errors.Is(last.Err(), tt.wantError) {
				t.Errorf("admitted %d, last refusal %+v; want %d, refused by %q with %v", admitted, last, tt.want, tt.wantKey, tt.wantError)
			}
		})
	}
}

func TestLimiterPlans(t *testing.T) {
	l, _ := newTestLimiter(t, nil)
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}, Quota: &Quota{Limit: 1, Period: Day}}); err != nil {
		t.Fatal(err)
	}
	if err := l.PutPlan(Plan{Name: "gold", Stages: []StageRef{pets, petsDev}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Attach("free", "k1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  Request
		want Refusal
	}{
		{"key on plan", Request{Stage: pets, Route: getPet, APIKey: "k1"}, NotRefused},
		{"quota spent", Request{Stage: pets, Route: getPet, APIKey: "k1"}, RefusedQuota},
		{"key on no plan", Request{Stage: pets, Route: getPet, APIKey: "k2"}, RefusedNoPlan},
		{"key's plan does not cover the stage", Request{Stage: petsDev, Route: getPet, APIKey: "k1"}, RefusedNoPlan},
		{"stage without plans", Request{Stage: StageRef{API: "other", Stage: "prod"}, Route: getPet, APIKey: "k2"}, NotRefused},
		{"no API key", Request{Stage: pets, Route: getPet}, NotRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := l.Check(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Refused != tt.want {
				t.Errorf("Check(%+v) = %v, want %v", tt.req, res.Refused, tt.want)
			}
		})
	}
}

func TestLimiterConfigErrors(t *testing.T) {
	l, _ := newTestLimiter(t, nil)
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}}); err != nil {
		t.Fatal(err)
	}
	if err := l.PutPlan(Plan{Name: "gold", Stages: []StageRef{pets, petsDev}}); err != nil {
		t.Fatal(err)
	}
	if err := l.PutPlan(Plan{Name: "dev", Stages: []StageRef{petsDev}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Attach("free", "k1"); err != nil {
		t.Fatal(err)
	}
	if err := l.Attach("dev", "k1"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		do   func() error
		want string
	}{
		{"attach twice is fine", func() error { return l.Attach("free", "k1") }, ""},
		{"no such plan", func() error { return l.Attach("silver", "k1") }, `no plan "silver"`},
		{"overlapping plans", func() error { return l.Attach("gold", "k1") }, `key "k1" is on plan`},
		{"bad key id", func() error { return l.Attach("free", "a|b") }, `key id "a|b"`},
		{"plan change overlaps", func() error {
			return l.PutPlan(Plan{Name: "dev", Stages: []StageRef{pets, petsDev}})
		}, `key "k1" is also on plan "free"`},
		{"bad plan", func() error { return l.PutPlan(Plan{Throttle: &Rate{PerSecond: 1}}) }, "Plan.Name is empty"},
		{"bad stage", func() error {
			return l.SetStage(StageLimits{Stage: pets, Routes: map[string]Rate{"pets": {PerSecond: -1}}})
		}, `"pets" is not a route key`},
		{"adjust without quota", func() error { _, err := l.AdjustQuota(context.Background(), "free", "k1", 1); return err }, "has no quota"},
		{"adjust unknown plan", func() error { _, err := l.AdjustQuota(context.Background(), "nope", "k1", 1); return err }, `no plan "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := NewLimiter(LimiterConfig{Gateway: &Rate{PerSecond: 5}}); err == nil {
		t.Error("NewLimiter with a Burst of 0 succeeded, want an error")
	}
}

// TestLimiterPlanChanges checks that keys follow a plan that is replaced
// or removed, and that detaching and attaching again keeps the quota.
func TestLimiterPlanChanges(t *testing.T) {
	l, _ := newTestLimiter(t, nil)
	ctx := context.Background()
	req := Request{Stage: pets, Route: getPet, APIKey: "k1"}
	check := func(want Refusal) {
		t.Helper()
		res, err := l.Check(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if res.Refused != want {
			t.Fatalf("Check() = %+v, want %v", res, want)
		}
	}
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}, Quota: &Quota{Limit: 2, Period: Day}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Attach("free", "k1"); err != nil {
		t.Fatal(err)
	}
	check(NotRefused)
	l.Detach("free", "k1")
	check(RefusedNoPlan)
	if err := l.Attach("free", "k1"); err != nil {
		t.Fatal(err)
	}
	check(NotRefused)
	check(RefusedQuota) // the quota carried over the detach
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}, Quota: &Quota{Limit: 3, Period: Day}}); err != nil {
		t.Fatal(err)
	}
	check(NotRefused) // the key follows the new limit
	l.RemovePlan("free")
	check(NotRefused) // no plans on the stage any more
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}}); err != nil {
		t.Fatal(err)
	}
	check(RefusedNoPlan) // removing the plan took the key off it
}

// TestLimiterAttachUnderLoad attaches and detaches keys while others are
// checked; run it with -race.
func TestLimiterAttachUnderLoad(t *testing.T) {
	l, err := NewLimiter(LimiterConfig{Gateway: &Rate{PerSecond: Inf}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}, Throttle: &Rate{PerSecond: Inf}, Quota: &Quota{Limit: 1 << 40, Period: Day}}); err != nil {
		t.Fatal(err)
	}
	const keys = 16
	for i := range keys / 2 { // the even keys stay on the plan throughout
		if err := l.Attach("free", fmt.Sprint("key", 2*i)); err != nil {
			t.Fatal(err)
		}
	}
	var stop atomic.Bool
	var wrong atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				k := (g + i) % keys
				res, err := l.Check(context.Background(), Request{Stage: pets, Route: getPet, APIKey: fmt.Sprint("key", k)})
				if err != nil || (k%2 == 0 && !res.Allowed()) || (k%2 == 1 && res.Refused != NotRefused && res.Refused != RefusedNoPlan) {
					wrong.Add(1)
				}
			}
		})
	}
	for range 2000 {
		for i := 1; i < keys; i += 2 {
			if err := l.Attach("free", fmt.Sprint("key", i)); err != nil {
				t.Error(err)
			}
		}
		for i := 1; i < keys; i += 2 {
			l.Detach("free", fmt.Sprint("key", i))
		}
	}
	stop.Store(true)
	wg.Wait()
	if n := wrong.Load(); n > 0 {
		t.Errorf("%d checks answered wrongly while keys moved", n)
	}
}

func TestLimiterUsage(t *testing.T) {
	l, clock := newTestLimiter(t, nil)
	ctx := context.Background()
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}, Quota: &Quota{Limit: 100, Period: Week}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Attach("free", "k1"); err != nil {
		t.Fatal(err)
	}
	for day := range 3 {
		for range day + 1 {
			if _, err := l.Check(ctx, Request{Stage: pets, Route: getPet, APIKey: "k1"}); err != nil {
				t.Fatal(err)
			}
		}
		clock.Advance(24 * time.Hour)
	}
	got, err := l.Usage(ctx, "free", "k1", t0, t0.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got[0].Used, got[1].Used, got[2].Used) != "1 2 3" {
		t.Errorf("Usage() = %v, want 1, 2 and 3 used", got)
	}
	if rem, err := l.AdjustQuota(ctx, "free", "k1", 10); err != nil || rem != 100-6+10 {
		t.Errorf("AdjustQuota(+10) = %d, %v; want %d", rem, err, 100-6+10)
	}
	noUsage, err := NewLimiter(LimiterConfig{Store: StoreFunc(func(context.Context, TakeRequest) (Result, error) { return Result{}, nil })})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := noUsage.Usage(ctx, "free", "k1", t0, t0); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Usage on a plain Store = %v, want ErrUnsupported", err)
	}
}

// TestLimiterSharedStore checks the split a shared store gets: the
// gateway-wide bucket stays in process memory, a request with no other
// limit never reaches the store, and the store sees only the other levels.
func TestLimiterSharedStore(t *testing.T) {
	clock := clocktest.NewClock(t0)
	backing := &MemoryStore{Clock: clock.Now}
	var calls []TakeRequest
	shared := StoreFunc(func(ctx context.Context, req TakeRequest) (Result, error) {
		calls = append(calls, TakeRequest{Rates: slices.Clone(req.Rates), Quota: req.Quota})
		return backing.Take(ctx, req)
	})
	l, err := NewLimiter(LimiterConfig{Store: shared, Gateway: ratePtr(1, 3), Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	open := Request{Stage: petsDev, Route: getPet}
	if res, err := l.Check(ctx, open); err != nil || !res.Allowed() || res.Key != "gw" || res.Remaining != 2 {
		t.Fatalf("Check(no stage limits) = %+v, %v; want admitted by gw with 2 remaining", res, err)
	}
	if len(calls) != 0 {
		t.Fatalf("a request with only the gateway-wide limit reached the shared store: %v", calls)
	}
	if err := l.SetStage(StageLimits{Stage: pets, Throttle: ratePtr(1, 10)}); err != nil {
		t.Fatal(err)
	}
	res, err := l.Check(ctx, Request{Stage: pets, Route: getPet})
	if err != nil || !res.Allowed() || res.Key != "gw" || res.Remaining != 1 {
		t.Fatalf("Check(stage limit) = %+v, %v; want admitted, gw the tighter with 1 remaining", res, err)
	}
	if len(calls) != 1 || len(calls[0].Rates) != 1 || calls[0].Rates[0].Key != "route|pets|prod|GET /pets/{id}" {
		t.Fatalf("store calls = %+v, want one with only the route bucket", calls)
	}
	l.Check(ctx, open)
	if res, err := l.Check(ctx, Request{Stage: pets, Route: getPet}); err != nil || res.Refused != RefusedRate || res.Key != "gw" {
		t.Fatalf("fourth Check = %+v, %v; want refused by gw", res, err)
	}
	if len(calls) != 1 {
		t.Errorf("a request the gateway-wide bucket refused reached the store")
	}
	l.RemoveStage(pets)
	clock.Advance(time.Hour)
	l.Check(ctx, Request{Stage: pets, Route: getPet})
	if len(calls) != 1 {
		t.Errorf("a removed stage's throttle still reached the store")
	}
}

// TestLimiterNoLimits checks that with the gateway-wide rate off, a
// request that meets no limit does not ask the store at all.
func TestLimiterNoLimits(t *testing.T) {
	l, err := NewLimiter(LimiterConfig{
		Gateway: &Rate{PerSecond: Inf},
		Store: StoreFunc(func(context.Context, TakeRequest) (Result, error) {
			return Result{}, errors.New("the store was asked")
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := l.Check(context.Background(), Request{Stage: pets, Route: getPet, APIKey: "k"}); err != nil || !res.Allowed() || res.Key != "" {
		t.Errorf("Check() = %+v, %v; want admitted with no figures", res, err)
	}
}

func TestLimiterListsPlans(t *testing.T) {
	l, _ := newTestLimiter(t, nil)
	for _, name := range []string{"gold", "free"} {
		if err := l.PutPlan(Plan{Name: name, Stages: []StageRef{{API: name, Stage: "prod"}}, Throttle: ratePtr(5, 5)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"k2", "k1"} {
		if err := l.Attach("free", k); err != nil {
			t.Fatal(err)
		}
	}
	plans := l.Plans()
	if len(plans) != 2 || plans[0].Name != "free" || plans[1].Name != "gold" {
		t.Fatalf("Plans() = %+v, want free then gold", plans)
	}
	plans[0].Throttle.PerSecond = 99 // a copy: the limiter's plan stays
	if p, ok := l.Plan("free"); !ok || p.Throttle.PerSecond != 5 {
		t.Errorf("Plan(free) = %+v, %v; want the plan as put", p, ok)
	}
	if _, ok := l.Plan("none"); ok {
		t.Error("Plan(none) found a plan")
	}
	if got := l.Keys("free"); !slices.Equal(got, []string{"k1", "k2"}) {
		t.Errorf("Keys(free) = %v, want [k1 k2]", got)
	}
}

// TestLimiterSyncKey checks that a key follows the plan list a shared key
// store gives it: joining, leaving, plans the Limiter gets later, and
// conflicting lists refused without a change.
func TestLimiterSyncKey(t *testing.T) {
	l, _ := newTestLimiter(t, nil)
	ctx := context.Background()
	req := Request{Stage: pets, Route: getPet, APIKey: "k1"}
	check := func(step string, want Refusal, wantPlan string) {
		t.Helper()
		res, err := l.Check(ctx, req)
		if err != nil || res.Refused != want || res.Plan != wantPlan {
			t.Fatalf("%s: Check() = %+v, %v; want %v on plan %q", step, res, err, want, wantPlan)
		}
	}
	if err := l.PutPlan(Plan{Name: "free", Stages: []StageRef{pets}, Quota: &Quota{Limit: 100, Period: Day}}); err != nil {
		t.Fatal(err)
	}
	check("no plans listed", RefusedNoPlan, "")
	if err := l.SyncKey("k1", []string{"free", "gold"}); err != nil {
		t.Fatal(err)
	}
	check("synced on free (gold unknown)", NotRefused, "free")
	if got := l.Keys("free"); !slices.Equal(got, []string{"k1"}) {
		t.Errorf("Keys(free) = %v, want [k1]", got)
	}
	// gold appears, covering the same stage as free: the stored list now
	// conflicts, and the key stays as it was.
	if err := l.PutPlan(Plan{Name: "gold", Stages: []StageRef{pets}}); err != nil {
		t.Fatal(err)
	}
	if err := l.SyncKey("k1", []string{"free", "gold"}); err == nil || !strings.Contains(err.Error(), "cover one stage") {
		t.Errorf("SyncKey(free, gold) = %v, want a conflict", err)
	}
	check("after a refused sync", NotRefused, "free")
	if err := l.SyncKey("k1", []string{"gold"}); err != nil {
		t.Fatal(err)
	}
	check("moved to gold", NotRefused, "gold")
	if len(l.Keys("free")) != 0 {
		t.Errorf("Keys(free) = %v after the move, want none", l.Keys("free"))
	}
	if err := l.SyncKey("k1", nil); err != nil {
		t.Fatal(err)
	}
	check("on no plan", RefusedNoPlan, "")
}
