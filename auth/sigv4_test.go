package auth

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	sigv4TestKey    = "AKIDTEST"
	sigv4TestSecret = "test-secret"
	sigv4TestRegion = "eu-west-1"
)

var sigv4TestTime = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// sigv4TestSign signs req in the Authorization header the way an AWS SDK
// does, with the helpers the AWS suites check (TestSigV4Suite*): every
// header present is signed, and the signing time goes in X-Amz-Date, or
// stays in Date when req has one.
func sigv4TestSign(t testing.TB, req *http.Request, body []byte, at time.Time) {
	t.Helper()
	req.Header.Del("Authorization")
	amzDate := at.UTC().Format(sigv4DateLayout)
	if req.Header.Get("Date") == "" {
		req.Header.Set("X-Amz-Date", amzDate)
	}
	names := sigv4SignedNames(req)
	scope := amzDate[:8] + "/" + sigv4TestRegion + "/execute-api/" + sigv4Terminator
	path, query := sigv4Target(req)
	pairs, err := sigv4ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	creq := sigv4CanonicalRequest(req.Method, sigv4CanonicalURI(path, true), sigv4CanonicalQuery(pairs),
		sigv4CanonicalHeaders(req, names), strings.Join(names, ";"), sigv4HashHex(body))
	key := sigv4SigningKey(sigv4TestSecret, amzDate[:8], sigv4TestRegion, "execute-api")
	sig := hex.EncodeToString(sigv4HMAC(key, sigv4StringToSign(amzDate, scope, creq)))
	req.Header.Set("Authorization", sigv4Algorithm+" Credential="+sigv4TestKey+"/"+scope+
		", SignedHeaders="+strings.Join(names, ";")+", Signature="+sig)
}

// sigv4TestPresign turns req into a presigned request: the X-Amz-*
// parameters and extra (X-Amz-Expires, X-Amz-Security-Token) are added to
// its query and signed with its headers.
func sigv4TestPresign(t testing.TB, req *http.Request, body []byte, at time.Time, extra url.Values) {
	t.Helper()
	amzDate := at.UTC().Format(sigv4DateLayout)
	scope := amzDate[:8] + "/" + sigv4TestRegion + "/execute-api/" + sigv4Terminator
	names := sigv4SignedNames(req)
	path, query := sigv4Target(req)
	pairs, err := sigv4ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	pairs = append(pairs,
		sigv4QueryPair{"X-Amz-Algorithm", sigv4Algorithm},
		sigv4QueryPair{"X-Amz-Credential", sigv4TestKey + "/" + scope},
		sigv4QueryPair{"X-Amz-Date", amzDate},
		sigv4QueryPair{"X-Amz-SignedHeaders", strings.Join(names, ";")})
	for k, vs := range extra {
		for _, v := range vs {
			pairs = append(pairs, sigv4QueryPair{k, v})
		}
	}
	q := sigv4CanonicalQuery(pairs)
	creq := sigv4CanonicalRequest(req.Method, sigv4CanonicalURI(path, true), q,
		sigv4CanonicalHeaders(req, names), strings.Join(names, ";"), sigv4HashHex(body))
	key := sigv4SigningKey(sigv4TestSecret, amzDate[:8], sigv4TestRegion, "execute-api")
	sig := hex.EncodeToString(sigv4HMAC(key, sigv4StringToSign(amzDate, scope, creq)))
	sigv4SetTarget(t, req, path+"?"+q+"&X-Amz-Signature="+sig)
}

// sigv4SetTarget changes the target req was sent to.
func sigv4SetTarget(t testing.TB, req *http.Request, target string) {
	t.Helper()
	u, err := url.ParseRequestURI(target)
	if err != nil {
		t.Fatal(err)
	}
	req.RequestURI, req.URL = target, u
}

// sigv4TestRequest returns a request to api.example.com as net/http's
// server would make it.
func sigv4TestRequest(method, target string, body []byte) *http.Request {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	req.Host = "api.example.com"
	return req
}

