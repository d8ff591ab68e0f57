package gateway_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatekit/gatekit/gateway"
)

// The tests in this file run HTTPProxy routes against real backends on
// loopback listeners. Where the client side matters too (streaming, peer
// addresses, raw bytes) the gateway itself is served on a listener as well.

// proxyBackend is a loopback HTTP backend that records every request it
// receives and counts the connections it accepts.
type proxyBackend struct {
	*httptest.Server
	conns atomic.Int64

	mu  sync.Mutex
	got []backendRequest
}

// backendRequest is what a proxyBackend saw of one request.
type backendRequest struct {
	Method           string
	URI              string // r.RequestURI: the request-target as sent
	RawPath          string // r.URL.RawPath
	Host             string
	Header           http.Header
	ContentLength    int64
	TransferEncoding []string
	Body             []byte // read only when the backend has no handler of its own
	BodyErr          error
}

// newProxyBackend starts a backend that records each request and then
// calls h. With a nil h it reads the whole body into the record and
// answers 200 "ok".
func newProxyBackend(t testing.TB, h http.HandlerFunc) *proxyBackend {
	t.Helper()
	b := &proxyBackend{}
	b.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := backendRequest{
			Method:           r.Method,
			URI:              r.RequestURI,
			RawPath:          r.URL.RawPath,
			Host:             r.Host,
			Header:           r.Header.Clone(),
			ContentLength:    r.ContentLength,
			TransferEncoding: slices.Clone(r.TransferEncoding),
		}
		if h == nil {
			rec.Body, rec.BodyErr = io.ReadAll(r.Body)
		}
		b.mu.Lock()
		b.got = append(b.got, rec)
		b.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	b.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			b.conns.Add(1)
		}
	}
	b.Start()
	t.Cleanup(b.Close)
	return b
}

// requests returns the requests the backend has received so far.
func (b *proxyBackend) requests() []backendRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.got)
}

// only returns the single request the backend received, failing the test
// if it received another number.
func (b *proxyBackend) only(t testing.TB) backendRequest {
	t.Helper()
	got := b.requests()
	if len(got) != 1 {
		t.Fatalf("backend received %d requests, want 1: %+v", len(got), got)
	}
	return got[0]
}

// serveOnLoopback mounts api on a new gateway and serves it on a loopback
// listener. The gateway and the server are closed when the test ends.
func serveOnLoopback(t testing.TB, api *gateway.API, opts ...gateway.Option) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(mount(t, api, opts...))
	t.Cleanup(srv.Close)
	return srv
}

// proxyRoute returns an API with one HTTPProxy route.
func proxyRoute(key, url string) *gateway.API {
	return &gateway.API{Routes: []gateway.Route{{Key: key, Integration: &gateway.HTTPProxy{URL: url}}}}
}

// patternReader returns n deterministic pseudo-random bytes, generated as
// they are read, so that large bodies never sit in memory.
func patternReader(seed uint64, n int64) io.Reader {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	return io.LimitReader(rand.NewChaCha8(key), n)
}

// sum returns the hex SHA-256 of r and the number of bytes read.
func sum(r io.Reader) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

