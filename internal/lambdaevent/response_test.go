package lambdaevent

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// spyWriter records what is written to it, including whether WriteHeader
// was called at all.
type spyWriter struct {
	header http.Header
	status int // 0 until WriteHeader or Write
	body   bytes.Buffer
}

func (s *spyWriter) Header() http.Header {
	if s.header == nil {
		s.header = http.Header{}
	}
	return s.header
}

func (s *spyWriter) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
}

func (s *spyWriter) Write(p []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	return s.body.Write(p)
}

// written is what a write function should have done: either written
// status, header and body, or returned an error containing err having
// written nothing.
type written struct {
	status int
	header http.Header
	body   string
	err    string
}

func (want written) check(t *testing.T, w *spyWriter, err error) {
	t.Helper()
	if want.err != "" {
		if !errors.Is(err, ErrMalformedResponse) || !strings.Contains(err.Error(), want.err) {
			t.Errorf("error %v, want one wrapping ErrMalformedResponse containing %q", err, want.err)
		}
		if !strings.HasPrefix(err.Error(), "lambdaevent: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
		if w.status != 0 || w.body.Len() != 0 || len(w.header) != 0 {
			t.Errorf("wrote status %d, header %v, body %q before failing", w.status, w.header, w.body.String())
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if w.status != want.status {
		t.Errorf("status %d, want %d", w.status, want.status)
	}
	if !reflect.DeepEqual(w.header, want.header) {
		t.Errorf("header %v, want %v", w.header, want.header)
	}
	if w.body.String() != want.body {
		t.Errorf("body %q, want %q", w.body.String(), want.body)
	}
}

func TestWriteV2(t *testing.T) {
	tests := []struct {
		name string
		resp events.APIGatewayV2HTTPResponse
		want written
	}{
		{
			name: "zero status is 200",
			resp: events.APIGatewayV2HTTPResponse{Body: "ok", Headers: map[string]string{"content-type": "text/plain"}},
			want: written{status: 200, body: "ok", header: http.Header{
				"Content-Type":   {"text/plain"},
				"Content-Length": {"2"},
			}},
		},
		{
			name: "no content type sends none",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 201, Body: "<p>hi</p>"},
			want: written{status: 201, body: "<p>hi</p>", header: http.Header{
				"Content-Type":   nil,
				"Content-Length": {"9"},
			}},
		},
		{
			name: "cookies become Set-Cookie headers",
			resp: events.APIGatewayV2HTTPResponse{
				StatusCode: 200,
				Headers:    map[string]string{"Set-Cookie": "a=0", "Content-Type": "text/plain"},
				Cookies:    []string{"b=1; Path=/", "c=2; Max-Age=60"},
			},
			want: written{status: 200, header: http.Header{
				"Content-Type":   {"text/plain"},
				"Content-Length": {"0"},
				"Set-Cookie":     {"a=0", "b=1; Path=/", "c=2; Max-Age=60"},
			}},
		},
		{
			name: "headers merged with multi-value headers",
			resp: events.APIGatewayV2HTTPResponse{
				StatusCode:        200,
				Headers:           map[string]string{"x-same": "1", "X-Other": "3", "Content-Type": "a/b"},
				MultiValueHeaders: map[string][]string{"X-Same": {"1", "2"}, "x-other": {"1", "2"}},
			},
			want: written{status: 200, header: http.Header{
				"Content-Type":   {"a/b"},
				"Content-Length": {"0"},
				"X-Same":         {"1", "2"},
				"X-Other":        {"1", "2", "3"},
			}},
		},
		{
			name: "base64 body decoded",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "iVBORw==", IsBase64Encoded: true, Headers: map[string]string{"Content-Type": "image/png"}},
			want: written{status: 200, body: "\x89PNG", header: http.Header{
				"Content-Type":   {"image/png"},
				"Content-Length": {"4"},
			}},
		},
		{
			name: "framing headers from the function dropped",
			resp: events.APIGatewayV2HTTPResponse{
				StatusCode: 200,
				Body:       "abc",
				Headers: map[string]string{
					"Content-Type":      "text/plain",
					"Content-Length":    "999",
					"Transfer-Encoding": "chunked",
					"Connection":        "close",
				},
			},
			want: written{status: 200, body: "abc", header: http.Header{
				"Content-Type":   {"text/plain"},
				"Content-Length": {"3"},
			}},
		},
		{
			name: "no body on 204",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 204, Body: "ignored", Headers: map[string]string{"Content-Type": "text/plain"}},
			want: written{status: 204, header: http.Header{"Content-Type": {"text/plain"}}},
		},
		{
			name: "status below range",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 99},
			want: written{err: "statusCode 99"},
		},
		{
			name: "informational status",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 103},
			want: written{err: "statusCode 103"},
		},
		{
			name: "status above range",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 600},
			want: written{err: "statusCode 600"},
		},
		{
			name: "invalid base64",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "not base64!", IsBase64Encoded: true},
			want: written{err: "not base64"},
		},
		{
			name: "header value with CRLF",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X-A": "1\r\nSet-Cookie: evil=1"}},
			want: written{err: `header "X-A" value holds a control character`},
		},
		{
			name: "header value with bare LF",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X-A": "1\nX-B: 2"}},
			want: written{err: `header "X-A"`},
		},
		{
			name: "multi-value header value with CR",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, MultiValueHeaders: map[string][]string{"X-A": {"ok", "1\r"}}},
			want: written{err: `header "X-A"`},
		},
		{
			name: "header value with NUL",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X-A": "1\x00"}},
			want: written{err: `header "X-A"`},
		},
		{
			name: "header name with a space",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X A": "1"}},
			want: written{err: `header name "X A" is not a valid HTTP token`},
		},
		{
			name: "header name with a colon",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"X-A: 1\r\nX-B": "1"}},
			want: written{err: "is not a valid HTTP token"},
		},
		{
			name: "empty header name",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"": "1"}},
			want: written{err: `header name "" is not a valid HTTP token`},
		},
		{
			name: "dropped header still checked",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Length": "1\r\nX: y"}},
			want: written{err: `header "Content-Length"`},
		},
		{
			name: "cookie with CRLF",
			resp: events.APIGatewayV2HTTPResponse{StatusCode: 200, Cookies: []string{"a=1\r\nX-Evil: 1"}},
			want: written{err: `cookie "a" holds a control character`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w spyWriter
			tt.want.check(t, &w, WriteV2(&w, &tt.resp))
		})
	}
}

