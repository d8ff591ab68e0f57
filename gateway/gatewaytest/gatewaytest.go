package gatewaytest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gatekit/gatekit/gateway"
	"github.com/gatekit/gatekit/internal/clocktest"
)

// RemoteAddr is the peer address of requests sent by [Client] and [Do]
// (an address of TEST-NET-1, RFC 5737).
const RemoteAddr = "192.0.2.1:41000"

// Clock is a fake clock for gateway.WithClock: NewClock, Now, Set and
// Advance. Its zero value reads the zero time; it is safe for concurrent
// use.
type Clock = clocktest.Clock

// NewClock returns a Clock that reads t.
func NewClock(t time.Time) *Clock { return clocktest.NewClock(t) }

// Client returns an http.Client that serves its requests with h in
// process. Each request reaches h as a server would hand it over: with
// RequestURI, Host and RemoteAddr (see [RemoteAddr]) set. Responses are
// recorded whole before they are returned.
func Client(h http.Handler) *http.Client {
	return &http.Client{Transport: roundTripper{h}}
}

type roundTripper struct{ h http.Handler }

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || req.URL.Host == "" {
		return nil, fmt.Errorf("gatewaytest: request URL %q has no host", req.URL)
	}
	r := req.Clone(req.Context())
	r.RequestURI = req.URL.RequestURI()
	r.Host = req.URL.Host
	if req.Host != "" {
		r.Host = req.Host
	}
	r.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	switch {
	case r.Body == nil || r.Body == http.NoBody:
		r.Body, r.ContentLength = http.NoBody, 0
	case r.ContentLength == 0:
		r.ContentLength = -1 // a client's 0 with a body means unknown
	}
	resp := Do(rt.h, r)
	if req.Body != nil {
		_ = req.Body.Close()
	}
	resp.Request = req
	return resp, nil
}

// Do serves r with h and returns the recorded response. A request without
// RemoteAddr gets [RemoteAddr].
func Do(h http.Handler, r *http.Request) *http.Response {
	if r.RemoteAddr == "" {
		r.RemoteAddr = RemoteAddr
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Result()
}

// Call is one request a [Recorder] received.
type Call struct {
	Method   string
	Path     string // the request path relative to the API, escaped
	RawQuery string
	Header   http.Header
	Body     []byte

	RouteKey       string
	PathParams     map[string]string
	RequestID      string
	Stage          string
	StageVariables map[string]string
	SourceIP       string
}

// Recorder is an integration that records the requests it receives and
// answers each with Status, Header and Body. Its zero value answers 200
// with no body. It is safe for concurrent use.
type Recorder struct {
	// Status is the answer's status. If zero, 200.
	Status int
	// Header holds the answer's headers.
	Header http.Header
	// Body is the answer's body.
	Body string

	mu    sync.Mutex
	calls []Call
}

var _ gateway.Integration = (*Recorder)(nil)

// Bind returns the handler that records and answers.
func (rec *Recorder) Bind(*gateway.Binding) (http.Handler, error) {
	return gateway.Handler(http.HandlerFunc(rec.serve)).Bind(&gateway.Binding{})
}

func (rec *Recorder) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		gateway.WriteError(w, r, &gateway.Error{Type: gateway.BadRequestBody, Err: err})
		return
	}
	ctx := r.Context()
	rec.mu.Lock()
	rec.calls = append(rec.calls, Call{
		Method:         r.Method,
		Path:           r.URL.EscapedPath(),
		RawQuery:       r.URL.RawQuery,
		Header:         r.Header.Clone(),
		Body:           body,
		RouteKey:       gateway.RouteKey(ctx),
		PathParams:     gateway.PathParams(ctx),
		RequestID:      gateway.RequestID(ctx),
		Stage:          gateway.StageName(ctx),
		StageVariables: gateway.StageVariables(ctx),
		SourceIP:       gateway.SourceIP(ctx),
	})
	rec.mu.Unlock()
	for k, vs := range rec.Header {
		w.Header()[k] = append([]string(nil), vs...)
	}
	status := rec.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, rec.Body)
}

// Calls returns a copy of the calls received so far, oldest first.
func (rec *Recorder) Calls() []Call {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]Call(nil), rec.calls...)
}

// Swap replaces the integration of the route whose key is routeKey in api
// and returns the one it replaced. Mount the API afterwards for the swap
// to take effect.
func Swap(api *gateway.API, routeKey string, with gateway.Integration) (gateway.Integration, error) {
	want := strings.Join(strings.Fields(routeKey), " ")
	for i := range api.Routes {
		if strings.Join(strings.Fields(api.Routes[i].Key), " ") == want {
			old := api.Routes[i].Integration
			api.Routes[i].Integration = with
			return old, nil
		}
	}
	return nil, fmt.Errorf("gatewaytest: API %q has no route %q", api.Name, routeKey)
}