func TestHTTPProxyURLTemplates(t *testing.T) {
	tests := []struct {
		name   string
		key    string
		url    string // appended to the backend's URL
		target string
		want   string // the request-target the backend receives
	}{
		{"param", "GET /pets/{id}", "/animals/{id}", "/pets/7", "/animals/7"},
		{"param escaped", "GET /pets/{id}", "/animals/{id}", "/pets/a%20b", "/animals/a%20b"},
		{"param with encoded slash", "GET /pets/{id}", "/animals/{id}", "/pets/a%2Fb", "/animals/a%2Fb"},
		{"param with lowercase encoded slash", "GET /pets/{id}", "/animals/{id}", "/pets/a%2fb", "/animals/a%2Fb"},
		{"param and literal suffix", "GET /pets/{id}", "/animals/{id}/info", "/pets/7", "/animals/7/info"},
		{"greedy", "ANY /files/{proxy+}", "/store/{proxy}", "/files/a/b/c.txt", "/store/a/b/c.txt"},
		{"greedy with encoded slash", "ANY /files/{proxy+}", "/store/{proxy}", "/files/a%2Fb/c", "/store/a%2Fb/c"},
		{"greedy with encoded slashes", "ANY /files/{proxy+}", "/store/{proxy}", "/files/a%2F.b%2Fc", "/store/a%2F.b%2Fc"},
		{"greedy with trailing slash", "ANY /files/{proxy+}", "/store/{proxy}", "/files/a/", "/store/a/"},
		{"param and greedy", "ANY /u/{user}/{proxy+}", "/users/{user}/files/{proxy}", "/u/bob/x/y", "/users/bob/files/x/y"},
		{"no path: request path appended", "GET /pets/{id}", "", "/pets/7", "/pets/7"},
		{"no path: canonical path appended", "GET /pets/{id}", "", "/pets//x/../7", "/pets/7"},
		{"no path: encoded slash kept", "GET /pets/{id}", "", "/pets/a%2Fb", "/pets/a%2Fb"},
		{"no path: client query", "GET /pets/{id}", "", "/pets/7?q=1", "/pets/7?q=1"},
		{"template query and client query merged", "GET /pets/{id}", "/animals/{id}?src=gw&v=1", "/pets/7?q=x&q=y", "/animals/7?src=gw&v=1&q=x&q=y"},
		{"template query only", "GET /pets/{id}", "/animals/{id}?src=gw", "/pets/7", "/animals/7?src=gw"},
		{"client query only", "GET /pets/{id}", "/animals/{id}", "/pets/7?q=a%20b", "/animals/7?q=a%20b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := newProxyBackend(t, nil)
			gw := mount(t, proxyRoute(tt.key, be.URL+tt.url))
			resp, body := do(t, gw, "GET", tt.target, nil)
			if resp.StatusCode != http.StatusOK || body != "ok" {
				t.Fatalf("got %d %q", resp.StatusCode, body)
			}
			got := be.only(t)
			if got.URI != tt.want {
				t.Errorf("backend request-target %q, want %q", got.URI, tt.want)
			}
			// An encoded slash must arrive encoded: the backend's URL keeps
			// it in RawPath (its Path has the decoded '/').
			if wantPath, _, _ := strings.Cut(tt.want, "?"); strings.Contains(wantPath, "%2F") && got.RawPath != wantPath {
				t.Errorf("backend RawPath %q, want %q", got.RawPath, wantPath)
			}
			if host := strings.TrimPrefix(be.URL, "http://"); got.Host != host {
				t.Errorf("backend Host %q, want %q", got.Host, host)
			}
		})
	}
}

// rawConn is a client connection that writes raw bytes, so that nothing
// (Go's client included) cleans or fixes the request on the way.
type rawConn struct {
	net.Conn
	br *bufio.Reader
}

func dialRaw(t testing.TB, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &rawConn{Conn: c, br: bufio.NewReader(c)}
}

// send writes s.
func (c *rawConn) send(t testing.TB, s string) {
	t.Helper()
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, s); err != nil {
		t.Fatal(err)
	}
}

// next reads the next response and its body, waiting at most d.
func (c *rawConn) next(d time.Duration) (*http.Response, string, error) {
	_ = c.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return nil, "", err
	}
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

// response reads the next response, failing the test if there is none.
func (c *rawConn) response(t testing.TB) (*http.Response, string) {
	t.Helper()
	resp, body, err := c.next(5 * time.Second)
	if err != nil {
		t.Fatalf("reading response: %v", err)
	}
	return resp, body
}