func TestWriteV1(t *testing.T) {
	tests := []struct {
		name string
		resp events.APIGatewayProxyResponse
		want written
	}{
		{
			name: "no content type is JSON",
			resp: events.APIGatewayProxyResponse{StatusCode: 200, Body: `{"a":1}`},
			want: written{status: 200, body: `{"a":1}`, header: http.Header{
				"Content-Type":   {"application/json"},
				"Content-Length": {"7"},
			}},
		},
		{
			name: "headers merged with multi-value headers",
			resp: events.APIGatewayProxyResponse{
				StatusCode:        302,
				Headers:           map[string]string{"Location": "/a", "x-same": "1", "Content-Type": "text/html"},
				MultiValueHeaders: map[string][]string{"X-Same": {"1", "2"}, "Set-Cookie": {"a=1", "b=2"}},
			},
			want: written{status: 302, header: http.Header{
				"Content-Type":   {"text/html"},
				"Content-Length": {"0"},
				"Location":       {"/a"},
				"X-Same":         {"1", "2"},
				"Set-Cookie":     {"a=1", "b=2"},
			}},
		},
		{
			name: "base64 body decoded",
			resp: events.APIGatewayProxyResponse{StatusCode: 200, Body: "AAEC", IsBase64Encoded: true, Headers: map[string]string{"Content-Type": "application/octet-stream"}},
			want: written{status: 200, body: "\x00\x01\x02", header: http.Header{
				"Content-Type":   {"application/octet-stream"},
				"Content-Length": {"3"},
			}},
		},
		{
			name: "no body on 304",
			resp: events.APIGatewayProxyResponse{StatusCode: 304, Body: "ignored", Headers: map[string]string{"ETag": `"x"`}},
			want: written{status: 304, header: http.Header{
				"Content-Type": {"application/json"},
				"Etag":         {`"x"`},
			}},
		},
		{
			name: "missing status",
			resp: events.APIGatewayProxyResponse{Body: "x"},
			want: written{err: "statusCode is missing"},
		},
		{
			name: "status out of range",
			resp: events.APIGatewayProxyResponse{StatusCode: 1000},
			want: written{err: "statusCode 1000"},
		},
		{
			name: "invalid base64",
			resp: events.APIGatewayProxyResponse{StatusCode: 200, Body: "====", IsBase64Encoded: true},
			want: written{err: "not base64"},
		},
		{
			name: "header injection",
			resp: events.APIGatewayProxyResponse{StatusCode: 200, MultiValueHeaders: map[string][]string{"Set-Cookie": {"a=1\r\n\r\n<html>"}}},
			want: written{err: `header "Set-Cookie"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w spyWriter
			tt.want.check(t, &w, WriteV1(&w, &tt.resp))
		})
	}
}

func TestWriteRawV2(t *testing.T) {
	jsonBody := func(body string) written {
		return written{status: 200, body: body, header: http.Header{
			"Content-Type":   {"application/json"},
			"Content-Length": {strconv.Itoa(len(body))},
		}}
	}
	tests := []struct {
		name string
		raw  string
		want written
	}{
		{
			name: "response object",
			raw:  `{"statusCode":201,"headers":{"Content-Type":"text/plain"},"body":"hi","cookies":["a=1"]}`,
			want: written{status: 201, body: "hi", header: http.Header{
				"Content-Type":   {"text/plain"},
				"Content-Length": {"2"},
				"Set-Cookie":     {"a=1"},
			}},
		},
		{
			name: "response object with zero status",
			raw:  `{"statusCode":0,"body":"hi"}`,
			want: written{status: 200, body: "hi", header: http.Header{
				"Content-Type":   nil,
				"Content-Length": {"2"},
			}},
		},
		{
			name: "response object with base64 body",
			raw:  `{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`,
			want: written{status: 200, body: "hi", header: http.Header{
				"Content-Type":   nil,
				"Content-Length": {"2"},
			}},
		},
		{name: "object without statusCode", raw: `{"message":"hi","body":"x"}`, want: jsonBody(`{"message":"hi","body":"x"}`)},
		{name: "statusCode spelt otherwise", raw: `{"StatusCode":500}`, want: jsonBody(`{"StatusCode":500}`)},
		{name: "array", raw: `[1,2]`, want: jsonBody(`[1,2]`)},
		{name: "string", raw: `"hello"`, want: jsonBody(`"hello"`)},
		{name: "number", raw: `42`, want: jsonBody(`42`)},
		{name: "bool", raw: `true`, want: jsonBody(`true`)},
		{name: "null", raw: `null`, want: jsonBody(`null`)},
		{name: "invalid JSON", raw: `{"statusCode":200`, want: written{err: "output is not valid JSON"}},
		{name: "empty output", raw: ``, want: written{err: "output is not valid JSON"}},
		{name: "statusCode of the wrong type", raw: `{"statusCode":"200"}`, want: written{err: "cannot unmarshal"}},
		{name: "response object with bad status", raw: `{"statusCode":700}`, want: written{err: "statusCode 700"}},
		{name: "response object with injected header", raw: `{"statusCode":200,"headers":{"X":"a\r\nb: c"}}`, want: written{err: `header "X"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w spyWriter
			tt.want.check(t, &w, WriteRawV2(&w, []byte(tt.raw)))
		})
	}
}

func TestWriteSamples(t *testing.T) {
	tests := []struct {
		name   string
		sample string
		write  func(w http.ResponseWriter, raw []byte) error
		want   written
	}{
		{
			name:   "function URL response through WriteRawV2",
			sample: "lambda-urls-response.json",
			write:  WriteRawV2,
			want: written{status: 201, body: `{ "message": "Hello, world!" }`, header: http.Header{
				"Content-Type":     {"application/json"},
				"Content-Length":   {"30"},
				"My-Custom-Header": {"Custom Value"},
				"Set-Cookie":       {"Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT", "Cookie_2=Value2; Max-Age=78000"},
			}},
		},
		{
			name:   "REST response through WriteV1",
			sample: "apigw-response.json",
			write: func(w http.ResponseWriter, raw []byte) error {
				var resp events.APIGatewayProxyResponse
				if err := json.Unmarshal(raw, &resp); err != nil {
					return err
				}
				return WriteV1(w, &resp)
			},
			want: written{status: 200, body: "Hello World", header: func() http.Header {
				// The sample echoes request headers as response headers,
				// each in both maps with one value.
				var resp events.APIGatewayProxyResponse
				if err := json.Unmarshal(readSample(t, "apigw-response.json"), &resp); err != nil {
					t.Fatal(err)
				}
				h := http.Header{"Content-Type": {"application/json"}, "Content-Length": {"11"}}
				for name, value := range resp.Headers {
					h.Set(name, value)
				}
				return h
			}()},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w spyWriter
			tt.want.check(t, &w, tt.write(&w, readSample(t, tt.sample)))
		})
	}
}

// TestWriteOverHTTP checks what a client receives through net/http, which
// adds its own behaviour (sniffing, framing) to what the spy records.
func TestWriteOverHTTP(t *testing.T) {
	tests := []struct {
		name            string
		resp            events.APIGatewayV2HTTPResponse
		wantStatus      int
		wantContentType []string
		wantBody        string
	}{
		{
			name:       "no content type is not sniffed",
			resp:       events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "<html><body>hi</body></html>"},
			wantStatus: 200,
			wantBody:   "<html><body>hi</body></html>",
		},
		{
			name:            "204 with a body",
			resp:            events.APIGatewayV2HTTPResponse{StatusCode: 204, Body: "dropped", Headers: map[string]string{"Content-Type": "text/plain"}},
			wantStatus:      204,
			wantContentType: []string{"text/plain"},
		},
		{
			name:            "wrong Content-Length from the function",
			resp:            events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "abcdef", Headers: map[string]string{"Content-Type": "text/plain", "Content-Length": "2"}},
			wantStatus:      200,
			wantContentType: []string{"text/plain"},
			wantBody:        "abcdef",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if err := WriteV2(w, &tt.resp); err != nil {
					t.Errorf("WriteV2: %v", err)
				}
			}))
			defer srv.Close()
			res, err := srv.Client().Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tt.wantStatus || string(body) != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", res.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
			if got := res.Header["Content-Type"]; !reflect.DeepEqual(got, tt.wantContentType) {
				t.Errorf("Content-Type %q, want %q", got, tt.wantContentType)
			}
		})
	}
}

