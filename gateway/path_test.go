package gateway_test

import (
	"bufio"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gatekit/gatekit/gateway"
)

// resolvesTo reports whether the request-target a backend received names
// path once its dot segments are resolved (RFC 3986 §5.2.4), ignoring case
// and decoding every escape but %2F (an encoded slash is data inside a
// segment, never a separator; the gateway refuses paths where one hides a
// dot segment).
func resolvesTo(target, path string) bool {
	p, _, _ := strings.Cut(target, "?")
	var out []string
	for _, seg := range strings.Split(p, "/")[1:] {
		if s, err := url.PathUnescape(strings.ReplaceAll(strings.ReplaceAll(seg, "%2F", "%252F"), "%2f", "%252f")); err == nil {
			seg = s
		}
		switch seg {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	got := "/" + strings.Join(out, "/")
	return strings.EqualFold(strings.TrimSuffix(got, "/"), strings.TrimSuffix(path, "/"))
}

// TestPathHoles sends raw request-targets that try to reach GET /admin
// around its check through a proxy route, or to make the proxy route send
// the backend to /admin.
func TestPathHoles(t *testing.T) {
	type outcome int
	const (
		admin         outcome = iota // served by the admin route, with its check
		public                       // proxied by the public route
		notFound                     // no route: 404
		badRequest                   // a path the gateway refuses: 400
		serverRefuses                // a request-target net/http refuses: 400
	)
	tests := []struct {
		target  string
		want    outcome
		backend string // for public: the exact request-target the backend gets
	}{
		{"/admin", admin, ""},
		{"/public/..%2Fadmin", badRequest, ""},
		{"/public/%2e%2e/admin", admin, ""},
		{"/public/%2E%2E/admin", admin, ""},
		{"//admin", admin, ""},
		{"/public/../admin", admin, ""},
		{"/./admin", admin, ""},
		{"/public/%2e%2e%2fadmin", badRequest, ""},
		{"/admin%2F", notFound, ""},
		{"/ADMIN", notFound, ""},
		{"/public/.%2e/admin", admin, ""},
		{"/public/%2e%2e/%2e%2e/admin", admin, ""},
		{"/public/x/../../admin", admin, ""},
		{"/public/../../../admin", admin, ""},
		{"/admin/", admin, ""},
		{"/admin/.", admin, ""},
		{"/%61dmin", admin, ""},
		{"/admin?x=1", admin, ""},
		{"http://gw.test/admin", admin, ""},
		{"/public/..%2f..%2fadmin", badRequest, ""},
		{"/public/x%2F..%2F..%2Fadmin", badRequest, ""},
		{"/public/%252e%252e/admin", public, "/public/%252e%252e/admin"},
		{"/public/%5C..%5Cadmin", badRequest, ""},
		{"/public/%2e%2e%5cadmin", badRequest, ""},
		// ";" is data in a segment, but a backend that strips path
		// parameters before resolving (Tomcat, Jetty) reads "..;" as "..":
		// the gateway refuses it, as it refuses dot segments behind
		// encoded or raw backslashes.
		{"/public/..;/admin", badRequest, ""},
		{"/public/a;v=1/b", public, "/public/a;v=1/b"},
		{"/public/a%2Fb", public, "/public/a%2Fb"},
		{`/public\..\admin`, badRequest, ""},
		{"/admin#frag", notFound, ""}, // '#' is data in a request-target
		{"/admin;", notFound, ""},
		{"/public/%2e%2e", notFound, ""}, // resolves to "/"
		{"/admin%00", badRequest, ""},
		{"/admin%zz", serverRefuses, ""}, // net/http: invalid URL escape
	}
	for _, tt := range tests {
		for _, allowed := range []bool{false, true} {
			name := tt.target
			if allowed {
				name += " with X-Admin"
			}
			t.Run(name, func(t *testing.T) {
				var adminRuns, adminAllowed atomic.Int32
				adminHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					adminRuns.Add(1)
					if r.Header.Get("X-Admin") != "yes" {
						gateway.WriteError(w, r, &gateway.Error{Type: gateway.AccessDenied})
						return
					}
					adminAllowed.Add(1)
					_, _ = io.WriteString(w, "admin")
				})
				be := newProxyBackend(t, nil)
				srv := serveOnLoopback(t, &gateway.API{Routes: []gateway.Route{
					{Key: "GET /admin", Integration: gateway.Handler(adminHandler)},
					{Key: "ANY /public/{proxy+}", Integration: &gateway.HTTPProxy{URL: be.URL + "/public/{proxy}"}},
				}})
				c := dialRaw(t, srv.Listener.Addr().String())
				header := ""
				if allowed {
					header = "X-Admin: yes\r\n"
				}
				c.send(t, "GET "+tt.target+" HTTP/1.1\r\nHost: gw.test\r\n"+header+"\r\n")
				resp, body := c.response(t)
				got := be.requests()

				// What must never happen, whatever the case.
				if resp.StatusCode == http.StatusOK && body == "admin" && adminAllowed.Load() == 0 {
					t.Errorf("200 from the admin route without its check")
				}
				for _, r := range got {
					if resolvesTo(r.URI, "/admin") {
						t.Errorf("backend got a request for /admin: %s", r.URI)
					}
				}

				switch tt.want {
				case admin:
					wantStatus, wantBody := http.StatusForbidden, `{"message":"Forbidden"}`
					if allowed {
						wantStatus, wantBody = http.StatusOK, "admin"
					}
					if resp.StatusCode != wantStatus || body != wantBody || adminRuns.Load() != 1 || len(got) != 0 {
						t.Errorf("got %d %q (admin ran %d times, backend got %d requests), want %d %q from the admin route",
							resp.StatusCode, body, adminRuns.Load(), len(got), wantStatus, wantBody)
					}
				case public:
					if resp.StatusCode != http.StatusOK || body != "ok" || adminRuns.Load() != 0 || len(got) != 1 {
						t.Fatalf("got %d %q (admin ran %d times, backend got %d requests), want the backend's 200",
							resp.StatusCode, body, adminRuns.Load(), len(got))
					}
					if got[0].URI != tt.backend {
						t.Errorf("backend got %s, want %s", got[0].URI, tt.backend)
					}
				case serverRefuses:
					if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("X-Request-Id") != "" || adminRuns.Load() != 0 || len(got) != 0 {
						t.Errorf("got %d %q (admin ran %d times, backend got %d requests), want net/http's 400",
							resp.StatusCode, body, adminRuns.Load(), len(got))
					}
				case notFound, badRequest:
					wantStatus, wantBody := http.StatusNotFound, `{"message":"Not Found"}`
					if tt.want == badRequest {
						wantStatus, wantBody = http.StatusBadRequest, `{"message":"Invalid request path"}`
					}
					if resp.StatusCode != wantStatus || body != wantBody || adminRuns.Load() != 0 || len(got) != 0 {
						t.Errorf("got %d %q (admin ran %d times, backend got %d requests), want %d %q",
							resp.StatusCode, body, adminRuns.Load(), len(got), wantStatus, wantBody)
					}
				}
			})
		}
	}
}