func TestHTTPProxyHopByHopHeaders(t *testing.T) {
	be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("Connection", "X-Secret-Resp, x-other-resp")
		h.Set("X-Secret-Resp", "s")
		h.Set("X-Other-Resp", "o")
		h.Set("Keep-Alive", "timeout=5")
		h.Set("Proxy-Connection", "keep-alive")
		h.Set("Proxy-Authenticate", `Basic realm="b"`)
		h.Set("X-Kept-Resp", "yes")
	})
	srv := serveOnLoopback(t, proxyRoute("ANY /hop", be.URL))
	const request = "POST /hop HTTP/1.1\r\n" +
		"Host: gw.test\r\n" +
		"Connection: keep-alive, X-Secret, x-other\r\n" +
		"X-Secret: s\r\n" +
		"X-Other: o\r\n" +
		"Keep-Alive: timeout=5\r\n" +
		"Proxy-Connection: keep-alive\r\n" +
		"Proxy-Authorization: Basic Zm9vOmJhcg==\r\n" +
		"TE: trailers, deflate\r\n" +
		"X-Kept: yes\r\n" +
		"Transfer-Encoding: chunked\r\n" +
		"\r\n" +
		"5\r\nhello\r\n0\r\n\r\n"

	// Control: the backend really sends the response headers the gateway
	// must remove, so that the check below is not vacuous.
	direct := dialRaw(t, be.Listener.Addr().String())
	direct.send(t, strings.Replace(request, "/hop", "/", 1))
	resp, _ := direct.response(t)
	for _, k := range []string{"Connection", "X-Secret-Resp", "X-Other-Resp", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate"} {
		if _, ok := resp.Header[k]; !ok {
			t.Fatalf("control: backend does not send %s, got %v", k, resp.Header)
		}
	}
	be.mu.Lock()
	be.got = nil
	be.mu.Unlock()

	c := dialRaw(t, srv.Listener.Addr().String())
	c.send(t, request)
	resp, body := c.response(t)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	got := be.only(t)

	t.Run("request", func(t *testing.T) {
		for _, k := range []string{"Connection", "X-Secret", "X-Other", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Transfer-Encoding"} {
			if v, ok := got.Header[k]; ok {
				t.Errorf("backend got %s: %q", k, v)
			}
		}
		// TE is hop-by-hop, but "trailers" is kept: it says the client
		// accepts trailers, which the gateway passes on.
		if v := got.Header["Te"]; !slices.Equal(v, []string{"trailers"}) {
			t.Errorf("backend got TE %q, want [trailers]", v)
		}
		if v := got.Header["X-Kept"]; !slices.Equal(v, []string{"yes"}) {
			t.Errorf("backend got X-Kept %q, want [yes]", v)
		}
	})
	t.Run("response", func(t *testing.T) {
		for _, k := range []string{"Connection", "X-Secret-Resp", "X-Other-Resp", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate"} {
			if v, ok := resp.Header[k]; ok {
				t.Errorf("client got %s: %q", k, v)
			}
		}
		if v := resp.Header["X-Kept-Resp"]; !slices.Equal(v, []string{"yes"}) {
			t.Errorf("client got X-Kept-Resp %q, want [yes]", v)
		}
	})
}

