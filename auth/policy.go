package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Policy is an IAM-style policy document, as custom authorizers of the
// managed service return and as resource policies are written:
//
//	{"Version": "2012-10-17", "Statement": [{
//	    "Effect": "Allow",
//	    "Action": "execute-api:Invoke",
//	    "Resource": "arn:aws:execute-api:*:*:pets/prod/GET/pets/*"}]}
//
// Resources and actions may use the wildcards "*" (any run of characters,
// "/" included) and "?" (one character). A statement may carry the
// condition operators IpAddress and NotIpAddress on aws:SourceIp.
// Evaluation follows IAM: an explicit Deny wins, then an Allow; a request
// that no statement matches is denied.
type Policy struct {
	Version   string      `json:"Version,omitempty"`
	Statement []Statement `json:"Statement"`
}

// Statement is one rule of a [Policy].
type Statement struct {
	Effect    Effect                        `json:"Effect"`
	Action    Strings                       `json:"Action"`
	Resource  Strings                       `json:"Resource"`
	Condition map[string]map[string]Strings `json:"Condition,omitempty"`
}

// Effect is a statement's effect: "Allow" or "Deny".
type Effect string

// The effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Strings is a list of strings that unmarshals from a JSON string or
// array, as policy documents write them.
type Strings []string

// UnmarshalJSON accepts a string or an array of strings.
func (s *Strings) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = Strings{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("auth: policy: want a string or an array of strings: %w", err)
	}
	*s = many
	return nil
}

// Decision is the outcome of evaluating a policy.
type Decision int

// The decisions. NoMatch means no statement applied: an implicit deny.
const (
	NoMatch Decision = iota
	Allowed
	Denied
)

// InvokeAction is the action API calls are checked for.
const InvokeAction = "execute-api:Invoke"

// Validate reports every problem in p: unknown effects, statements
// without actions or resources, unsupported conditions, bad IP ranges.
func (p *Policy) Validate() error {
	var errs []error
	if len(p.Statement) == 0 {
		errs = append(errs, errors.New("auth: policy: no Statement"))
	}
	for i, st := range p.Statement {
		if st.Effect != Allow && st.Effect != Deny {
			errs = append(errs, fmt.Errorf("auth: policy: Statement[%d]: Effect %q is neither Allow nor Deny", i, st.Effect))
		}
		if len(st.Action) == 0 || len(st.Resource) == 0 {
			errs = append(errs, fmt.Errorf("auth: policy: Statement[%d]: Action and Resource are required", i))
		}
		for op, keys := range st.Condition {
			if op != "IpAddress" && op != "NotIpAddress" {
				errs = append(errs, fmt.Errorf("auth: policy: Statement[%d]: condition operator %q is not supported (IpAddress, NotIpAddress)", i, op))
				continue
			}
			for key, values := range keys {
				if key != "aws:SourceIp" {
					errs = append(errs, fmt.Errorf("auth: policy: Statement[%d]: condition key %q is not supported (aws:SourceIp)", i, key))
				}
				for _, v := range values {
					if _, err := parsePrefix(v); err != nil {
						errs = append(errs, fmt.Errorf("auth: policy: Statement[%d]: %s: %w", i, op, err))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// Evaluate decides action on resource for a caller at sourceIP (which may
// be invalid when unknown: IP conditions then do not match).
func (p *Policy) Evaluate(action, resource string, sourceIP netip.Addr) Decision {
	d := NoMatch
	for _, st := range p.Statement {
		if !matchAny(st.Action, action) || !matchAny(st.Resource, resource) || !st.conditionsHold(sourceIP) {
			continue
		}
		switch st.Effect {
		case Deny:
			return Denied // an explicit deny wins
		case Allow:
			d = Allowed
		}
	}
	return d
}

// conditionsHold reports whether every condition of st holds. As in IAM,
// a condition on a key the request lacks (an unknown source IP) does not
// hold, whatever its operator.
func (st *Statement) conditionsHold(ip netip.Addr) bool {
	if len(st.Condition) > 0 && !ip.IsValid() {
		return false
	}
	for op, keys := range st.Condition {
		for _, values := range keys {
			in := false
			for _, v := range values {
				if p, err := parsePrefix(v); err == nil && p.Contains(ip.Unmap()) {
					in = true
					break
				}
			}
			if in != (op == "IpAddress") {
				return false
			}
		}
	}
	return true
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if Match(p, s) {
			return true
		}
	}
	return false
}

// Match reports whether s matches pattern, where "*" matches any run of
// characters ("/" included) and "?" any one character. Matching is
// linear in len(pattern)+len(s) and case-sensitive.
func Match(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
