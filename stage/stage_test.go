package stage

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// deployments returns n deployments of the values "v1", "v2", ….
func deployments(n int) []*Deployment[string] {
	var h History[string]
	ds := make([]*Deployment[string], n)
	for i := range ds {
		ds[i] = h.Add("v"+string(rune('1'+i)), "", t0)
	}
	return ds
}

// mustState is NewState for arguments known to be valid.
func mustState[T any](t testing.TB, d *Deployment[T], vars Variables, c *Canary[T]) *State[T] {
	t.Helper()
	s, err := NewState(d, vars, c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewState(t *testing.T) {
	d := deployments(2)
	good := Variables{"host": "a.example.com"}
	tests := []struct {
		name   string
		d      *Deployment[string]
		vars   Variables
		canary *Canary[string]
		want   []string // substrings of the error, one per problem; nil: valid
	}{
		{name: "deployment only", d: d[0]},
		{name: "with variables", d: d[0], vars: good},
		{name: "canary 0", d: d[0], canary: &Canary[string]{Deployment: d[1], Percent: 0}},
		{name: "canary 100", d: d[0], canary: &Canary[string]{Deployment: d[1], Percent: 100}},
		{name: "canary fraction", d: d[0], canary: &Canary[string]{Deployment: d[1], Percent: 12.5}},
		{name: "canary on the same deployment", d: d[0], vars: good, canary: &Canary[string]{Deployment: d[0], Percent: 5, Variables: Variables{"host": "b.example.com"}}},
		{name: "nil deployment", want: []string{"stage: Deployment is nil"}},
		{
			name: "invalid variables",
			d:    d[0],
			vars: Variables{"bad-name": "x"},
			want: []string{`stage: Variables: variable "bad-name": name has invalid character '-'`},
		},
		{
			name:   "percent -1",
			d:      d[0],
			canary: &Canary[string]{Deployment: d[1], Percent: -1},
			want:   []string{"stage: Canary.Percent is -1; it must be within [0, 100]"},
		},
		{
			name:   "percent 100.5",
			d:      d[0],
			canary: &Canary[string]{Deployment: d[1], Percent: 100.5},
			want:   []string{"stage: Canary.Percent is 100.5"},
		},
		{
			name:   "percent NaN",
			d:      d[0],
			canary: &Canary[string]{Deployment: d[1], Percent: math.NaN()},
			want:   []string{"stage: Canary.Percent is NaN"},
		},
		{
			name:   "percent +Inf",
			d:      d[0],
			canary: &Canary[string]{Deployment: d[1], Percent: math.Inf(1)},
			want:   []string{"stage: Canary.Percent is +Inf"},
		},
		{
			name:   "nil canary deployment",
			d:      d[0],
			canary: &Canary[string]{Percent: 10},
			want:   []string{"stage: Canary.Deployment is nil"},
		},
		{
			name:   "invalid canary variables",
			d:      d[0],
			canary: &Canary[string]{Deployment: d[1], Variables: Variables{"v": "a b"}},
			want:   []string{`stage: Canary.Variables: variable "v": value has invalid character ' '`},
		},
		{
			name:   "everything wrong",
			vars:   Variables{"": "x"},
			canary: &Canary[string]{Percent: math.NaN(), Variables: Variables{"v": ""}},
			want: []string{
				"stage: Deployment is nil",
				`stage: Variables: variable "": name is empty`,
				"stage: Canary.Deployment is nil",
				"stage: Canary.Percent is NaN",
				`stage: Canary.Variables: variable "v": value is empty`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewState(tt.d, tt.vars, tt.canary)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("NewState = %v", err)
				}
				if s.Deployment != tt.d || !maps.Equal(s.Variables, tt.vars) {
					t.Errorf("NewState = %+v", s)
				}
				if (s.Canary == nil) != (tt.canary == nil) {
					t.Errorf("Canary = %v; want %v", s.Canary, tt.canary)
				}
				return
			}
			if err == nil {
				t.Fatalf("NewState = %+v, nil; want an error", s)
			}
			if s != nil {
				t.Errorf("NewState returned a State with error %v", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("NewState reported %d problems; want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("problem %d = %q; want it to contain %q", i, lines[i], w)
				}
			}
		})
	}
}

func TestNewStateCopies(t *testing.T) {
	d := deployments(2)
	vars := Variables{"a": "1"}
	c := &Canary[string]{Deployment: d[1], Percent: 10, Variables: Variables{"b": "2"}}
	s := mustState(t, d[0], vars, c)
	vars["a"] = "changed"
	c.Percent = 90
	c.Deployment = d[0]
	c.Variables["b"] = "changed"
	if s.Variables["a"] != "1" || s.Canary.Percent != 10 || s.Canary.Deployment != d[1] || s.Canary.Variables["b"] != "2" {
		t.Errorf("changes to NewState's arguments reached the State: %+v, canary %+v", s, s.Canary)
	}
	if _, vars, _ := s.Pick(0); vars["b"] != "2" || vars["a"] != "1" {
		t.Errorf("canary variables = %v; want a=1 b=2", vars)
	}
}

func TestPick(t *testing.T) {
	d := deployments(2)
	stageVars := Variables{"host": "a", "mode": "live"}
	canaryVars := Variables{"host": "b"}
	merged := Variables{"host": "b", "mode": "live"}
	tests := []struct {
		name       string
		canary     *Canary[string]
		u          float64
		wantCanary bool
	}{
		{name: "no canary", u: 0},
		{name: "below threshold", canary: &Canary[string]{Deployment: d[1], Percent: 10, Variables: canaryVars}, u: 0.0999, wantCanary: true},
		{name: "at threshold", canary: &Canary[string]{Deployment: d[1], Percent: 10, Variables: canaryVars}, u: 0.1},
		{name: "above threshold", canary: &Canary[string]{Deployment: d[1], Percent: 10, Variables: canaryVars}, u: 0.5},
		{name: "fraction below", canary: &Canary[string]{Deployment: d[1], Percent: 12.5, Variables: canaryVars}, u: 0.1249, wantCanary: true},
		{name: "fraction above", canary: &Canary[string]{Deployment: d[1], Percent: 12.5, Variables: canaryVars}, u: 0.125},
		{name: "percent 0 at u 0", canary: &Canary[string]{Deployment: d[1], Percent: 0, Variables: canaryVars}, u: 0},
		{name: "percent 100 at u near 1", canary: &Canary[string]{Deployment: d[1], Percent: 100, Variables: canaryVars}, u: math.Nextafter(1, 0), wantCanary: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustState(t, d[0], stageVars, tt.canary)
			got, vars, canary := s.Pick(tt.u)
			if canary != tt.wantCanary {
				t.Fatalf("Pick(%v) canary = %v; want %v", tt.u, canary, tt.wantCanary)
			}
			want, wantVars := d[0], stageVars
			if tt.wantCanary {
				want, wantVars = d[1], merged
			}
			if got != want || !maps.Equal(vars, wantVars) {
				t.Errorf("Pick(%v) = %s, %v; want %s, %v", tt.u, got.Value, vars, want.Value, wantVars)
			}
		})
	}
}

