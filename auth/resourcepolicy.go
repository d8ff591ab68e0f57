package auth

import (
	"context"
	"fmt"
	"net/netip"
)

// ResourcePolicy is an API's resource policy: a [Policy] every request to
// the API must be allowed by, whoever the caller is — typically to let in
// only some source IP ranges (IpAddress / NotIpAddress on aws:SourceIp)
// or to shut off some methods or stages.
//
// The policy is evaluated for [InvokeAction] on the request's method ARN
// (see [Request.MethodARN]) and source IP; anything but [Allowed] (an
// explicit Deny, or no statement matching) is refused with an error
// wrapping [ErrForbidden]. It is checked in addition to the route's
// authorizer, never instead of it: unlike the managed service, which may
// let an IAM policy of the same account stand in for a resource policy
// that says nothing, both must allow.
//
// ResourcePolicy identifies no one: Authorize returns a nil Identity with
// a nil error when the policy allows the request. Call Validate before
// serving; a ResourcePolicy must not be modified while in use, and
// Authorize is safe for concurrent use.
type ResourcePolicy struct {
	// Policy is the policy document. Its Statement must not be empty.
	Policy Policy
}

var _ Authorizer = (*ResourcePolicy)(nil)

// Validate reports every problem in the policy (see [Policy.Validate]).
func (p *ResourcePolicy) Validate() error {
	return p.Policy.Validate()
}

// Authorize returns nil, nil if the policy allows r, or an error wrapping
// [ErrForbidden].
func (p *ResourcePolicy) Authorize(_ context.Context, r *Request) (*Identity, error) {
	arn := r.MethodARN()
	ip, _ := netip.ParseAddr(r.SourceIP) // invalid when unknown: IP conditions do not match
	switch p.Policy.Evaluate(InvokeAction, arn, ip) {
	case Allowed:
		return nil, nil
	case Denied:
		return nil, fmt.Errorf("auth: resource policy denies %s from %q: %w", arn, r.SourceIP, ErrForbidden)
	default:
		return nil, fmt.Errorf("auth: resource policy does not allow %s from %q: %w", arn, r.SourceIP, ErrForbidden)
	}
}