// TestHTTPProxyRequestFraming checks how request bodies are framed for the
// backend: Transfer-Encoding is hop-by-hop, so the gateway frames each body
// itself. A body that arrives whole in the gateway's first read is sent
// with a Content-Length (see prereadSize in body.go); a longer one streams.
func TestHTTPProxyRequestFraming(t *testing.T) {
	long := strings.Repeat("z", 100<<10) // more than the gateway's first read
	tests := []struct {
		name    string
		request string
		body    string // the body the backend must get
		length  int64  // the backend's r.ContentLength: -1 for chunked
	}{
		{"no body", "GET /f HTTP/1.1\r\nHost: gw\r\n\r\n", "", 0},
		{"Content-Length", "POST /f HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\nhello", "hello", 5},
		{"chunked, empty", "POST /f HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "", 0},
		{"chunked, arrives whole", "POST /f HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world", 11},
		{"chunked, longer than the first read", "POST /f HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n" +
			strconv.FormatInt(int64(len(long)), 16) + "\r\n" + long + "\r\n0\r\n\r\n", long, -1},
		{"Content-Length, longer than the first read", "POST /f HTTP/1.1\r\nHost: gw\r\nContent-Length: " +
			strconv.Itoa(len(long)) + "\r\n\r\n" + long, long, int64(len(long))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := newProxyBackend(t, nil)
			srv := serveOnLoopback(t, proxyRoute("ANY /f", be.URL))
			c := dialRaw(t, srv.Listener.Addr().String())
			c.send(t, tt.request)
			if resp, body := c.response(t); resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d %s", resp.StatusCode, body)
			}
			got := be.only(t)
			if got.BodyErr != nil || string(got.Body) != tt.body {
				t.Errorf("backend body %.40q (%d bytes), error %v; want %.40q (%d bytes)", got.Body, len(got.Body), got.BodyErr, tt.body, len(tt.body))
			}
			chunked := slices.Equal(got.TransferEncoding, []string{"chunked"})
			if got.ContentLength != tt.length || chunked != (tt.length < 0) || len(got.TransferEncoding) > 1 {
				t.Errorf("backend framing: Content-Length %d, Transfer-Encoding %q; want Content-Length %d", got.ContentLength, got.TransferEncoding, tt.length)
			}
			if v := got.Header["Transfer-Encoding"]; v != nil {
				t.Errorf("backend got a Transfer-Encoding header %q", v)
			}
		})
	}
}

