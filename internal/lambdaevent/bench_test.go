package lambdaevent

import (
	"net/http"
	"testing"
	"time"
)

// benchRequest is a typical browser POST with a JSON body.
func benchRequest() (*http.Request, []byte, *Info) {
	body := []byte(`{"name":"Rex","tags":["good","dog"]}`)
	r := newRequest(http.MethodPost, "/prod/pets/42?expand=owner&fields=name&fields=tags", string(body), "pets.example.com",
		"Accept", "application/json",
		"Accept-Encoding", "gzip, deflate, br",
		"Accept-Language", "en-GB,en;q=0.9",
		"Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo",
		"Content-Type", "application/json",
		"Content-Length", "36",
		"Cookie", "session=abc123; theme=dark; lang=en",
		"Origin", "https://app.example.com",
		"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
		"X-Request-Source", "web")
	in := &Info{
		RequestID:      "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
		APIID:          "pets",
		Stage:          "prod",
		RouteKey:       "POST /pets/{id}",
		Resource:       "/pets/{id}",
		Path:           "/pets/42",
		RawPath:        "/pets/42",
		StagePath:      "/prod/pets/42",
		SourceIP:       "203.0.113.7",
		DomainName:     "pets.example.com",
		Time:           time.Date(2020, 3, 12, 19, 3, 58, 0, time.UTC),
		PathParameters: map[string]string{"id": "42"},
		StageVariables: map[string]string{"table": "pets-prod"},
		ForwardedProto: "https",
		ForwardedPort:  "443",
	}
	return r, body, in
}

func BenchmarkV2(b *testing.B) {
	r, body, in := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		V2(r, body, in)
	}
}

func BenchmarkV1(b *testing.B) {
	r, body, in := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		V1(r, body, in)
	}
}
