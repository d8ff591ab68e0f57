package auth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The AWS SigV4 test suites (see shared/testdata/README.md): every case
// is checked twice, as a signer (our canonical request, string to sign and
// signature for the unsigned request must equal the expected files byte
// for byte) and as a verifier (Authorize must accept the signed request
// at the suite's time and refuse it outside the window).

const (
	sigv4SuiteClassic = "../../shared/testdata/aws-sig-v4-test-suite"
	sigv4SuiteCRT     = "../../shared/testdata/aws-signing-test-suite-v4"

	sigv4SuiteKey     = "AKIDEXAMPLE"
	sigv4SuiteSecret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	sigv4SuiteRegion  = "us-east-1"
	sigv4SuiteService = "service"
	sigv4SuiteDate    = "20150830T123600Z"
	sigv4SuiteScope   = "20150830/us-east-1/service/aws4_request"
)

var sigv4SuiteTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

// sigv4ClassicSkips are the classic suite's cases whose expected output
// depends on something a verifier behind net/http never sees.
var sigv4ClassicSkips = map[string]string{
	"get-header-value-multiline": "obs-fold: the classic suite joins folded header lines with ',' " +
		"as if they were separate values, but net/http (RFC 9112 section 5.2) replaces each fold with " +
		"a space before any handler runs, so the signed value can never be reproduced; the same case " +
		"in aws-signing-test-suite-v4 signs the space-joined value and passes",
}

// sigv4ReadRequest parses a suite request file into the *http.Request
// net/http's server would hand a handler: RequestURI is the raw target
// (the suite's targets hold raw spaces and UTF-8, which net/http's own
// parser refuses, hence this parser), Host is moved out of Header, and
// folded header lines are joined with a space, as textproto does.
func sigv4ReadRequest(t testing.TB, raw []byte) (*http.Request, []byte) {
	t.Helper()
	head, body, _ := bytes.Cut(raw, []byte("\n\n"))
	line, rest, _ := strings.Cut(string(head), "\n")
	method, target, _ := strings.Cut(line, " ")
	i := strings.LastIndex(target, " HTTP/")
	if i < 0 {
		t.Fatalf("request line %q: no HTTP version", line)
	}
	target = target[:i]
	h, err := textproto.NewReader(bufio.NewReader(strings.NewReader(rest + "\n\n"))).ReadMIMEHeader()
	if err != nil {
		t.Fatalf("headers: %v", err)
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		t.Fatalf("target %q: %v", target, err)
	}
	req := &http.Request{
		Method: method, RequestURI: target, URL: u,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header(h), Host: h.Get("Host"),
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
	req.Header.Del("Host")
	return req, body
}

// sigv4SuiteAuthorize runs Authorize for a suite request at now.
func sigv4SuiteAuthorize(req *http.Request, body []byte, token string, now time.Time) (*Identity, error) {
	s := &SigV4{
		Region: sigv4SuiteRegion, Service: sigv4SuiteService,
		Credentials: StaticCredentials{sigv4SuiteKey: {Secret: sigv4SuiteSecret, SessionToken: token}},
		Clock:       func() time.Time { return now },
	}
	return s.Authorize(context.Background(), &Request{
		HTTP: req, Method: req.Method, Path: req.URL.Path,
		Body: func() ([]byte, error) { return body, nil },
	})
}

// sigv4SignedNames returns the lower-case names of every header of req
// and "host", sorted: what the suites' signer signs.
func sigv4SignedNames(req *http.Request) []string {
	names := []string{"host"}
	for k := range req.Header {
		names = append(names, strings.ToLower(k))
	}
	slices.Sort(names)
	return names
}

// sigv4Expect compares got with the content of file, byte for byte.
func sigv4Expect(t *testing.T, what, got, file string) {
	t.Helper()
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s\n got: %q\nwant: %q", what, filepath.Base(file), got, want)
	}
}