func TestHTTPProxyForwardingHeaders(t *testing.T) {
	trusted := gateway.WithTrustedProxies(netip.MustParsePrefix("127.0.0.0/8"))
	// Every header a client may send that the gateway sets itself.
	spoofed := []string{
		"X-Forwarded-Proto", "https",
		"X-Forwarded-Host", "api.example.com",
		"X-Forwarded-Port", "8443",
		"Forwarded", "for=203.0.113.66;proto=https;host=evil.example",
		"X-Real-Ip", "203.0.113.66",
		"X-Request-Id", "client-chosen-id",
	}
	tests := []struct {
		name    string
		trusted bool
		header  []string // name, value pairs the client sends
		xff     string   // X-Forwarded-For the backend must get
		source  string   // gateway.SourceIP
		proto   string   // X-Forwarded-Proto the backend must get
		host    string   // X-Forwarded-Host the backend must get; "" for the gateway's own host
	}{
		{name: "untrusted peer, nothing sent", xff: "127.0.0.1", source: "127.0.0.1", proto: "http"},
		{
			name:   "untrusted peer, client values replaced",
			header: append([]string{"X-Forwarded-For", "203.0.113.7", "X-Forwarded-For", "198.51.100.2"}, spoofed...),
			xff:    "127.0.0.1", source: "127.0.0.1", proto: "http",
		},
		{name: "trusted peer, nothing sent", trusted: true, xff: "127.0.0.1", source: "127.0.0.1", proto: "http"},
		{
			name: "trusted peer, chain kept and extended", trusted: true,
			header: append([]string{"X-Forwarded-For", "203.0.113.7, 198.51.100.2"}, spoofed...),
			xff:    "203.0.113.7, 198.51.100.2, 127.0.0.1", source: "198.51.100.2", proto: "https", host: "api.example.com",
		},
		{
			name: "trusted peer, chain over two lines", trusted: true,
			header: []string{"X-Forwarded-For", "203.0.113.7", "X-Forwarded-For", "198.51.100.2"},
			xff:    "203.0.113.7,198.51.100.2, 127.0.0.1", source: "198.51.100.2", proto: "http",
		},
		{
			name: "trusted peer, trusted hops skipped", trusted: true,
			header: []string{"X-Forwarded-For", "203.0.113.7, 127.0.0.9"},
			xff:    "203.0.113.7, 127.0.0.9, 127.0.0.1", source: "203.0.113.7", proto: "http",
		},
		{
			// Everything left of the right-most untrusted hop may have
			// been written by the client.
			name: "trusted peer, spoofed left part ignored", trusted: true,
			header: []string{"X-Forwarded-For", "10.66.66.66, 203.0.113.7"},
			xff:    "10.66.66.66, 203.0.113.7, 127.0.0.1", source: "203.0.113.7", proto: "http",
		},
		{
			name: "trusted peer, malformed hop", trusted: true,
			header: []string{"X-Forwarded-For", "203.0.113.7, not-an-ip"},
			xff:    "203.0.113.7, not-an-ip, 127.0.0.1", source: "127.0.0.1", proto: "http",
		},
		{
			name: "trusted peer, bad proto and host ignored", trusted: true,
			header: []string{"X-Forwarded-Proto", "gopher", "X-Forwarded-Host", "evil.example/x?y"},
			xff:    "127.0.0.1", source: "127.0.0.1", proto: "http",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", "backend-chosen-id")
			})
			var opts []gateway.Option
			if tt.trusted {
				opts = append(opts, trusted)
			}
			api := &gateway.API{Routes: []gateway.Route{{Key: "GET /fwd", Integration: &gateway.HTTPProxy{
				URL: be.URL,
				Rewrite: func(pr *httputil.ProxyRequest) {
					pr.Out.Header.Set("X-Test-Source-Ip", gateway.SourceIP(pr.In.Context()))
				},
			}}}}
			srv := serveOnLoopback(t, api, opts...)
			req, err := http.NewRequest("GET", srv.URL+"/fwd", nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i+1 < len(tt.header); i += 2 {
				req.Header.Add(tt.header[i], tt.header[i+1])
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := be.only(t).Header

			wantHost := tt.host
			if wantHost == "" {
				wantHost = srv.Listener.Addr().String()
			}
			for k, want := range map[string]string{
				"X-Forwarded-For":   tt.xff,
				"X-Forwarded-Proto": tt.proto,
				"X-Forwarded-Host":  wantHost,
				"X-Test-Source-Ip":  tt.source,
			} {
				if v := got[k]; len(v) != 1 || v[0] != want {
					t.Errorf("backend got %s %q, want exactly [%q]", k, v, want)
				}
			}
			for _, k := range []string{"Forwarded", "X-Real-Ip", "X-Forwarded-Port"} {
				if v, ok := got[k]; ok {
					t.Errorf("backend got %s %q", k, v)
				}
			}
			id := resp.Header.Values("X-Request-Id")
			if len(id) != 1 || id[0] == "" || id[0] == "backend-chosen-id" || id[0] == "client-chosen-id" {
				t.Fatalf("response X-Request-Id %q, want exactly the gateway's", id)
			}
			if v := got["X-Request-Id"]; len(v) != 1 || v[0] != id[0] {
				t.Errorf("backend got X-Request-Id %q, want [%q] (the response's)", v, id[0])
			}
		})
	}
}