// sigv4TestCase is one request signed at sigv4TestTime, maybe tampered
// with, and what Authorize must say of it.
type sigv4TestCase struct {
	name string
	// before changes the request before it is signed; after tampers
	// with it (and its body) once signed.
	before func(t testing.TB, r *http.Request, body []byte)
	after  func(t testing.TB, r *http.Request, body *[]byte)
	// cred is the credential of sigv4TestKey; its Secret defaults to
	// sigv4TestSecret. creds, if set, replaces the whole store.
	cred  Credential
	creds Credentials
	// skew is how far the clock is past the signing time.
	skew time.Duration
	// bodyErr, if set, is what Request.Body fails with.
	bodyErr error
	// want is nil, a sentinel, or another error the result must wrap.
	want error
}

// run signs a POST /pets/42?b=2&a=1 with a JSON body and two signed
// extra headers (or presigns it), applies the case, and checks Authorize.
func (tc sigv4TestCase) run(t *testing.T, presign url.Values) {
	body := []byte(`{"name":"rex"}`)
	req := sigv4TestRequest("POST", "/pets/42?b=2&a=1", body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Custom", "a  b")
	if tc.before != nil {
		tc.before(t, req, body)
	}
	if presign != nil {
		sigv4TestPresign(t, req, body, sigv4TestTime, presign)
	} else {
		sigv4TestSign(t, req, body, sigv4TestTime)
	}
	if tc.after != nil {
		tc.after(t, req, &body)
	}
	id, err := sigv4TestAuthorize(tc, req, body)
	switch {
	case tc.want == nil && err != nil:
		t.Fatalf("Authorize: %v", err)
	case tc.want == nil:
		if id == nil || id.Kind != "sigv4" || id.Context["accessKey"] != sigv4TestKey {
			t.Errorf("Authorize: identity %+v", id)
		}
	case !errors.Is(err, tc.want):
		t.Fatalf("Authorize: err = %v, want %v", err, tc.want)
	case id != nil:
		t.Errorf("Authorize: identity %+v with error %v", id, err)
	}
}

func sigv4TestAuthorize(tc sigv4TestCase, req *http.Request, body []byte) (*Identity, error) {
	cred := tc.cred
	if cred.Secret == "" {
		cred.Secret = sigv4TestSecret
	}
	creds := tc.creds
	if creds == nil {
		creds = StaticCredentials{sigv4TestKey: cred}
	}
	s := &SigV4{Region: sigv4TestRegion, Credentials: creds, Clock: func() time.Time { return sigv4TestTime.Add(tc.skew) }}
	return s.Authorize(context.Background(), &Request{
		HTTP: req, Method: req.Method, Path: req.URL.Path,
		APIID: "a1b2c3", Stage: "prod", Region: sigv4TestRegion, AccountID: "123456789012",
		SourceIP: "192.0.2.10",
		Body: func() ([]byte, error) {
			if tc.bodyErr != nil {
				return nil, tc.bodyErr
			}
			return body, nil
		},
	})
}

// sigv4EditAuthz rewrites the Authorization header, replacing old with new.
func sigv4EditAuthz(old, new string) func(testing.TB, *http.Request, *[]byte) {
	return func(t testing.TB, r *http.Request, _ *[]byte) {
		t.Helper()
		a := r.Header.Get("Authorization")
		if !strings.Contains(a, old) {
			t.Fatalf("Authorization %q has no %q", a, old)
		}
		r.Header.Set("Authorization", strings.Replace(a, old, new, 1))
	}
}

// sigv4EditSignature rewrites the signature in the Authorization header.
func sigv4EditSignature(edit func(sig string) string) func(testing.TB, *http.Request, *[]byte) {
	return func(t testing.TB, r *http.Request, _ *[]byte) {
		t.Helper()
		a, sig, ok := strings.Cut(r.Header.Get("Authorization"), "Signature=")
		if !ok {
			t.Fatalf("Authorization %q has no Signature", a)
		}
		r.Header.Set("Authorization", a+"Signature="+edit(sig))
	}
}

// sigv4EditTarget rewrites the request target, replacing old with new.
func sigv4EditTarget(old, new string) func(testing.TB, *http.Request, *[]byte) {
	return func(t testing.TB, r *http.Request, _ *[]byte) {
		t.Helper()
		if !strings.Contains(r.RequestURI, old) {
			t.Fatalf("target %q has no %q", r.RequestURI, old)
		}
		sigv4SetTarget(t, r, strings.Replace(r.RequestURI, old, new, 1))
	}
}

// sigv4SetHeader sets a header, before or after signing.
func sigv4SetHeader(name, value string) func(testing.TB, *http.Request, []byte) {
	return func(_ testing.TB, r *http.Request, _ []byte) { r.Header.Set(name, value) }
}

func sigv4After(f func(r *http.Request)) func(testing.TB, *http.Request, *[]byte) {
	return func(_ testing.TB, r *http.Request, _ *[]byte) { f(r) }
}

func TestSigV4AuthorizationHeader(t *testing.T) {
	tests := []sigv4TestCase{
		{name: "valid"},
		{name: "clock 14 minutes ahead", skew: 14 * time.Minute},
		{name: "clock 14 minutes behind", skew: -14 * time.Minute},
		{name: "clock 16 minutes ahead", skew: 16 * time.Minute, want: ErrExpiredToken},
		{name: "clock 16 minutes behind", skew: -16 * time.Minute, want: ErrExpiredToken},
		{name: "unsigned header added", after: sigv4After(func(r *http.Request) { r.Header.Set("X-Forwarded-For", "198.51.100.1") })},
		{name: "signed header respaced", after: sigv4After(func(r *http.Request) { r.Header.Set("X-Custom", "  a b ") })},
		{name: "Date header instead of X-Amz-Date", before: sigv4SetHeader("Date", sigv4TestTime.Format(http.TimeFormat))},

		// Missing or malformed: ErrUnauthorized.
		{name: "no Authorization", after: sigv4After(func(r *http.Request) { r.Header.Del("Authorization") }), want: ErrUnauthorized},
		{name: "bearer token", after: sigv4After(func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }), want: ErrUnauthorized},
		{name: "other algorithm", after: sigv4EditAuthz("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"), want: ErrUnauthorized},
		{name: "two Authorization headers", after: sigv4After(func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) }), want: ErrUnauthorized},
		{name: "Signature missing", after: sigv4EditAuthz(", Signature=", ", Foo="), want: ErrUnauthorized},
		{name: "Signature repeated", after: sigv4EditAuthz("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 Signature="+strings.Repeat("0", 64)+", "), want: ErrUnauthorized},
		{name: "Credential empty", after: sigv4EditAuthz("Credential="+sigv4TestKey+"/20260301/eu-west-1/execute-api/aws4_request", "Credential="), want: ErrUnauthorized},
		{name: "Credential without terminator", after: sigv4EditAuthz("/aws4_request", ""), want: ErrUnauthorized},
		{name: "Credential with empty region", after: sigv4EditAuthz("/eu-west-1/", "//"), want: ErrUnauthorized},
		{name: "signed headers not sorted", after: sigv4EditAuthz("content-type;host", "host;content-type"), want: ErrUnauthorized},
		{name: "signed headers repeated", after: sigv4EditAuthz("content-type;host", "content-type;content-type;host"), want: ErrUnauthorized},
		{name: "signed header upper-case", after: sigv4EditAuthz("content-type", "Content-Type"), want: ErrUnauthorized},
		{name: "host not signed", after: sigv4EditAuthz(";host;", ";"), want: ErrUnauthorized},
		{name: "x-amz-date not signed", after: sigv4EditAuthz(";x-amz-date;", ";"), want: ErrUnauthorized},
		{
			name:   "date not signed",
			before: sigv4SetHeader("Date", sigv4TestTime.Format(http.TimeFormat)),
			after:  sigv4EditAuthz("content-type;date;", "content-type;"),
			want:   ErrUnauthorized,
		},
		{name: "signature too long", after: sigv4EditSignature(func(sig string) string { return sig + "0" }), want: ErrUnauthorized},
		{name: "signature too short", after: sigv4EditSignature(func(sig string) string { return sig[1:] }), want: ErrUnauthorized},
		{name: "signature not hex", after: sigv4EditSignature(func(sig string) string { return "zz" + sig[2:] }), want: ErrUnauthorized},
		{name: "no X-Amz-Date", after: sigv4After(func(r *http.Request) { r.Header.Del("X-Amz-Date") }), want: ErrUnauthorized},
		{name: "X-Amz-Date not ISO 8601 basic", after: sigv4After(func(r *http.Request) { r.Header.Set("X-Amz-Date", "2026-03-01T12:00:00Z") }), want: ErrUnauthorized},
		{name: "bad escape in query", after: sigv4EditTarget("b=2", "b=%zz"), want: ErrUnauthorized},
		{name: "presigned query too", after: sigv4EditTarget("b=2", "b=2&X-Amz-Algorithm=AWS4-HMAC-SHA256"), want: ErrUnauthorized},

		// Well-formed but not signed so: ErrInvalidSignature.
		{name: "signature changed", after: sigv4EditSignature(func(sig string) string {
			if sig[0] == '0' {
				return "1" + sig[1:]
			}
			return "0" + sig[1:]
		}), want: ErrInvalidSignature},
		{name: "signature upper-case", after: sigv4EditSignature(strings.ToUpper)},
		{name: "X-Amz-Date changed", after: sigv4After(func(r *http.Request) { r.Header.Set("X-Amz-Date", "20260301T120001Z") }), want: ErrInvalidSignature},
		{name: "scope date", after: sigv4EditAuthz("/20260301/", "/20260302/"), want: ErrInvalidSignature},
		{name: "scope region", after: sigv4EditAuthz("/eu-west-1/", "/us-east-1/"), want: ErrInvalidSignature},
		{name: "scope service", after: sigv4EditAuthz("/execute-api/", "/s3/"), want: ErrInvalidSignature},
		{name: "scope terminator", after: sigv4EditAuthz("/aws4_request", "/aws4_requests"), want: ErrInvalidSignature},
		{name: "unknown access key", after: sigv4EditAuthz(sigv4TestKey+"/", "AKIDOTHER/"), want: ErrInvalidSignature},
		{name: "other secret", cred: Credential{Secret: "other-secret"}, want: ErrInvalidSignature},
		{name: "path changed", after: sigv4EditTarget("/pets/42", "/pets/43"), want: ErrInvalidSignature},
		{name: "path dot segment", after: sigv4EditTarget("/pets/42", "/pets/./42")},
		{name: "query value changed", after: sigv4EditTarget("b=2", "b=3"), want: ErrInvalidSignature},
		{name: "query parameter added", after: sigv4EditTarget("b=2", "b=2&c=1"), want: ErrInvalidSignature},
		{name: "query reordered", after: sigv4EditTarget("b=2&a=1", "a=1&b=2")},
		{name: "method changed", after: sigv4After(func(r *http.Request) { r.Method = "PUT" }), want: ErrInvalidSignature},
		{name: "host changed", after: sigv4After(func(r *http.Request) { r.Host = "evil.example.com" }), want: ErrInvalidSignature},
		{name: "signed header changed", after: sigv4After(func(r *http.Request) { r.Header.Set("X-Custom", "a c") }), want: ErrInvalidSignature},
		{name: "signed header removed", after: sigv4After(func(r *http.Request) { r.Header.Del("Content-Type") }), want: ErrInvalidSignature},
		{name: "signed header repeated", after: sigv4After(func(r *http.Request) { r.Header.Add("X-Custom", "a b") }), want: ErrInvalidSignature},
		{name: "body changed", after: func(_ testing.TB, _ *http.Request, b *[]byte) { *b = []byte(`{"name":"max"}`) }, want: ErrInvalidSignature},

		// X-Amz-Content-Sha256.
		{
			name:   "content hash matches",
			before: func(_ testing.TB, r *http.Request, b []byte) { r.Header.Set("X-Amz-Content-Sha256", sigv4HashHex(b)) },
		},
		{
			name:   "content hash with body changed",
			before: func(_ testing.TB, r *http.Request, b []byte) { r.Header.Set("X-Amz-Content-Sha256", sigv4HashHex(b)) },
			after:  func(_ testing.TB, _ *http.Request, b *[]byte) { *b = []byte(`{"name":"max"}`) },
			want:   ErrInvalidSignature,
		},
		{name: "unsigned payload", before: sigv4SetHeader("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"), want: ErrInvalidSignature},
		{name: "streaming payload", before: sigv4SetHeader("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), want: ErrInvalidSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, nil) })
	}
}

