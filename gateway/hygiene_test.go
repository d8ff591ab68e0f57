package gateway_test

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
)

// The tests in this file speak raw HTTP/1.1 to a gateway on a loopback
// listener, so that malformed and ambiguous requests reach Go's server as
// written. Every request that gets through is proxied to a backend that
// records it: what the backend never sees, no backend can misread.

// hygieneGateway serves a gateway whose $default route proxies every
// request, path and all, to a recording backend.
func hygieneGateway(t *testing.T) (*proxyBackend, *rawConn) {
	t.Helper()
	be := newProxyBackend(t, nil)
	srv := serveOnLoopback(t, &gateway.API{Routes: []gateway.Route{
		{Key: "$default", Integration: &gateway.HTTPProxy{URL: be.URL}},
	}})
	return be, dialRaw(t, srv.Listener.Addr().String())
}

// afterRefusal is a valid request sent right after each malformed one: a
// server that refuses a request must not read what follows it as another
// request.
const afterRefusal = "GET /after-refusal HTTP/1.1\r\nHost: gw.test\r\n\r\n"

// expectClosed fails the test unless the server has closed c.
func expectClosed(t *testing.T, c *rawConn) {
	t.Helper()
	resp, body, err := c.next(5 * time.Second)
	switch {
	case err == nil:
		t.Errorf("another response after the refusal: %d %s", resp.StatusCode, body)
	case !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
		t.Errorf("connection still open after the refusal: %v", err)
	}
}