func TestHTTPProxyLargeBodies(t *testing.T) {
	const size = 64 << 20
	want, _, _ := sum(patternReader(1, size))
	be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/up":
			s, n, err := sum(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprintf(w, "%d %s", n, s)
		case "/down":
			if r.URL.Query().Has("length") {
				w.Header().Set("Content-Length", strconv.Itoa(size))
			}
			_, _ = io.Copy(w, patternReader(1, size))
		}
	})
	srv := serveOnLoopback(t, &gateway.API{MaxBodyBytes: -1, Routes: []gateway.Route{
		{Key: "ANY /{proxy+}", Integration: &gateway.HTTPProxy{URL: be.URL}},
	}})
	tests := []struct {
		name   string
		method string
		target string
		body   io.Reader // nil for a download
		length int64     // the request's ContentLength: -1 to stream it chunked
	}{
		{"upload chunked", "POST", "/up", patternReader(1, size), -1},
		{"upload with Content-Length", "POST", "/up", patternReader(1, size), size},
		{"download chunked", "GET", "/down", nil, 0},
		{"download with Content-Length", "GET", "/down?length", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.target, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != nil {
				req.Body, req.ContentLength = io.NopCloser(tt.body), tt.length
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("got %d %s", resp.StatusCode, b)
			}
			var got string
			if tt.body != nil {
				b, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				got = string(b)
			} else {
				s, n, err := sum(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				got = fmt.Sprintf("%d %s", n, s)
			}
			if w := fmt.Sprintf("%d %s", size, want); got != w {
				t.Errorf("got %q, want %q", got, w)
			}
		})
	}
}

// streamWait bounds how long a streaming test waits for the first part of
// a body: a gateway that buffers bodies fails after it instead of hanging.
const streamWait = 5 * time.Second

func TestHTTPProxyStreamsRequestBody(t *testing.T) {
	first := []byte(strings.Repeat("a", 1000))
	rest := []byte(strings.Repeat("b", 300<<10))
	gotFirst := make(chan struct{})
	be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, len(first))
		if _, err := io.ReadFull(r.Body, buf); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		close(gotFirst)
		s, n, err := sum(io.MultiReader(strings.NewReader(string(buf)), r.Body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "%d %s", n, s)
	})
	srv := serveOnLoopback(t, proxyRoute("POST /up", be.URL))

	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", srv.URL+"/up", pr)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := srv.Client().Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		done <- result{resp.StatusCode, string(b), err}
	}()

	if _, err := pw.Write(first); err != nil {
		t.Fatal(err)
	}
	select {
	case <-gotFirst:
	case <-time.After(streamWait):
		pw.CloseWithError(errors.New("test gave up"))
		<-done
		t.Fatal("the backend did not get the first part of the body before the client sent the rest: the gateway buffers request bodies")
	}
	if _, err := pw.Write(rest); err != nil {
		t.Fatal(err)
	}
	_ = pw.Close()

	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	want, n, _ := sum(io.MultiReader(strings.NewReader(string(first)), strings.NewReader(string(rest))))
	if w := fmt.Sprintf("%d %s", n, want); res.status != http.StatusOK || res.body != w {
		t.Errorf("got %d %q, want 200 %q", res.status, res.body, w)
	}
	if got := be.only(t); got.ContentLength != -1 || !slices.Equal(got.TransferEncoding, []string{"chunked"}) {
		t.Errorf("backend framing: Content-Length %d, Transfer-Encoding %q; want a chunked stream", got.ContentLength, got.TransferEncoding)
	}
}

func TestHTTPProxyStreamsResponseBody(t *testing.T) {
	const first, rest = "first part;", "second part"
	clientRead := make(chan struct{})
	var waited atomic.Bool // the backend saw the client read the first part
	be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, first)
		if err := http.NewResponseController(w).Flush(); err != nil {
			return
		}
		select {
		case <-clientRead:
			waited.Store(true)
			_, _ = io.WriteString(w, rest)
		case <-time.After(streamWait):
		case <-r.Context().Done():
		}
	})
	srv := serveOnLoopback(t, proxyRoute("GET /down", be.URL))

	resp, err := srv.Client().Get(srv.URL + "/down")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, len(first))
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	close(clientRead)
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !waited.Load() {
		t.Fatal("the client got the first part only after the backend gave up waiting: the gateway buffers response bodies")
	}
	if got := string(buf) + string(b); resp.StatusCode != http.StatusOK || got != first+rest {
		t.Errorf("got %d %q, want 200 %q", resp.StatusCode, got, first+rest)
	}
}