func TestSigV4Presigned(t *testing.T) {
	expires := func(n string) url.Values { return url.Values{"X-Amz-Expires": {n}} }
	tests := []struct {
		sigv4TestCase
		params url.Values
	}{
		{sigv4TestCase: sigv4TestCase{name: "valid"}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "no X-Amz-Expires, 14 minutes on", skew: 14 * time.Minute}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "no X-Amz-Expires, 16 minutes on", skew: 16 * time.Minute, want: ErrExpiredToken}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "within X-Amz-Expires", skew: time.Hour}, params: expires("3600")},
		{sigv4TestCase: sigv4TestCase{name: "past X-Amz-Expires", skew: time.Hour + time.Second, want: ErrExpiredToken}, params: expires("3600")},
		{sigv4TestCase: sigv4TestCase{name: "seven days", skew: 7 * 24 * time.Hour}, params: expires("604800")},
		{sigv4TestCase: sigv4TestCase{name: "not yet valid", skew: -16 * time.Minute, want: ErrExpiredToken}, params: expires("3600")},
		{sigv4TestCase: sigv4TestCase{name: "X-Amz-Expires over seven days", want: ErrUnauthorized}, params: expires("604801")},
		{sigv4TestCase: sigv4TestCase{name: "X-Amz-Expires not a number", want: ErrUnauthorized}, params: expires("1h")},
		{sigv4TestCase: sigv4TestCase{name: "X-Amz-Expires negative", want: ErrUnauthorized}, params: expires("-1")},
		{
			sigv4TestCase: sigv4TestCase{name: "with session token", cred: Credential{SessionToken: "tok/+="}},
			params:        url.Values{"X-Amz-Security-Token": {"tok/+="}},
		},
		{
			sigv4TestCase: sigv4TestCase{name: "session token removed", cred: Credential{SessionToken: "tok"}, after: sigv4EditTarget("&X-Amz-Security-Token=tok", ""), want: ErrInvalidSignature},
			params:        url.Values{"X-Amz-Security-Token": {"tok"}},
		},
		{
			sigv4TestCase: sigv4TestCase{name: "session token added unsigned", cred: Credential{SessionToken: "tok"}, after: sigv4EditTarget("b=2", "b=2&X-Amz-Security-Token=tok")},
			params:        url.Values{},
		},
		{
			sigv4TestCase: sigv4TestCase{name: "session token in header", cred: Credential{SessionToken: "tok"}, after: sigv4After(func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "tok") })},
			params:        url.Values{},
		},
		{sigv4TestCase: sigv4TestCase{name: "X-Amz-SignedHeaders missing", after: sigv4EditTarget("&X-Amz-SignedHeaders=", "&X-Foo="), want: ErrUnauthorized}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "X-Amz-Date repeated", after: sigv4EditTarget("b=2", "b=2&X-Amz-Date=20260301T120000Z"), want: ErrUnauthorized}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "X-Amz-Date empty", after: sigv4EditTarget("X-Amz-Date=20260301T120000Z", "X-Amz-Date="), want: ErrUnauthorized}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "other algorithm", after: sigv4EditTarget("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA512"), want: ErrUnauthorized}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "Authorization header too", after: sigv4After(func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 x") }), want: ErrUnauthorized}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "query value changed", after: sigv4EditTarget("b=2", "b=3"), want: ErrInvalidSignature}, params: url.Values{}},
		{sigv4TestCase: sigv4TestCase{name: "X-Amz-Expires changed", after: sigv4EditTarget("X-Amz-Expires=60", "X-Amz-Expires=600"), want: ErrInvalidSignature}, params: expires("60")},
		{sigv4TestCase: sigv4TestCase{name: "signed header changed", after: sigv4After(func(r *http.Request) { r.Header.Set("X-Custom", "x") }), want: ErrInvalidSignature}, params: url.Values{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, tc.params) })
	}
}