// sigv4ExpectAuthorized checks that Authorize accepts req at at and
// refuses it with ErrExpiredToken at each of expired.
func sigv4ExpectAuthorized(t *testing.T, req *http.Request, body []byte, token string, at time.Time, expired ...time.Time) {
	t.Helper()
	id, err := sigv4SuiteAuthorize(req, body, token, at)
	if err != nil {
		t.Fatalf("Authorize at %s: %v", at.Format(time.RFC3339), err)
	}
	if id.Kind != "sigv4" || id.Principal != sigv4SuiteKey || id.Context["accessKey"] != sigv4SuiteKey {
		t.Errorf("Authorize: identity %+v", id)
	}
	for _, now := range expired {
		if _, err := sigv4SuiteAuthorize(req, body, token, now); !errors.Is(err, ErrExpiredToken) {
			t.Errorf("Authorize at %s: err = %v, want ErrExpiredToken", now.Format(time.RFC3339), err)
		}
	}
}

func TestSigV4SuiteClassic(t *testing.T) {
	const token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
	var cases []string
	err := filepath.WalkDir(sigv4SuiteClassic, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".req") {
			cases = append(cases, strings.TrimSuffix(path, ".req"))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 31 {
		t.Fatalf("found %d cases, want the suite's 31", len(cases))
	}
	for _, base := range cases {
		name, _ := filepath.Rel(sigv4SuiteClassic, filepath.Dir(base))
		t.Run(name, func(t *testing.T) {
			if why, ok := sigv4ClassicSkips[filepath.Base(base)]; ok {
				t.Skip(why)
			}
			tok := ""
			if strings.HasPrefix(name, "post-sts-token") {
				tok = token
			}
			read := func(ext string) []byte {
				b, err := os.ReadFile(base + ext)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}

			// As a signer: every header of .req is signed.
			req, body := sigv4ReadRequest(t, read(".req"))
			names := sigv4SignedNames(req)
			signed := strings.Join(names, ";")
			path, query := sigv4Target(req)
			pairs, err := sigv4ParseQuery(query)
			if err != nil {
				t.Fatal(err)
			}
			creq := sigv4CanonicalRequest(req.Method, sigv4CanonicalURI(path, true), sigv4CanonicalQuery(pairs),
				sigv4CanonicalHeaders(req, names), signed, sigv4HashHex(body))
			sigv4Expect(t, "canonical request", creq, base+".creq")
			sts := sigv4StringToSign(req.Header.Get("X-Amz-Date"), sigv4SuiteScope, creq)
			sigv4Expect(t, "string to sign", sts, base+".sts")
			sig := hex.EncodeToString(sigv4HMAC(sigv4SigningKey(sigv4SuiteSecret, "20150830", sigv4SuiteRegion, sigv4SuiteService), sts))
			authz := sigv4Algorithm + " Credential=" + sigv4SuiteKey + "/" + sigv4SuiteScope + ", SignedHeaders=" + signed + ", Signature=" + sig
			sigv4Expect(t, "Authorization", authz, base+".authz")

			// As a verifier: .sreq within ±15 minutes.
			sreq, sbody := sigv4ReadRequest(t, read(".sreq"))
			sigv4ExpectAuthorized(t, sreq, sbody, tok, sigv4SuiteTime,
				sigv4SuiteTime.Add(16*time.Minute), sigv4SuiteTime.Add(-16*time.Minute))
			_, err = (&SigV4{
				Region: sigv4SuiteRegion, Service: sigv4SuiteService,
				Credentials: StaticCredentials{sigv4SuiteKey: {Secret: "not-" + sigv4SuiteSecret, SessionToken: tok}},
				Clock:       func() time.Time { return sigv4SuiteTime },
			}).Authorize(context.Background(), &Request{HTTP: sreq, Body: func() ([]byte, error) { return sbody, nil }})
			if !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("Authorize with another secret: err = %v, want ErrInvalidSignature", err)
			}
		})
	}
}

// sigv4SuiteContext is a context.json of aws-signing-test-suite-v4.
type sigv4SuiteContext struct {
	Credentials struct {
		AccessKeyID string `json:"access_key_id"`
		Secret      string `json:"secret_access_key"`
		Token       string `json:"token"`
	} `json:"credentials"`
	Expiration       int       `json:"expiration_in_seconds"`
	Normalize        bool      `json:"normalize"`
	Region           string    `json:"region"`
	Service          string    `json:"service"`
	SignBody         bool      `json:"sign_body"`
	Timestamp        time.Time `json:"timestamp"`
	OmitSessionToken bool      `json:"omit_session_token"`
}