func TestHTTPProxyKeepAlive(t *testing.T) {
	const requests = 50
	tests := []struct {
		name   string
		method string
		body   func() io.Reader
	}{
		{"GET", "GET", func() io.Reader { return nil }},
		{"POST, small body", "POST", func() io.Reader { return strings.NewReader("hello") }},
		// Larger than the gateway's first read of a body, so it streams.
		{"POST, streamed body", "POST", func() io.Reader { return patternReader(2, 200<<10) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be := newProxyBackend(t, nil)
			gw := mount(t, proxyRoute("ANY /ka", be.URL))
			for i := range requests {
				resp, body := do(t, gw, tt.method, "/ka", tt.body())
				if resp.StatusCode != http.StatusOK || body != "ok" {
					t.Fatalf("request %d: got %d %q", i, resp.StatusCode, body)
				}
			}
			if n := len(be.requests()); n != requests {
				t.Fatalf("backend got %d requests, want %d", n, requests)
			}
			if n := be.conns.Load(); n > 2 {
				t.Errorf("%d sequential requests opened %d backend connections, want at most 2", requests, n)
			}
		})
	}
}

func TestHTTPProxyErrors(t *testing.T) {
	const timeout = 50 * time.Millisecond

	t.Run("backend unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close() // nothing listens there now
		logger, logs := testLogger()
		gw := mount(t, proxyRoute("GET /x", "http://"+addr), gateway.WithLogger(logger))
		resp, body := do(t, gw, "GET", "/x", nil)
		if resp.StatusCode != http.StatusBadGateway || body != `{"message":"Bad Gateway"}` {
			t.Errorf("got %d %s, want 502 {\"message\":\"Bad Gateway\"}", resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.Contains(logs.String(), "INTEGRATION_FAILURE") {
			t.Errorf("log %q does not report the failure", logs.String())
		}
	})

	t.Run("backend drops the connection", func(t *testing.T) {
		be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
			c, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = c.Close()
			}
		})
		logger, _ := testLogger()
		gw := mount(t, proxyRoute("GET /x", be.URL), gateway.WithLogger(logger))
		resp, body := do(t, gw, "GET", "/x", nil)
		if resp.StatusCode != http.StatusBadGateway || body != `{"message":"Bad Gateway"}` {
			t.Errorf("got %d %s, want 502 {\"message\":\"Bad Gateway\"}", resp.StatusCode, body)
		}
	})

	t.Run("backend slower than the timeout", func(t *testing.T) {
		release := make(chan struct{})
		be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		t.Cleanup(func() { close(release) }) // runs before the backend closes
		logger, _ := testLogger()
		gw := mount(t, &gateway.API{Routes: []gateway.Route{{Key: "GET /x", Integration: &gateway.HTTPProxy{URL: be.URL}, Timeout: timeout}}}, gateway.WithLogger(logger))
		start := time.Now()
		resp, body := do(t, gw, "GET", "/x", nil)
		if resp.StatusCode != http.StatusGatewayTimeout || body != `{"message":"Endpoint request timed out"}` {
			t.Errorf("got %d %s, want 504 {\"message\":\"Endpoint request timed out\"}", resp.StatusCode, body)
		}
		if d := time.Since(start); d < timeout || d > streamWait {
			t.Errorf("answered after %v with a timeout of %v", d, timeout)
		}
	})

	t.Run("body slower than the timeout after headers", func(t *testing.T) {
		const head, tail = "headers came in time;", "the body took longer"
		more := make(chan struct{})
		be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, head)
			_ = http.NewResponseController(w).Flush()
			select {
			case <-more:
				_, _ = io.WriteString(w, tail)
			case <-r.Context().Done():
			}
		})
		srv := serveOnLoopback(t, &gateway.API{Routes: []gateway.Route{{Key: "GET /x", Integration: &gateway.HTTPProxy{URL: be.URL}, Timeout: timeout}}})
		resp, err := srv.Client().Get(srv.URL + "/x")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		buf := make([]byte, len(head))
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			t.Fatal(err)
		}
		time.Sleep(4 * timeout) // well past the timeout, mid-body
		close(more)
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("body cut after %q: %v", buf, err)
		}
		if got := string(buf) + string(b); resp.StatusCode != http.StatusOK || got != head+tail {
			t.Errorf("got %d %q, want 200 %q", resp.StatusCode, got, head+tail)
		}
	})
}