func TestSigV4Credentials(t *testing.T) {
	errLookup := errors.New("store down")
	errBody := errors.New("body too large")
	token := func(v string) func(testing.TB, *http.Request, []byte) {
		return sigv4SetHeader("X-Amz-Security-Token", v)
	}
	tests := []sigv4TestCase{
		{name: "session token signed", cred: Credential{SessionToken: "tok"}, before: token("tok")},
		{name: "session token added after signing", cred: Credential{SessionToken: "tok"}, after: sigv4After(func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "tok") })},
		{name: "session token in query", cred: Credential{SessionToken: "tok"}, before: func(t testing.TB, r *http.Request, _ []byte) {
			sigv4SetTarget(t, r, r.RequestURI+"&X-Amz-Security-Token=tok")
		}},
		{name: "session token missing", cred: Credential{SessionToken: "tok"}, want: ErrInvalidSignature},
		{name: "session token wrong", cred: Credential{SessionToken: "tok"}, before: token("tak"), want: ErrInvalidSignature},
		{name: "session token for long-term key", before: token("tok"), want: ErrInvalidSignature},
		{name: "not yet expired", cred: Credential{Expires: sigv4TestTime.Add(time.Second)}},
		{name: "expired", cred: Credential{Expires: sigv4TestTime}, want: ErrExpiredToken},
		{name: "lookup fails", creds: CredentialsFunc(func(context.Context, string) (Credential, error) { return Credential{}, errLookup }), want: errLookup},
		{
			name: "lookup wraps ErrUnknownAccessKey",
			creds: CredentialsFunc(func(_ context.Context, id string) (Credential, error) {
				return Credential{}, errors.Join(errors.New("no such key "+id), ErrUnknownAccessKey)
			}),
			want: ErrInvalidSignature,
		},
		{name: "body fails", bodyErr: errBody, want: errBody},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, nil) })
	}
}