func TestSigV4SuiteCRT(t *testing.T) {
	dirs, err := os.ReadDir(sigv4SuiteCRT)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n++
		dir := filepath.Join(sigv4SuiteCRT, d.Name())
		file := func(name string) string { return filepath.Join(dir, name) }
		read := func(t *testing.T, name string) []byte {
			b, err := os.ReadFile(file(name))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		t.Run(d.Name(), func(t *testing.T) {
			var c sigv4SuiteContext
			if err := json.Unmarshal(read(t, "context.json"), &c); err != nil {
				t.Fatal(err)
			}
			if c.Credentials.AccessKeyID != sigv4SuiteKey || c.Credentials.Secret != sigv4SuiteSecret ||
				c.Region != sigv4SuiteRegion || c.Service != sigv4SuiteService || !c.Timestamp.Equal(sigv4SuiteTime) {
				t.Fatalf("context.json is not the suite's usual one: %+v", c)
			}
			key := sigv4SigningKey(sigv4SuiteSecret, "20150830", sigv4SuiteRegion, sigv4SuiteService)
			// check compares the canonical request, string to sign and
			// signature of one form with the suite's files.
			check := func(t *testing.T, form string, req *http.Request, body []byte, names []string, omit ...string) {
				t.Helper()
				path, query := sigv4Target(req)
				pairs, err := sigv4ParseQuery(query)
				if err != nil {
					t.Fatal(err)
				}
				creq := sigv4CanonicalRequest(req.Method, sigv4CanonicalURI(path, c.Normalize), sigv4CanonicalQuery(pairs, omit...),
					sigv4CanonicalHeaders(req, names), strings.Join(names, ";"), sigv4HashHex(body))
				sigv4Expect(t, "canonical request", creq, file(form+"-canonical-request.txt"))
				sts := sigv4StringToSign(sigv4SuiteDate, sigv4SuiteScope, creq)
				sigv4Expect(t, "string to sign", sts, file(form+"-string-to-sign.txt"))
				sigv4Expect(t, "signature", hex.EncodeToString(sigv4HMAC(key, sts)), file(form+"-signature.txt"))
			}

			t.Run("signer", func(t *testing.T) {
				// request.txt plus what a header signer adds.
				req, body := sigv4ReadRequest(t, read(t, "request.txt"))
				req.Header.Set("X-Amz-Date", sigv4SuiteDate)
				if c.Credentials.Token != "" && !c.OmitSessionToken {
					req.Header.Set("X-Amz-Security-Token", c.Credentials.Token)
				}
				if c.SignBody {
					req.Header.Set("X-Amz-Content-Sha256", sigv4HashHex(body))
				}
				check(t, "header", req, body, sigv4SignedNames(req))
			})
			t.Run("header", func(t *testing.T) {
				req, body := sigv4ReadRequest(t, read(t, "header-signed-request.txt"))
				_, query := sigv4Target(req)
				sr, err := sigv4Parse(req, query)
				if err != nil {
					t.Fatal(err)
				}
				check(t, "header", req, body, sr.headerNames)
				sigv4ExpectAuthorized(t, req, body, c.Credentials.Token, sigv4SuiteTime,
					sigv4SuiteTime.Add(16*time.Minute), sigv4SuiteTime.Add(-16*time.Minute))
			})
			t.Run("query", func(t *testing.T) {
				req, body := sigv4ReadRequest(t, read(t, "query-signed-request.txt"))
				_, query := sigv4Target(req)
				sr, err := sigv4Parse(req, query)
				if err != nil {
					t.Fatal(err)
				}
				if !sr.presigned {
					t.Fatal("not read as a presigned request")
				}
				omit := []string{"X-Amz-Signature"}
				if c.OmitSessionToken {
					omit = append(omit, "X-Amz-Security-Token")
				}
				check(t, "query", req, body, sr.headerNames, omit...)
				life := time.Duration(c.Expiration) * time.Second
				sigv4ExpectAuthorized(t, req, body, c.Credentials.Token, sigv4SuiteTime.Add(life),
					sigv4SuiteTime.Add(life+time.Second), sigv4SuiteTime.Add(-16*time.Minute))
			})
		})
	}
	if n != 38 {
		t.Errorf("found %d cases, want the suite's 38", n)
	}
}