func TestHTTPProxyBodyLimit(t *testing.T) {
	const limit = 1000
	api := func(url string) *gateway.API {
		return &gateway.API{MaxBodyBytes: limit, Routes: []gateway.Route{{Key: "POST /up", Integration: &gateway.HTTPProxy{URL: url}}}}
	}
	const tooLong = `{"message":"Request Too Long"}`

	t.Run("Content-Length at the limit", func(t *testing.T) {
		be := newProxyBackend(t, nil)
		resp, body := do(t, mount(t, api(be.URL)), "POST", "/up", strings.NewReader(strings.Repeat("x", limit)))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		if got := be.only(t); len(got.Body) != limit {
			t.Errorf("backend got %d bytes, want %d", len(got.Body), limit)
		}
	})

	t.Run("Content-Length over the limit", func(t *testing.T) {
		be := newProxyBackend(t, nil)
		resp, body := do(t, mount(t, api(be.URL)), "POST", "/up", strings.NewReader(strings.Repeat("x", limit+1)))
		if resp.StatusCode != http.StatusRequestEntityTooLarge || body != tooLong {
			t.Errorf("got %d %s, want 413 %s", resp.StatusCode, body, tooLong)
		}
		if n := len(be.requests()); n != 0 {
			t.Errorf("backend called %d times", n)
		}
	})

	t.Run("chunked over the limit", func(t *testing.T) {
		be := newProxyBackend(t, nil)
		srv := serveOnLoopback(t, api(be.URL))
		c := dialRaw(t, srv.Listener.Addr().String())
		data := strings.Repeat("x", 2*limit)
		c.send(t, "POST /up HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n"+
			strconv.FormatInt(int64(len(data)), 16)+"\r\n"+data+"\r\n0\r\n\r\n")
		resp, body := c.response(t)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || body != tooLong {
			t.Errorf("got %d %s, want 413 %s", resp.StatusCode, body, tooLong)
		}
		if n := len(be.requests()); n != 0 {
			t.Errorf("backend called %d times", n)
		}
	})

	t.Run("chunked over the limit after streaming began", func(t *testing.T) {
		gotFirst := make(chan struct{})
		var bodyErr error
		be := newProxyBackend(t, func(w http.ResponseWriter, r *http.Request) {
			buf := make([]byte, 100)
			if _, err := io.ReadFull(r.Body, buf); err != nil {
				bodyErr = err
				close(gotFirst)
				return
			}
			close(gotFirst)
			_, bodyErr = io.ReadAll(r.Body)
		})
		srv := serveOnLoopback(t, api(be.URL))
		c := dialRaw(t, srv.Listener.Addr().String())
		c.send(t, "POST /up HTTP/1.1\r\nHost: gw.test\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n"+strings.Repeat("x", 100)+"\r\n")
		select {
		case <-gotFirst:
		case <-time.After(streamWait):
			t.Fatal("the backend did not get the first chunk")
		}
		data := strings.Repeat("y", 2*limit)
		c.send(t, strconv.FormatInt(int64(len(data)), 16)+"\r\n"+data+"\r\n0\r\n\r\n")
		resp, body := c.response(t)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || body != tooLong {
			t.Errorf("got %d %s, want 413 %s", resp.StatusCode, body, tooLong)
		}
		srv.Close()
		be.Close() // waits for the handler: bodyErr is set
		// The backend had the start of the body, but never a whole one.
		if bodyErr == nil {
			t.Error("backend read a complete body")
		}
	})
}