func TestSigV4Policy(t *testing.T) {
	const arn = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/prod/POST/pets/42"
	allow := func(resource string, cond map[string]map[string]Strings) *Policy {
		return &Policy{Statement: []Statement{{Effect: Allow, Action: Strings{InvokeAction}, Resource: Strings{resource}, Condition: cond}}}
	}
	tests := []sigv4TestCase{
		{name: "allowed", cred: Credential{Policy: allow(arn, nil)}},
		{name: "allowed by wildcard", cred: Credential{Policy: allow("arn:aws:execute-api:*:*:a1b2c3/*/POST/pets/*", nil)}},
		{name: "no statement matches", cred: Credential{Policy: allow("arn:aws:execute-api:*:*:a1b2c3/*/GET/*", nil)}, want: ErrForbidden},
		{name: "denied", cred: Credential{Policy: &Policy{Statement: []Statement{
			{Effect: Allow, Action: Strings{"execute-api:*"}, Resource: Strings{"*"}},
			{Effect: Deny, Action: Strings{InvokeAction}, Resource: Strings{"*/POST/*"}},
		}}}, want: ErrForbidden},
		{name: "source IP in range", cred: Credential{Policy: allow("*", map[string]map[string]Strings{"IpAddress": {"aws:SourceIp": {"192.0.2.0/24"}}})}},
		{name: "source IP out of range", cred: Credential{Policy: allow("*", map[string]map[string]Strings{"IpAddress": {"aws:SourceIp": {"198.51.100.0/24"}}})}, want: ErrForbidden},
		{name: "wrong signature is not forbidden", cred: Credential{Secret: "other", Policy: allow("nothing", nil)}, want: ErrInvalidSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, nil) })
	}
}