func TestHygieneMalformedRequests(t *testing.T) {
	const (
		netHTTP = "net/http" // Go's server refuses before any handler runs
		gw      = "gateway"  // Go's server hands the request over; the gateway refuses
	)
	tests := []struct {
		name    string
		request string
		status  int
		by      string
	}{
		// net/http: "too many Host headers".
		{"duplicate Host", "GET /x HTTP/1.1\r\nHost: gw.test\r\nHost: evil.test\r\n\r\n", 400, netHTTP},
		// Go's chunked reader fails ("chunked line ends with bare LF"), but
		// only when the body is read, after the server has called the
		// handler: a handler that ignored the error would forward a body
		// (a plain httputil.ReverseProxy answers 502 after contacting the
		// backend). The gateway reads the start of every proxied body
		// before it contacts the backend and refuses it.
		{"bare LF in chunk-size line", "POST /x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400, gw},
		{"bare LF after chunk data", "POST /x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", 400, gw},
		{"chunk size not hex", "POST /x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400, gw},
		{"chunk size overflows", "POST /x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n", 400, gw},
		// net/http: conflicting or malformed lengths.
		{"two different Content-Lengths", "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nhello", 400, netHTTP},
		{"signed Content-Length", "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: +5\r\n\r\nhello", 400, netHTTP},
		{"Content-Length list", "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: 5, 5\r\n\r\nhello", 400, netHTTP},
		{"invalid Content-Length beside chunked", "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: abc\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, netHTTP},
		// net/http: only a single "chunked" coding is supported (501).
		{"chunked not the only coding", "POST /x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, netHTTP},
		{"Transfer-Encoding twice", "POST /x HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501, netHTTP},
		// net/http: malformed header lines.
		{"space before colon", "GET /x HTTP/1.1\r\nHost: gw.test\r\nX-A : a\r\n\r\n", 400, netHTTP},
		{"leading whitespace on first header line", "GET /x HTTP/1.1\r\n X-A: a\r\nHost: gw.test\r\n\r\n", 400, netHTTP},
		{"bare CR in a header value", "GET /x HTTP/1.1\r\nHost: gw.test\r\nX-A: a\rb\r\n\r\n", 400, netHTTP},
		{"NUL in a header value", "GET /x HTTP/1.1\r\nHost: gw.test\r\nX-A: a\x00b\r\n\r\n", 400, netHTTP},
		{"separator in a header name", "GET /x HTTP/1.1\r\nHost: gw.test\r\nX(A): a\r\n\r\n", 400, netHTTP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be, c := hygieneGateway(t)
			c.send(t, tt.request+afterRefusal)
			resp, body := c.response(t)
			if resp.StatusCode != tt.status {
				t.Errorf("got %d %q, want %d", resp.StatusCode, body, tt.status)
			}
			// Every gateway response carries X-Request-Id; net/http's own
			// refusals do not.
			switch id := resp.Header.Get("X-Request-Id"); {
			case tt.by == gw && (id == "" || body != `{"message":"Invalid request body"}`):
				t.Errorf("not refused by the gateway: X-Request-Id %q, body %q", id, body)
			case tt.by == netHTTP && id != "":
				t.Errorf("refused by the gateway (X-Request-Id %q, body %q), not by net/http", id, body)
			}
			expectClosed(t, c)
			if got := be.requests(); len(got) != 0 {
				t.Errorf("backend received %d requests: %+v", len(got), got)
			}
		})
	}
}

// TestHygieneNormalizedRequests covers framing that Go's server accepts,
// as RFC 9112 allows, and normalizes before the gateway sees the request.
// The gateway, an http.Handler, never sees the raw bytes, so it cannot
// refuse these; the test pins down that the backend gets exactly one
// request, written anew in plain form, so that no backend parser can read
// the original ambiguity.
func TestHygieneNormalizedRequests(t *testing.T) {
	tests := []struct {
		name    string
		request string
		header  string // a header the backend must get...
		value   string // ...with exactly this one value
		body    string
		closed  bool // the server closes the connection after answering
	}{
		// RFC 9112 §5.2: a server may replace each obs-fold with SP
		// instead of refusing the request; Go's textproto does so.
		{name: "obs-fold", request: "GET /x HTTP/1.1\r\nHost: gw.test\r\nX-A: a\r\n b\r\n\r\n", header: "X-A", value: "a b"},
		{name: "obs-fold with a tab", request: "GET /x HTTP/1.1\r\nHost: gw.test\r\nX-A: a\r\n\tb\r\nX-B: c\r\n\r\n", header: "X-A", value: "a b"},
		// RFC 9112 §2.2: a recipient may take a bare LF for CRLF; Go does.
		{name: "bare LF ending header lines", request: "GET /x HTTP/1.1\nHost: gw.test\nX-A: a\n\n", header: "X-A", value: "a"},
		{name: "bare LF ending one header line", request: "GET /x HTTP/1.1\r\nHost: gw.test\r\nX-A: a\nX-B: b\r\n\r\n", header: "X-A", value: "a"},
		// Go ignores Transfer-Encoding in HTTP/1.0 requests (golang.org/issue/12785)
		// and closes HTTP/1.0 connections after one request, so the bytes
		// after the Content-Length body are never read as a request.
		{
			name:    "HTTP/1.0 with Transfer-Encoding and Content-Length",
			request: "POST /x HTTP/1.0\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\nGET /hidden HTTP/1.1\r\nHost: gw.test\r\n\r\n",
			header:  "Content-Length", value: "5", body: "0\r\n\r\n", closed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be, c := hygieneGateway(t)
			c.send(t, tt.request)
			if resp, body := c.response(t); resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d %s", resp.StatusCode, body)
			}
			if tt.closed {
				expectClosed(t, c)
			}
			got := be.only(t)
			if got.URI != "/x" {
				t.Errorf("backend got %s", got.URI)
			}
			if v := got.Header[tt.header]; !slices.Equal(v, []string{tt.value}) {
				t.Errorf("backend got %s %q, want [%q]", tt.header, v, tt.value)
			}
			if string(got.Body) != tt.body || len(got.TransferEncoding) != 0 {
				t.Errorf("backend got body %q with Transfer-Encoding %q, want %q", got.Body, got.TransferEncoding, tt.body)
			}
		})
	}
}

// TestHygieneContentLengthAndChunked sends requests that carry both
// Content-Length and Transfer-Encoding: chunked, each with a second request
// hidden where a parser that trusted the wrong header would find it.
// Go's server takes Transfer-Encoding and drops Content-Length before the
// gateway sees the request (the gateway cannot tell that it was there).
func TestHygieneContentLengthAndChunked(t *testing.T) {
	const hidden = "GET /hidden HTTP/1.1\r\nHost: gw.test\r\n\r\n"

	t.Run("hidden in the chunk data", func(t *testing.T) {
		// A parser that trusted Content-Length (4: the chunk-size line
		// "27\r\n") would read the chunk data as a second request.
		be, c := hygieneGateway(t)
		size := strconv.FormatInt(int64(len(hidden)), 16) + "\r\n"
		c.send(t, "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: "+strconv.Itoa(len(size))+"\r\nTransfer-Encoding: chunked\r\n\r\n"+
			size+hidden+"\r\n0\r\n\r\n")
		if resp, body := c.response(t); resp.StatusCode != http.StatusOK {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		// No second response: nothing else was read as a request.
		if resp, body, err := c.next(300 * time.Millisecond); err == nil {
			t.Errorf("a second response: %d %s", resp.StatusCode, body)
		}
		got := be.only(t)
		if got.URI != "/x" || string(got.Body) != hidden {
			t.Errorf("backend got %s with body %q, want /x with the hidden request as data", got.URI, got.Body)
		}
		// One length header only: the body, read whole, is sent with
		// Content-Length, and Transfer-Encoding is gone.
		if got.ContentLength != int64(len(hidden)) || len(got.TransferEncoding) != 0 || len(got.Header["Content-Length"]) != 1 {
			t.Errorf("backend framing: Content-Length %d %q, Transfer-Encoding %q", got.ContentLength, got.Header["Content-Length"], got.TransferEncoding)
		}
	})

	t.Run("hidden after the chunked body", func(t *testing.T) {
		// A parser that trusted Content-Length would take the hidden
		// request for part of the body. Go ends the body at the last
		// chunk instead, so the rest is a request in its own right.
		be, c := hygieneGateway(t)
		const body = "0\r\n\r\n" + hidden
		c.send(t, "POST /x HTTP/1.1\r\nHost: gw.test\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\nTransfer-Encoding: chunked\r\n\r\n"+body)
		if resp, body := c.response(t); resp.StatusCode != http.StatusOK {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		resp, _, err := c.next(5 * time.Second)
		got := be.requests()
		if len(got) == 0 || got[0].URI != "/x" || len(got[0].Body) != 0 || len(got[0].TransferEncoding) != 0 || got[0].ContentLength != 0 {
			t.Fatalf("backend got %+v, want first POST /x with an empty body", got)
		}
		// The gateway closes the connection after every chunked request
		// (RFC 9112 §6.1 asks that of a request with both headers, which
		// the gateway cannot tell apart), so the hidden bytes are never
		// read as a request.
		if err == nil {
			t.Fatalf("a second response %d: the hidden request was served", resp.StatusCode)
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("connection neither closed nor answered: %v", err)
		}
		if len(got) != 1 {
			t.Errorf("backend got %+v, want only POST /x", got)
		}
	})
}

// TestHygieneForwardingHeaders sends, one at a time, spellings of the
// headers the gateway sets itself. None of the client's values may reach
// the backend, whether Go canonicalizes the name ("x-real-ip") or not
// ("X_Real_Ip": CGI, FastCGI and WSGI backends read that as the same
// variable, HTTP_X_REAL_IP, as X-Real-Ip).
func TestHygieneForwardingHeaders(t *testing.T) {
	const spoof = "203.0.113.66"
	lines := []string{
		"X-Forwarded-For: " + spoof,
		"x-forwarded-for: " + spoof,
		"X-Forwarded-For: " + spoof + "\r\nX-Forwarded-For: " + spoof,
		"X-FORWARDED-HOST: " + spoof,
		"X-Forwarded-Proto: " + spoof,
		"X-Forwarded-Port: " + spoof,
		"Forwarded: for=" + spoof,
		"forwarded: for=" + spoof,
		"X-Real-IP: " + spoof,
		"X-Request-ID: " + spoof,
		"X_Forwarded_For: " + spoof,
		"x_forwarded_host: " + spoof,
		"X_Forwarded-Proto: " + spoof,
		"X-Forwarded_Port: " + spoof,
		"X_Real_Ip: " + spoof,
		"X_Request_Id: " + spoof,
	}
	for _, line := range lines {
		t.Run(strings.ReplaceAll(line, "\r\n", " + "), func(t *testing.T) {
			be, c := hygieneGateway(t)
			c.send(t, "GET /x HTTP/1.1\r\nHost: gw.test\r\n"+line+"\r\n\r\n")
			resp, body := c.response(t)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d %s", resp.StatusCode, body)
			}
			got := be.only(t).Header
			for k, vs := range got {
				for _, v := range vs {
					if strings.Contains(v, spoof) {
						t.Errorf("backend got %s: %s", k, v)
					}
				}
			}
			for k, want := range map[string]string{
				"X-Forwarded-For":   "127.0.0.1",
				"X-Forwarded-Proto": "http",
				"X-Forwarded-Host":  "gw.test",
				"X-Request-Id":      resp.Header.Get("X-Request-Id"),
			} {
				if v := got[k]; len(v) != 1 || v[0] != want {
					t.Errorf("backend got %s %q, want [%q]", k, v, want)
				}
			}
		})
	}
}
