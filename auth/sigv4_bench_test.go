package auth

import (
	"bytes"
	"context"
	"net/url"
	"testing"
	"time"
)

// BenchmarkSigV4Verify measures Authorize on valid requests: the whole
// verification (parse, canonical request, key derivation, HMAC, body
// hash), as the gateway pays it on every request.
func BenchmarkSigV4Verify(b *testing.B) {
	s := &SigV4{
		Region:      sigv4TestRegion,
		Credentials: StaticCredentials{sigv4TestKey: {Secret: sigv4TestSecret, Principal: "arn:aws:iam::123456789012:user/bench"}},
		Clock:       func() time.Time { return sigv4TestTime },
	}
	post := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1 KiB
	benchmarks := []struct {
		name    string
		method  string
		target  string
		body    []byte
		presign bool
	}{
		{name: "GET", method: "GET", target: "/pets?limit=10&type=dog"},
		{name: "POST-1KiB", method: "POST", target: "/pets", body: post},
		{name: "presigned-GET", method: "GET", target: "/pets?limit=10&type=dog", presign: true},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			req := sigv4TestRequest(bm.method, bm.target, bm.body)
			req.Header.Set("User-Agent", "aws-sdk-go-v2/1.0")
			if bm.body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			if bm.presign {
				sigv4TestPresign(b, req, bm.body, sigv4TestTime, url.Values{"X-Amz-Expires": {"300"}})
			} else {
				sigv4TestSign(b, req, bm.body, sigv4TestTime)
			}
			r := &Request{HTTP: req, Method: req.Method, Path: req.URL.Path, Body: func() ([]byte, error) { return bm.body, nil }}
			ctx := context.Background()
			b.SetBytes(int64(len(bm.body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Authorize(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
