package stage

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"sync/atomic"
)

// maxStageNameLen is the longest stage name, in characters.
const maxStageNameLen = 128

// Canary sends a share of a stage's requests to another deployment, with
// the stage's variables overridden for those requests.
type Canary[T any] struct {
	// Deployment serves the canary's requests. It may be the stage's
	// own deployment, to try out new variable values alone.
	Deployment *Deployment[T]
	// Percent is the share of requests, from 0 to 100, that the canary
	// serves; fractions such as 12.5 are allowed. At 0 the canary
	// serves nothing, at 100 everything.
	Percent float64
	// Variables override the stage's variables for canary requests.
	// If nil, canary requests see the stage's variables.
	Variables Variables
}

// State is what a stage serves at one moment: a deployment, its
// variables, and an optional canary. Make one with [NewState]; once made
// it is immutable, and neither it nor the maps and canary it holds may be
// modified. To change a stage, make a new State and [Stage.Store] it. A
// State written as a struct literal skips NewState's checks, so [New] and
// Store refuse it.
type State[T any] struct {
	// Deployment serves the stage's requests (all of them, or those the
	// canary does not take). Never nil.
	Deployment *Deployment[T]
	// Variables are the stage variables.
	Variables Variables
	// Canary is nil when the stage has none.
	Canary *Canary[T]

	canaryVars Variables // Variables merged with Canary.Variables
	cut        float64   // Pick chooses the canary when u < cut
	made       bool      // made by NewState
}

// NewState validates and returns a State. It reports, joined, every
// problem: a nil d, invalid vars, and for a non-nil canary a nil
// deployment, a Percent outside [0, 100] (NaN included) or invalid
// canary variables; each error names its field.
//
// NewState copies vars and the canary (with its variables), so that later
// changes to what the caller passed do not reach the State.
func NewState[T any](d *Deployment[T], vars Variables, canary *Canary[T]) (*State[T], error) {
	var errs []error
	if d == nil {
		errs = append(errs, errors.New("stage: Deployment is nil"))
	}
	errs = append(errs, vars.validate("stage: Variables: "))
	if canary != nil {
		if canary.Deployment == nil {
			errs = append(errs, errors.New("stage: Canary.Deployment is nil"))
		}
		if p := canary.Percent; math.IsNaN(p) || p < 0 || p > 100 {
			errs = append(errs, fmt.Errorf("stage: Canary.Percent is %v; it must be within [0, 100]", p))
		}
		errs = append(errs, canary.Variables.validate("stage: Canary.Variables: "))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s := &State[T]{Deployment: d, Variables: maps.Clone(vars), made: true}
	if canary != nil {
		c := *canary
		c.Variables = maps.Clone(c.Variables)
		s.Canary = &c
		s.canaryVars = s.Variables.Merge(c.Variables)
		s.cut = c.Percent / 100
	}
	return s, nil
}

// Pick chooses the deployment and variables for one request, given u, a
// uniform random number in [0, 1): the canary's when u < Percent/100,
// the stage's otherwise. Passing u in keeps Pick deterministic in tests;
// callers use math/rand/v2's Float64. For the canary, vars are the stage's
// variables merged with the canary's overrides, computed once by
// NewState. Pick allocates nothing. The returned values must not be
// modified.
func (s *State[T]) Pick(u float64) (d *Deployment[T], vars Variables, canary bool) {
	if s.Canary != nil && u < s.cut {
		return s.Canary.Deployment, s.canaryVars, true
	}
	return s.Deployment, s.Variables, false
}

// Stage is a named stage of an API. It serves one [State] at a time and
// switches atomically: [Stage.Load] is a single atomic load, so a request
// loads the State once and finishes on it even if the stage switches
// meanwhile.
//
// Make a Stage with [New]; the zero Stage has no name and no State. A
// Stage is safe for concurrent use; [Stage.Store] replaces the State (the
// last Store wins), so callers that read, change and store a State
// serialize those changes themselves (the gateway holds its lock).
type Stage[T any] struct {
	name  string
	state atomic.Pointer[State[T]]
}

// New returns a stage named name serving initial, which must have been
// made by [NewState]. A name is 1 to 128 characters of [A-Za-z0-9_-], or
// exactly "$default", the managed service's stage that serves an API's
// root.
func New[T any](name string, initial *State[T]) (*Stage[T], error) {
	if !validStageName(name) {
		return nil, fmt.Errorf("stage: invalid stage name %q: use 1 to %d characters of [A-Za-z0-9_-], or \"$default\"", name, maxStageNameLen)
	}
	if initial == nil {
		return nil, fmt.Errorf("stage: stage %q: initial State is nil", name)
	}
	if !initial.made {
		return nil, fmt.Errorf("stage: stage %q: initial State was not made by NewState", name)
	}
	s := &Stage[T]{name: name}
	s.state.Store(initial)
	return s, nil
}

// Name returns the stage's name.
func (s *Stage[T]) Name() string { return s.name }

// Load returns the State the stage serves now. It is one atomic load,
// allocates nothing, and never returns nil for a Stage made by [New].
func (s *Stage[T]) Load() *State[T] { return s.state.Load() }

// Store switches the stage to st atomically: requests that already loaded
// the previous State finish on it, later ones see st. To roll back, Store
// a State made from an earlier deployment of the [History].
//
// Store panics if st is nil or was not made by [NewState], as
// [sync/atomic.Value] panics on a nil store: both are programming errors
// that would otherwise surface at request time.
func (s *Stage[T]) Store(st *State[T]) {
	mustBeMade(st)
	s.state.Store(st)
}

// mustBeMade panics if st is nil or was not made by NewState.
func mustBeMade[T any](st *State[T]) {
	if st == nil {
		panic("stage: nil State")
	}
	if !st.made {
		panic("stage: State not made by NewState")
	}
}

// validStageName reports whether name is a valid stage name.
func validStageName(name string) bool {
	if name == "$default" {
		return true
	}
	if name == "" || len(name) > maxStageNameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isNameByte(c) && c != '-' {
			return false
		}
	}
	return true
}
