package auth

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzSigV4AuthorizationHeader feeds Authorization headers and X-Amz-Date
// values to Authorize: it must not panic, must never authorize (the seeds
// are valid signatures, but for other requests), and must refuse with one
// of the signature outcomes, never with an internal error.
func FuzzSigV4AuthorizationHeader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(sigv4SuiteClassic, "*", "*.authz"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(string(b), sigv4SuiteDate)
		}
	}
	for _, seed := range []string{
		"",
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA256 ",
		"AWS4-HMAC-SHA256 Credential=,SignedHeaders=,Signature=",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date,Signature=" + strings.Repeat("0", 64),
		"AWS4-HMAC-SHA256 Signature=x, Signature=y",
		"AWS4-HMAC-SHA256 Credential=A/B/C/D/E/F, SignedHeaders=;;, Signature=zz",
		"Bearer eyJhbGciOiJub25lIn0.e30.",
	} {
		f.Add(seed, sigv4SuiteDate)
	}
	f.Add(strings.TrimSpace(sigv4FuzzAuthz), "20150830T1236000Z")
	f.Add(strings.TrimSpace(sigv4FuzzAuthz), "")

	s := &SigV4{
		Region: sigv4SuiteRegion, Service: sigv4SuiteService,
		Credentials: StaticCredentials{sigv4SuiteKey: {Secret: sigv4SuiteSecret}},
		Clock:       func() time.Time { return sigv4SuiteTime },
	}
	f.Fuzz(func(t *testing.T, authz, amzDate string) {
		req := sigv4TestRequest("GET", "/fuzz?a=1", nil)
		req.Host = "example.amazonaws.com"
		req.Header["Authorization"] = []string{authz}
		req.Header["X-Amz-Date"] = []string{amzDate}
		id, err := s.Authorize(context.Background(), &Request{HTTP: req})
		if err == nil {
			t.Fatalf("authorized %q at %q as %+v", authz, amzDate, id)
		}
		if !errors.Is(err, ErrUnauthorized) && !errors.Is(err, ErrInvalidSignature) && !errors.Is(err, ErrExpiredToken) {
			t.Fatalf("Authorization %q: err = %v, want a signature outcome", authz, err)
		}
	})
}

// sigv4FuzzAuthz is the classic suite's get-vanilla signature: valid for
// GET /, not for the fuzzed GET /fuzz?a=1.
const sigv4FuzzAuthz = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"

// FuzzCanonicalQuery checks the canonical query string of any raw query:
// it holds only unreserved characters, upper-case escapes, "=" and "&";
// its pairs are sorted; canonicalizing it again changes nothing; and it
// agrees with what the AWS SDK for Go v2 signs (url.Values, re-encoded
// with "%20" for spaces) whenever url.ParseQuery accepts the query.
func FuzzCanonicalQuery(f *testing.F) {
	for _, seed := range []string{
		"", "a=1&b=2", "b=2&a=1&a=0", "a&&b=", "q=a+b%20c%2B", "%E1%88%B4=bar", "\xe1\x88\xb4=bar",
		"k=a-b&k=a/b", "a-=1&a=2", "a=%zz", "a=%2", "=v", "a=b=c", "a;b=c", "X-Amz-Signature=abc&X-Amz-Date=1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		pairs, err := sigv4ParseQuery(raw)
		values, stdErr := url.ParseQuery(raw)
		if err != nil {
			if stdErr == nil {
				t.Fatalf("sigv4ParseQuery(%q): %v, but url.ParseQuery accepts it", raw, err)
			}
			return
		}
		got := sigv4CanonicalQuery(pairs)
		for i := 0; i < len(got); i++ {
			switch c := got[i]; {
			case sigv4Unreserved(c), c == '=', c == '&':
			case c == '%' && i+2 < len(got) && strings.IndexByte("0123456789ABCDEF", got[i+1]) >= 0 &&
				strings.IndexByte("0123456789ABCDEF", got[i+2]) >= 0:
				i += 2
			default:
				t.Fatalf("canonical query of %q has %q at %d: %q", raw, c, i, got)
			}
		}
		again, err := sigv4ParseQuery(got)
		if err != nil {
			t.Fatalf("canonical query %q does not parse: %v", got, err)
		}
		if g := sigv4CanonicalQuery(again); g != got {
			t.Fatalf("canonical query not stable: %q → %q → %q", raw, got, g)
		}
		if !slices.IsSortedFunc(sigv4SplitPairs(got), sigv4ComparePairs) {
			t.Fatalf("canonical query %q is not sorted", got)
		}
		if stdErr == nil {
			var sdk []sigv4QueryPair
			for k, vs := range values {
				for _, v := range vs {
					sdk = append(sdk, sigv4QueryPair{sdkEscape(k), sdkEscape(v)})
				}
			}
			slices.SortFunc(sdk, sigv4ComparePairs)
			var want []string
			for _, p := range sdk {
				want = append(want, p.key+"="+p.value)
			}
			if got != strings.Join(want, "&") {
				t.Fatalf("canonical query of %q: got %q, the SDK signs %q", raw, got, strings.Join(want, "&"))
			}
		}
	})
}

// sigv4SplitPairs splits an encoded query into its pairs, still encoded.
func sigv4SplitPairs(q string) []sigv4QueryPair {
	var pairs []sigv4QueryPair
	for p := range strings.SplitSeq(q, "&") {
		if p != "" {
			k, v, _ := strings.Cut(p, "=")
			pairs = append(pairs, sigv4QueryPair{k, v})
		}
	}
	return pairs
}

// sigv4ComparePairs orders pairs by name, then value.
func sigv4ComparePairs(a, b sigv4QueryPair) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	return strings.Compare(a.value, b.value)
}

// sdkEscape encodes as aws-sdk-go-v2's signer does.
func sdkEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
