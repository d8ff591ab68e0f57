package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gatekit/gatekit/auth"
)

// officeOnly lets in callers from 192.0.2.0/24 and keeps everyone away
// from DELETE.
const officeOnly = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:*:*:pets/*",
     "Condition": {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}}},
    {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:*:*:pets/*/DELETE/*"}
  ]
}`

func TestResourcePolicy(t *testing.T) {
	var p auth.ResourcePolicy
	if err := json.Unmarshal([]byte(officeOnly), &p.Policy); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, ip string
		api              string
		want             error
	}{
		{name: "allowed range", method: "GET", ip: "192.0.2.7", api: "pets"},
		{name: "allowed IPv6", method: "POST", ip: "2001:db8::1", api: "pets"},
		{name: "IPv4-mapped IPv6", method: "GET", ip: "::ffff:192.0.2.7", api: "pets"},
		{name: "outside range", method: "GET", ip: "198.51.100.1", api: "pets", want: auth.ErrForbidden},
		{name: "unknown source", method: "GET", ip: "", api: "pets", want: auth.ErrForbidden},
		{name: "unparsable source", method: "GET", ip: "not-an-ip", api: "pets", want: auth.ErrForbidden},
		{name: "explicit deny wins", method: "DELETE", ip: "192.0.2.7", api: "pets", want: auth.ErrForbidden},
		{name: "other API", method: "GET", ip: "192.0.2.7", api: "orders", want: auth.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := p.Authorize(context.Background(), &auth.Request{
				Method: tt.method, Path: "/pets/42", APIID: tt.api, Stage: "prod",
				Region: "eu-west-1", AccountID: "123456789012", SourceIP: tt.ip,
			})
			if id != nil {
				t.Errorf("Authorize: identity %+v, want nil", id)
			}
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Authorize: err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestResourcePolicyValidate(t *testing.T) {
	tests := []struct {
		name string
		p    auth.ResourcePolicy
		want string // substring of the error; empty: valid
	}{
		{name: "valid", p: auth.ResourcePolicy{Policy: auth.Policy{Statement: []auth.Statement{
			{Effect: auth.Allow, Action: auth.Strings{auth.InvokeAction}, Resource: auth.Strings{"*"}},
		}}}},
		{name: "empty", want: "no Statement"},
		{name: "bad range", p: auth.ResourcePolicy{Policy: auth.Policy{Statement: []auth.Statement{{
			Effect: auth.Allow, Action: auth.Strings{auth.InvokeAction}, Resource: auth.Strings{"*"},
			Condition: map[string]map[string]auth.Strings{"IpAddress": {"aws:SourceIp": {"192.0.2.0/33"}}},
		}}}}, want: "IpAddress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate: %v, want %q", err, tt.want)
			}
		})
	}
}

func ExampleResourcePolicy() {
	var p auth.ResourcePolicy
	if err := json.Unmarshal([]byte(officeOnly), &p.Policy); err != nil {
		panic(err)
	}
	if err := p.Validate(); err != nil {
		panic(err)
	}
	for _, ip := range []string{"192.0.2.7", "198.51.100.1"} {
		_, err := p.Authorize(context.Background(), &auth.Request{
			Method: "GET", Path: "/pets/42", APIID: "pets", Stage: "prod",
			Region: "eu-west-1", AccountID: "123456789012", SourceIP: ip,
		})
		fmt.Printf("%s: forbidden=%t\n", ip, errors.Is(err, auth.ErrForbidden))
	}
	// Output:
	// 192.0.2.7: forbidden=false
	// 198.51.100.1: forbidden=true
}