func TestResolvesTo(t *testing.T) {
	tests := []struct {
		target string
		want   bool
	}{
		{"/admin", true},
		{"/admin/", true},
		{"/ADMIN", true},
		{"/public/../admin", true},
		{"/public/%2e%2e/admin", true},
		{"/%61dmin?x", true},
		{"/public/..%2Fadmin", false},
		{"/public/..%2fadmin", false},
		{"/public/admin", false},
		{"/admin%2F", false},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			if got := resolvesTo(tt.target, "/admin"); got != tt.want {
				t.Errorf("resolvesTo(%q) = %v", tt.target, got)
			}
		})
	}
}

// roundTripperFunc adapts a function to http.RoundTripper.
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// pathReport is what the fuzzed gateway's routes answer with.
type pathReport struct {
	Route     string            `json:"route"`
	Params    map[string][]byte `json:"params"`    // gateway.PathParam, as bytes: values need not be UTF-8
	PathValue map[string][]byte `json:"pathValue"` // r.PathValue
	Escaped   string            `json:"escaped"`   // the path the handler sees
}

func FuzzGatewayPath(f *testing.F) {
	for _, s := range []string{
		"/items/7", "/items/a%2Fb", "/items/a%2fb/detail/c", "/items/%2e%2e", "/items/..%2F..%2Fx",
		"/items/a%252Fb", "/items/x/../y", "//items//7", "/items/%zz", "/items/%00", "/items/a b",
		"/files/a/b", "/files/..%2Fx", "/files/%2e%2e/%2e%2e/x", "/files/", "/files/a/", "/files/a%2F..%2F..",
		"/static/file", "/static/./file", "/", "", "*", "http://h/items/7", "/items/%C3%A9", "/items/%B6", "/items/\x7f",
	} {
		f.Add(s)
	}
	report := func(route string, names ...string) gateway.Integration {
		return gateway.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rep := pathReport{Route: route, Params: map[string][]byte{}, PathValue: map[string][]byte{}, Escaped: r.URL.EscapedPath()}
			for _, n := range names {
				rep.Params[n] = []byte(gateway.PathParam(r.Context(), n))
				rep.PathValue[n] = []byte(r.PathValue(n))
			}
			_ = json.NewEncoder(w).Encode(rep)
		}))
	}
	// The proxy route's backend is a RoundTripper that reports the
	// request-target it would have sent.
	backend := roundTripperFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"X-Backend-Target": {r.URL.RequestURI()}, "X-Backend-Path": {r.URL.Path}},
			Body:       http.NoBody,
			Request:    r,
		}, nil
	})
	gw := mount(f, &gateway.API{Routes: []gateway.Route{
		{Key: "GET /items/{id}", Integration: report("item", "id")},
		{Key: "GET /items/{id}/detail/{part}", Integration: report("detail", "id", "part")},
		{Key: "GET /static/file", Integration: report("static")},
		{Key: "ANY /files/{proxy+}", Integration: &gateway.HTTPProxy{URL: "http://backend.test/store/{proxy}"}},
	}}, gateway.WithTransport(backend), gateway.WithLogger(slog.New(slog.DiscardHandler)))

	f.Fuzz(func(t *testing.T, target string) {
		var reqs []*http.Request
		// As Go's server parses a request line.
		if r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: gw.test\r\n\r\n"))); err == nil {
			reqs = append(reqs, r)
		}
		// As a caller that sets the decoded path.
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.Path, r.URL.RawPath = target, ""
		reqs = append(reqs, r)
		// As a caller that sets both forms.
		if p, err := url.PathUnescape(target); err == nil {
			r := httptest.NewRequest("GET", "/", nil)
			r.URL.Path, r.URL.RawPath = p, target
			reqs = append(reqs, r)
		}
		for _, r := range reqs {
			if r.RemoteAddr == "" {
				r.RemoteAddr = "192.0.2.1:1234"
			}
			checkFuzzedPath(t, gw, r)
		}
	})
}