func TestPickExtremes(t *testing.T) {
	d := deployments(2)
	never := mustState(t, d[0], nil, &Canary[string]{Deployment: d[1], Percent: 0})
	always := mustState(t, d[0], nil, &Canary[string]{Deployment: d[1], Percent: 100})
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		u := r.Float64()
		if _, _, c := never.Pick(u); c {
			t.Fatalf("Percent 0 picked the canary at u = %v", u)
		}
		if _, _, c := always.Pick(u); !c {
			t.Fatalf("Percent 100 did not pick the canary at u = %v", u)
		}
	}
}

func TestPickShare(t *testing.T) {
	d := deployments(2)
	for _, percent := range []float64{10, 33.3} {
		t.Run(fmt.Sprintf("%v%%", percent), func(t *testing.T) {
			s := mustState(t, d[0], nil, &Canary[string]{Deployment: d[1], Percent: percent})
			r := rand.New(rand.NewPCG(7, 11))
			const n = 10000
			hits := 0
			for range n {
				if _, _, c := s.Pick(r.Float64()); c {
					hits++
				}
			}
			if share := 100 * float64(hits) / n; math.Abs(share-percent) > 2 {
				t.Errorf("canary share = %.2f%%; want %v%% ± 2", share, percent)
			}
		})
	}
}

func TestNoAllocs(t *testing.T) {
	d := deployments(2)
	s := mustState(t, d[0], Variables{"a": "1"}, &Canary[string]{Deployment: d[1], Percent: 50, Variables: Variables{"a": "2"}})
	st, err := New("prod", s)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    func()
	}{
		{name: "Pick stage", f: func() { s.Pick(0.9) }},
		{name: "Pick canary", f: func() { s.Pick(0.1) }},
		{name: "Load", f: func() { _ = st.Load() }},
		{name: "Load and Pick", f: func() { st.Load().Pick(0.3) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := testing.AllocsPerRun(100, tt.f); got != 0 {
				t.Errorf("%s allocates %v times; want 0", tt.name, got)
			}
		})
	}
}