func TestSigV4Identity(t *testing.T) {
	tests := []struct {
		name          string
		principal     string
		wantPrincipal string
	}{
		{name: "principal", principal: "arn:aws:iam::123456789012:user/alice", wantPrincipal: "arn:aws:iam::123456789012:user/alice"},
		{name: "no principal", wantPrincipal: sigv4TestKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := sigv4TestRequest("GET", "/pets", nil)
			sigv4TestSign(t, req, nil, sigv4TestTime)
			id, err := sigv4TestAuthorize(sigv4TestCase{cred: Credential{Principal: tt.principal}}, req, nil)
			if err != nil {
				t.Fatal(err)
			}
			if id.Kind != "sigv4" || id.Principal != tt.wantPrincipal || len(id.Context) != 1 || id.Context["accessKey"] != sigv4TestKey {
				t.Errorf("identity %+v", id)
			}
		})
	}
}

func TestSigV4Clock(t *testing.T) {
	req := sigv4TestRequest("GET", "/pets", nil)
	sigv4TestSign(t, req, nil, sigv4TestTime)
	tests := []struct {
		name  string
		clock func() time.Time
		now   time.Time
		want  error
	}{
		{name: "Clock wins over Request.Now", clock: func() time.Time { return sigv4TestTime }, now: sigv4TestTime.Add(time.Hour)},
		{name: "Request.Now without Clock", now: sigv4TestTime.Add(time.Minute)},
		{name: "Request.Now too late", now: sigv4TestTime.Add(time.Hour), want: ErrExpiredToken},
		{name: "time.Now without either", want: ErrExpiredToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &SigV4{Region: sigv4TestRegion, Clock: tt.clock, Credentials: StaticCredentials{sigv4TestKey: {Secret: sigv4TestSecret}}}
			_, err := s.Authorize(context.Background(), &Request{HTTP: req, Now: tt.now})
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Authorize: err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSigV4Validate(t *testing.T) {
	creds := StaticCredentials{sigv4TestKey: {Secret: sigv4TestSecret}}
	tests := []struct {
		name string
		s    *SigV4
		want []string // substrings of the error; none: valid
	}{
		{name: "valid", s: &SigV4{Region: "us-east-1", Credentials: creds}},
		{name: "valid with everything", s: &SigV4{Region: "us-east-1", Service: "service", MaxSkew: time.Minute, Credentials: creds, Clock: time.Now}},
		{name: "zero", s: &SigV4{}, want: []string{"Region", "Credentials is required"}},
		{name: "region with slash", s: &SigV4{Region: "us/east", Credentials: creds}, want: []string{"Region"}},
		{name: "service with slash", s: &SigV4{Region: "us-east-1", Service: "a/b", Credentials: creds}, want: []string{"Service"}},
		{name: "negative skew", s: &SigV4{Region: "us-east-1", MaxSkew: -time.Second, Credentials: creds}, want: []string{"MaxSkew"}},
		{
			name: "bad static credentials",
			s: &SigV4{Region: "us-east-1", Credentials: StaticCredentials{
				"":       {Secret: "s"},
				"a/b":    {Secret: "s"},
				"nosecr": {},
				"badpol": {Secret: "s", Policy: &Policy{}},
			}},
			want: []string{`StaticCredentials[""]`, `StaticCredentials["a/b"]`, `StaticCredentials["nosecr"]: Secret is required`, `StaticCredentials["badpol"].Policy`},
		},
		{name: "no static credentials", s: &SigV4{Region: "us-east-1", Credentials: StaticCredentials{}}, want: []string{"StaticCredentials is empty"}},
		{name: "credentials without Validate", s: &SigV4{Region: "us-east-1", Credentials: CredentialsFunc(func(context.Context, string) (Credential, error) {
			return Credential{}, ErrUnknownAccessKey
		})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate: nil, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate: %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestSigV4NilCredentials(t *testing.T) {
	req := sigv4TestRequest("GET", "/pets", nil)
	sigv4TestSign(t, req, nil, sigv4TestTime)
	_, err := (&SigV4{Region: sigv4TestRegion}).Authorize(context.Background(), &Request{HTTP: req})
	if err == nil || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrInvalidSignature) {
		t.Errorf("Authorize without Credentials: err = %v, want a configuration error", err)
	}
}
