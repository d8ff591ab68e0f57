package auth

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "arn:aws:execute-api:r:a:api/prod/GET/pets", true},
		{"arn:aws:execute-api:*:*:api/prod/GET/*", "arn:aws:execute-api:r:a:api/prod/GET/pets/1", true},
		{"arn:aws:execute-api:*:*:api/prod/GET/*", "arn:aws:execute-api:r:a:api/prod/POST/pets", false},
		{"arn:aws:execute-api:*:*:api/*/GET/pets", "arn:aws:execute-api:r:a:api/beta/GET/pets", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"abc", "abcd", false},
		{"", "", true},
		{"**", "x", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"~"+tt.s, func(t *testing.T) {
			if got := Match(tt.pattern, tt.s); got != tt.want {
				t.Errorf("Match = %v", got)
			}
		})
	}
}

func TestPolicyEvaluate(t *testing.T) {
	const doc = `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:pets/prod/GET/*"},
		{"Effect":"Deny","Action":["execute-api:Invoke"],"Resource":["arn:aws:execute-api:*:*:pets/prod/GET/admin*"]},
		{"Effect":"Allow","Action":"execute-api:*","Resource":"arn:aws:execute-api:*:*:pets/prod/POST/*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.7"]}}},
		{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}
	]}`
	var p Policy
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	arn := func(m, path string) string { return "arn:aws:execute-api:us-east-1:123:pets/prod/" + m + "/" + path }
	tests := []struct {
		name, resource, ip string
		want               Decision
	}{
		{"allowed", arn("GET", "pets/1"), "203.0.113.1", Allowed},
		{"explicit deny wins", arn("GET", "admin/users"), "203.0.113.1", Denied},
		{"no statement", arn("DELETE", "pets/1"), "203.0.113.1", NoMatch},
		{"ip condition met", arn("POST", "pets"), "10.1.2.3", Allowed},
		{"single address", arn("POST", "pets"), "192.0.2.7", Allowed},
		{"ip condition not met", arn("POST", "pets"), "203.0.113.1", NoMatch},
		{"ipv6 outside v4 ranges is denied by NotIpAddress", arn("GET", "pets"), "2001:db8::1", Denied},
		{"unknown ip", arn("POST", "pets"), "", NoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ip, _ := netip.ParseAddr(tt.ip)
			if got := p.Evaluate(InvokeAction, tt.resource, ip); got != tt.want {
				t.Errorf("Evaluate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"no statements", `{"Statement":[]}`, "no Statement"},
		{"bad effect", `{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}`, `"Maybe"`},
		{"no resource", `{"Statement":[{"Effect":"Allow","Action":"*"}]}`, "Resource"},
		{"bad operator", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":"b"}}}]}`, `"StringEquals"`},
		{"bad key", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:Referer":"x"}}}]}`, `"aws:Referer"`},
		{"bad range", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/99"}}}]}`, "10.0.0.0/99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Policy
			if err := json.Unmarshal([]byte(tt.doc), &p); err != nil {
				t.Fatal(err)
			}
			if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want one containing %q", err, tt.want)
			}
		})
	}
	var s Strings
	if err := json.Unmarshal([]byte(`{"a":1}`), &s); err == nil {
		t.Error("Strings accepted an object")
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("a*b?c", "axxbyc")
	f.Add("*/prod/*", "api/prod/GET/x")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := Match(pattern, s)
		if !strings.ContainsAny(pattern, "*?") && got != (pattern == s) {
			t.Fatalf("Match(%q, %q) = %v for a literal pattern", pattern, s, got)
		}
		if !Match(s, s) || !Match("*", s) {
			t.Fatalf("%q does not match itself or *", s)
		}
	})
}