func TestWriteKeepsGatewayHeaders(t *testing.T) {
	tests := []struct {
		name    string
		headers map[string]string
		want    []string
	}{
		{name: "function leaves it alone", headers: nil, want: []string{"gw-1"}},
		{name: "function sets it", headers: map[string]string{"x-request-id": "fn-1"}, want: []string{"fn-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w spyWriter
			w.Header().Set("X-Request-Id", "gw-1")
			if err := WriteV2(&w, &events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: tt.headers}); err != nil {
				t.Fatal(err)
			}
			if got := w.header["X-Request-Id"]; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("X-Request-Id %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzWriteRawV2 checks the write functions' contract on any output: an
// error means nothing was written, and success means a final status.
func FuzzWriteRawV2(f *testing.F) {
	for _, seed := range []string{
		`{"statusCode":200,"body":"hi"}`,
		`{"statusCode":302,"headers":{"Location":"/x"},"multiValueHeaders":{"a":["1","2"]},"cookies":["c=1"]}`,
		`{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`,
		`{"statusCode":200,"headers":{"X":"a\r\nb"}}`,
		`{"message":"hi"}`,
		`[1,"2",null]`,
		`"text"`,
		`{"statusCode":`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var w spyWriter
		err := WriteRawV2(&w, raw)
		switch {
		case err != nil && errors.Is(err, ErrMalformedResponse):
			if w.status != 0 || w.body.Len() != 0 || len(w.header) != 0 {
				t.Errorf("error %v after writing status %d, header %v", err, w.status, w.header)
			}
		case err != nil:
			t.Errorf("error %v does not wrap ErrMalformedResponse", err)
		case w.status < 200 || w.status > 599:
			t.Errorf("wrote status %d", w.status)
		}
	})
}