func TestNew(t *testing.T) {
	s := mustState(t, deployments(1)[0], nil, nil)
	tests := []struct {
		name    string
		stage   string
		state   *State[string]
		wantErr string
	}{
		{name: "simple", stage: "prod", state: s},
		{name: "default", stage: "$default", state: s},
		{name: "all characters", stage: "Beta_2-eu", state: s},
		{name: "longest", stage: strings.Repeat("s", 128), state: s},
		{name: "empty", stage: "", state: s, wantErr: `stage: invalid stage name ""`},
		{name: "too long", stage: strings.Repeat("s", 129), state: s, wantErr: "invalid stage name"},
		{name: "slash", stage: "prod/v1", state: s, wantErr: `invalid stage name "prod/v1"`},
		{name: "dollar elsewhere", stage: "$prod", state: s, wantErr: "invalid stage name"},
		{name: "space", stage: "my stage", state: s, wantErr: "invalid stage name"},
		{name: "dot", stage: "v1.2", state: s, wantErr: "invalid stage name"},
		{name: "nil state", stage: "prod", wantErr: `stage: stage "prod": initial State is nil`},
		{name: "literal state", stage: "prod", state: &State[string]{Deployment: s.Deployment}, wantErr: "not made by NewState"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := New(tt.stage, tt.state)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New(%q) error = %v; want it to contain %q", tt.stage, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%q) = %v", tt.stage, err)
			}
			if st.Name() != tt.stage || st.Load() != tt.state {
				t.Errorf("New(%q) = %q serving %p; want %p", tt.stage, st.Name(), st.Load(), tt.state)
			}
		})
	}
}

func TestStoreLoad(t *testing.T) {
	d := deployments(2)
	s1 := mustState(t, d[0], nil, nil)
	s2 := mustState(t, d[1], nil, nil)
	st, err := New("prod", s1)
	if err != nil {
		t.Fatal(err)
	}
	held := st.Load()
	st.Store(s2)
	if held != s1 || held.Deployment != d[0] {
		t.Error("a State loaded before Store changed")
	}
	if st.Load() != s2 {
		t.Error("Load after Store did not return the stored State")
	}
	st.Store(s1) // roll back
	if st.Load() != s1 {
		t.Error("Load after the rollback did not return the first State")
	}
}

func TestStorePanics(t *testing.T) {
	d := deployments(1)
	st, err := New("prod", mustState(t, d[0], nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		f     func()
		panic string
	}{
		{name: "Store nil", f: func() { st.Store(nil) }, panic: "stage: nil State"},
		{name: "Store literal", f: func() { st.Store(&State[string]{Deployment: d[0]}) }, panic: "stage: State not made by NewState"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != tt.panic {
					t.Errorf("recovered %v; want panic %q", r, tt.panic)
				}
			}()
			tt.f()
		})
	}
	if st.Load() == nil {
		t.Error("a refused Store left the stage without a State")
	}
}

func TestStoreLoadConcurrent(t *testing.T) {
	d := deployments(4)
	var states []*State[string]
	for _, dep := range d {
		states = append(states, mustState(t, dep, Variables{"v": dep.Value}, nil))
	}
	known := make(map[*State[string]]bool)
	for _, s := range states {
		known[s] = true
	}
	st, err := New("prod", states[0])
	if err != nil {
		t.Fatal(err)
	}

	var stop atomic.Bool
	var writers, readers sync.WaitGroup
	for w := range 2 {
		writers.Go(func() {
			for i := 0; !stop.Load(); i++ {
				st.Store(states[(i+w)%len(states)])
			}
		})
	}
	for range 4 {
		readers.Go(func() {
			for range 20000 {
				s := st.Load()
				if s == nil {
					t.Error("Load returned nil")
					return
				}
				if !known[s] {
					t.Error("Load returned a State that was never stored")
					return
				}
				// A loaded State is consistent: its variables belong
				// to its deployment.
				if dep, vars, _ := s.Pick(0.5); vars["v"] != dep.Value {
					t.Errorf("State mixes deployment %s with variables %v", dep.Value, vars)
					return
				}
			}
		})
	}
	readers.Wait()
	stop.Store(true)
	writers.Wait()
}
