package gateway

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gatekit/gatekit/stage"
)

// FunctionNamed returns an integration that calls the integration
// registered on the gateway under a name (see [Gateway.RegisterFunction]).
// The name may use stage variables — "orders-${stageVariables.env}" calls
// "orders-beta" on a stage whose variable env is "beta" — as the managed
// service takes a function name from a stage variable. A name that no
// registered function has is an error when the API is deployed (for a
// fixed name) or when a stage is configured (for a name from stage
// variables), never at request time.
func FunctionNamed(name string) Integration { return functionNamed{name} }

type functionNamed struct{ name string }

// FunctionName returns the name an integration made by [FunctionNamed]
// calls, as given (stage variables unsubstituted), and whether in is one.
func FunctionName(in Integration) (string, bool) {
	f, ok := in.(functionNamed)
	return f.name, ok
}

// namedTarget is one registered function bound for the route.
type namedTarget struct {
	h      http.Handler
	err    error                                // why it could not be bound
	checks []func(vars map[string]string) error // its own stage checks
}

func (f functionNamed) Bind(b *Binding) (http.Handler, error) {
	tmpl, err := stage.ParseTemplate(f.name)
	if err != nil {
		return nil, fmt.Errorf("FunctionNamed: %w", err)
	}
	if tmpl.IsLiteral() {
		in := b.functions[f.name]
		if in == nil {
			return nil, fmt.Errorf("FunctionNamed: no function %q is registered", f.name)
		}
		return in.Bind(b)
	}
	// The name depends on the stage: bind every registered function, and
	// let each stage's check say whether its choice exists and binds.
	targets := make(map[string]*namedTarget, len(b.functions))
	for name, in := range b.functions {
		bb := *b
		bb.checks = nil
		h, err := in.Bind(&bb)
		if err == nil && h == nil {
			err = errors.New("integration bound to a nil handler")
		}
		targets[name] = &namedTarget{h: h, err: err, checks: bb.checks}
	}
	b.CheckStage(func(vars map[string]string) error {
		if missing := tmpl.Missing(vars); len(missing) > 0 {
			return fmt.Errorf("FunctionNamed %q uses stage variable %q, which is not defined", f.name, missing[0])
		}
		name := tmpl.Expand(vars)
		t := targets[name]
		switch {
		case t == nil:
			return fmt.Errorf("FunctionNamed %q: no function %q is registered", f.name, name)
		case t.err != nil:
			return fmt.Errorf("FunctionNamed %q: function %q: %w", f.name, name, t.err)
		}
		for _, c := range t.checks {
			if err := c(vars); err != nil {
				return fmt.Errorf("FunctionNamed %q: function %q: %w", f.name, name, err)
			}
		}
		return nil
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := tmpl.Expand(StageVariables(r.Context()))
		t := targets[name]
		if t == nil || t.h == nil {
			// CheckStage refused every stage for which this could happen.
			WriteError(w, r, &Error{Type: APIConfigurationError, Err: fmt.Errorf("no function %q", name)})
			return
		}
		t.h.ServeHTTP(w, r)
	}), nil
}
