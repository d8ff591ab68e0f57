package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatekit/gatekit/auth"
)

// TestSigV4AWSSDK signs requests with the AWS SDK for Go v2 and sends
// them over a real connection to a server that runs SigV4, so the
// verifier sees what net/http's server makes of them (RequestURI, Host,
// Content-Length) and nothing test code made up.
func TestSigV4AWSSDK(t *testing.T) {
	const (
		region = "eu-west-1"
		key    = "AKIDSDKEXAMPLE"
		secret = "sdk/secret+EXAMPLE"
		token  = "FwoGZXIvYXdzEBYaDH+/session/token=="
	)
	signedAt := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	longTerm := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
	temporary := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: token}

	// The server answers "ok <principal>" or the sentinel Authorize's
	// error wraps; current is the authorizer of the running case.
	var current atomic.Pointer[auth.SigV4]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		var bodyErr error
		read := false
		ip, _, _ := net.SplitHostPort(r.RemoteAddr)
		id, err := current.Load().Authorize(r.Context(), &auth.Request{
			HTTP: r, Method: r.Method, Path: r.URL.EscapedPath(),
			APIID: "pets", Stage: "prod", Region: region, AccountID: "123456789012", SourceIP: ip,
			Body: func() ([]byte, error) {
				if !read {
					body, bodyErr = io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
					read = true
				}
				return body, bodyErr
			},
		})
		for _, s := range []struct {
			err  error
			name string
		}{
			{auth.ErrUnauthorized, "ErrUnauthorized"}, {auth.ErrForbidden, "ErrForbidden"},
			{auth.ErrInvalidSignature, "ErrInvalidSignature"}, {auth.ErrExpiredToken, "ErrExpiredToken"},
		} {
			if errors.Is(err, s.err) {
				http.Error(w, s.name, http.StatusForbidden)
				return
			}
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "ok ", id.Principal)
	}))
	defer srv.Close()

	// A new Signer for each request: the SDK caches derived keys by
	// access key id and day only, so "other secret" would poison the
	// requests after it.
	signer := func() *v4.Signer { return v4.NewSigner() }
	hash := func(body string) string {
		sum := sha256.Sum256([]byte(body))
		return hex.EncodeToString(sum[:])
	}
	newRequest := func(t *testing.T, method, target, body string) *http.Request {
		t.Helper()
		r, err := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		return r
	}
	// signed returns a request signed in its Authorization header.
	signed := func(t *testing.T, method, target, body string, creds aws.Credentials, at time.Time) *http.Request {
		t.Helper()
		r := newRequest(t, method, target, body)
		r.Header.Set("X-Custom", "a  b")
		if err := signer().SignHTTP(context.Background(), creds, r, hash(body), "execute-api", region, at); err != nil {
			t.Fatal(err)
		}
		return r
	}
	// presigned returns a request to a presigned URL, valid for expires
	// seconds when expires is not empty.
	presigned := func(t *testing.T, method, target, body string, creds aws.Credentials, expires string) *http.Request {
		t.Helper()
		r := newRequest(t, method, target, body)
		if expires != "" {
			q := r.URL.Query()
			q.Set("X-Amz-Expires", expires)
			r.URL.RawQuery = q.Encode()
		}
		u, headers, err := signer().PresignHTTP(context.Background(), creds, r, hash(body), "execute-api", region, signedAt)
		if err != nil {
			t.Fatal(err)
		}
		p := newRequest(t, method, strings.TrimPrefix(u, srv.URL), body)
		for k, v := range headers {
			if k != "Host" {
				p.Header[k] = v
			}
		}
		return p
	}
	setBody := func(r *http.Request, body string) {
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
	}

	tests := []struct {
		name string
		req  func(t *testing.T) *http.Request
		cred auth.Credential // Secret defaults to secret
		now  time.Time       // defaults to signedAt
		want string
	}{
		{name: "GET with query", want: "ok " + key, req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets?limit=10&name=a%20b&tag=x+y&empty=&flag", "", longTerm, signedAt)
		}},
		{name: "GET with escaped path", want: "ok " + key, req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets/a%20b/%C3%BC/x%2Fy", "", longTerm, signedAt)
		}},
		{name: "POST with body", want: "ok " + key, req: func(t *testing.T) *http.Request {
			return signed(t, "POST", "/pets", `{"name":"rex"}`, longTerm, signedAt)
		}},
		{name: "POST with X-Amz-Content-Sha256", want: "ok " + key, req: func(t *testing.T) *http.Request {
			r := newRequest(t, "POST", "/pets", `{"name":"rex"}`)
			r.Header.Set("X-Amz-Content-Sha256", hash(`{"name":"rex"}`))
			if err := signer().SignHTTP(context.Background(), longTerm, r, hash(`{"name":"rex"}`), "execute-api", region, signedAt); err != nil {
				t.Fatal(err)
			}
			return r
		}},
		{name: "GET with session token", cred: auth.Credential{SessionToken: token}, want: "ok " + key, req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", temporary, signedAt)
		}},
		{name: "POST with session token", cred: auth.Credential{SessionToken: token, Principal: "alice"}, want: "ok alice", req: func(t *testing.T) *http.Request {
			return signed(t, "POST", "/pets", `{"name":"rex"}`, temporary, signedAt)
		}},
		{name: "presigned GET", now: signedAt.Add(4 * time.Minute), want: "ok " + key, req: func(t *testing.T) *http.Request {
			return presigned(t, "GET", "/pets?limit=10", "", longTerm, "300")
		}},
		{name: "presigned GET with session token", cred: auth.Credential{SessionToken: token}, want: "ok " + key, req: func(t *testing.T) *http.Request {
			return presigned(t, "GET", "/pets", "", temporary, "300")
		}},
		{name: "presigned GET without X-Amz-Expires", want: "ok " + key, req: func(t *testing.T) *http.Request {
			return presigned(t, "GET", "/pets", "", longTerm, "")
		}},
		{name: "presigned POST with body", want: "ok " + key, req: func(t *testing.T) *http.Request {
			return presigned(t, "POST", "/pets", `{"name":"rex"}`, longTerm, "60")
		}},

		{name: "path changed", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			r := signed(t, "GET", "/pets/1", "", longTerm, signedAt)
			r.URL.Path = "/pets/2"
			return r
		}},
		{name: "query changed", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			r := signed(t, "GET", "/pets?limit=10", "", longTerm, signedAt)
			r.URL.RawQuery = "limit=1000"
			return r
		}},
		{name: "signed header changed", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			r := signed(t, "GET", "/pets", "", longTerm, signedAt)
			r.Header.Set("X-Custom", "a c")
			return r
		}},
		{name: "body changed", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			r := signed(t, "POST", "/pets", `{"name":"rex"}`, longTerm, signedAt)
			setBody(r, `{"name":"max"}`)
			return r
		}},
		{name: "body changed under X-Amz-Content-Sha256", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			r := newRequest(t, "POST", "/pets", `{"name":"rex"}`)
			r.Header.Set("X-Amz-Content-Sha256", hash(`{"name":"rex"}`))
			if err := signer().SignHTTP(context.Background(), longTerm, r, hash(`{"name":"rex"}`), "execute-api", region, signedAt); err != nil {
				t.Fatal(err)
			}
			setBody(r, `{"name":"max"}`)
			return r
		}},
		{name: "presigned query changed", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			r := presigned(t, "GET", "/pets?limit=10", "", longTerm, "300")
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "limit=10", "limit=1000", 1)
			return r
		}},
		{name: "signed 20 minutes ago", now: signedAt.Add(20 * time.Minute), want: "ErrExpiredToken", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", longTerm, signedAt)
		}},
		{name: "signed 20 minutes ahead", now: signedAt.Add(-20 * time.Minute), want: "ErrExpiredToken", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", longTerm, signedAt)
		}},
		{name: "presigned URL expired", now: signedAt.Add(2 * time.Minute), want: "ErrExpiredToken", req: func(t *testing.T) *http.Request {
			return presigned(t, "GET", "/pets", "", longTerm, "60")
		}},
		{name: "credentials expired", cred: auth.Credential{SessionToken: token, Expires: signedAt}, want: "ErrExpiredToken", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", temporary, signedAt)
		}},
		{name: "session token of other credentials", cred: auth.Credential{SessionToken: "other"}, want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", temporary, signedAt)
		}},
		{name: "session token stripped", cred: auth.Credential{SessionToken: token}, want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			r := signed(t, "GET", "/pets", "", temporary, signedAt)
			r.Header.Del("X-Amz-Security-Token")
			return r
		}},
		{name: "session token missing", cred: auth.Credential{SessionToken: token}, want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", longTerm, signedAt)
		}},
		{name: "unknown access key", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: secret}, signedAt)
		}},
		{name: "other secret", want: "ErrInvalidSignature", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", "/pets", "", aws.Credentials{AccessKeyID: key, SecretAccessKey: "guess"}, signedAt)
		}},
		{name: "not signed", want: "ErrUnauthorized", req: func(t *testing.T) *http.Request {
			return newRequest(t, "GET", "/pets", "")
		}},
		{
			name: "policy does not allow DELETE",
			cred: auth.Credential{Policy: &auth.Policy{Statement: []auth.Statement{{
				Effect: auth.Allow, Action: auth.Strings{auth.InvokeAction},
				Resource: auth.Strings{"arn:aws:execute-api:eu-west-1:123456789012:pets/prod/GET/*"},
			}}}},
			want: "ErrForbidden",
			req: func(t *testing.T) *http.Request {
				return signed(t, "DELETE", "/pets/1", "", longTerm, signedAt)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cred := tt.cred
			if cred.Secret == "" {
				cred.Secret = secret
			}
			now := tt.now
			if now.IsZero() {
				now = signedAt
			}
			current.Store(&auth.SigV4{
				Region:      region,
				Credentials: auth.StaticCredentials{key: cred},
				Clock:       func() time.Time { return now },
			})
			resp, err := srv.Client().Do(tt.req(t))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(string(got)) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
