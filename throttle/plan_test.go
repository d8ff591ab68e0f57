package throttle

import (
	"strings"
	"testing"
)

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		want []string // parts of the error; none for a valid plan
	}{
		{"minimal", Plan{Name: "free"}, nil},
		{"full", Plan{
			Name:            "gold",
			Stages:          []StageRef{pets, petsDev},
			Throttle:        &Rate{PerSecond: 100, Burst: 200},
			MethodThrottles: map[string]Rate{"GET /pets/{id}": {PerSecond: 1, Burst: 1}, "$default": {}},
			Quota:           &Quota{Limit: 1000, Period: Month},
		}, nil},
		{"no name", Plan{}, []string{"Plan.Name is empty"}},
		{"half a stage", Plan{Name: "p", Stages: []StageRef{{API: "pets"}}}, []string{`Plan "p".Stages: "pets/" needs both API and Stage`}},
		{"stage twice", Plan{Name: "p", Stages: []StageRef{pets, pets}}, []string{`lists "pets/prod" twice`}},
		{"bad throttle", Plan{Name: "p", Throttle: &Rate{PerSecond: 1}}, []string{`Plan "p".Throttle.Burst must be at least 1`}},
		{"bad method", Plan{Name: "p", MethodThrottles: map[string]Rate{"/pets": {PerSecond: -2}}}, []string{
			`"/pets" is not a route key`,
			`Plan "p".MethodThrottles["/pets"].PerSecond -2 is negative`,
		}},
		{"bad quota", Plan{Name: "p", Quota: &Quota{Limit: 10}}, []string{`Plan "p".Quota.Period "" is not DAY, WEEK or MONTH`}},
		{"every problem at once", Plan{Throttle: &Rate{Burst: -1}, Quota: &Quota{Limit: -1, Period: Day}}, []string{
			"Plan.Name is empty", `Plan "".Throttle.Burst -1 is negative`, `Plan "".Quota.Limit -1 is negative`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.plan.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, want it to contain %q", err, w)
				}
			}
		})
	}
}