// checkFuzzedPath serves r and checks the invariants of path handling.
func checkFuzzedPath(t *testing.T, gw http.Handler, r *http.Request) {
	t.Helper()
	escaped := r.URL.EscapedPath() // what the gateway works from
	rec := httptest.NewRecorder()
	gw.ServeHTTP(rec, r)
	switch rec.Code {
	case http.StatusOK, http.StatusBadRequest, http.StatusNotFound:
	default:
		t.Fatalf("%q: status %d %s", escaped, rec.Code, rec.Body)
	}
	if rec.Code != http.StatusOK {
		return
	}
	if target := rec.Header().Get("X-Backend-Target"); target != "" {
		// The proxy route: the backend target stays under /store/, and no
		// dot segment or empty segment reaches it.
		p, _, _ := strings.Cut(target, "?")
		if !strings.HasPrefix(p, "/store/") {
			t.Fatalf("%q: backend target %q", escaped, target)
		}
		for _, seg := range strings.Split(p, "/")[1:] {
			if d, err := url.PathUnescape(seg); err == nil && (d == "." || d == "..") {
				t.Fatalf("%q: backend target %q has a dot segment", escaped, target)
			}
		}
		if strings.Contains(strings.TrimSuffix(p, "/"), "//") {
			t.Fatalf("%q: backend target %q has an empty segment", escaped, target)
		}
		if d, err := url.PathUnescape(p); err != nil || d != rec.Header().Get("X-Backend-Path") {
			t.Fatalf("%q: backend target %q does not decode to its URL.Path %q", escaped, target, rec.Header().Get("X-Backend-Path"))
		}
		return
	}
	var rep pathReport
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
		t.Fatalf("%q: %v: %s", escaped, err, rec.Body)
	}
	segs := strings.Split(strings.TrimSuffix(rep.Escaped, "/"), "/")
	for i, name := range map[string][]string{"item": {"id"}, "detail": {"id", "part"}}[rep.Route] {
		v := string(rep.Params[name])
		// A '/' in a value can only come from an encoded slash.
		if n := strings.Count(v, "/"); n > 0 && n > strings.Count(strings.ToUpper(escaped), "%2F") {
			t.Fatalf("%q: {%s} = %q has a '/' that was not %%2F", escaped, name, v)
		}
		// The value is its segment of the path the handler sees, decoded.
		seg := segs[2+2*i]
		if d, err := url.PathUnescape(seg); err != nil || d != v || strings.Contains(seg, "/") {
			t.Fatalf("%q: {%s} = %q, but its segment is %q", escaped, name, v, seg)
		}
		if pv := string(rep.PathValue[name]); pv != v {
			t.Fatalf("%q: r.PathValue(%q) = %q, PathParam = %q", escaped, name, pv, v)
		}
		if v == "" || v == "." || v == ".." {
			t.Fatalf("%q: {%s} = %q", escaped, name, v)
		}
	}
}
