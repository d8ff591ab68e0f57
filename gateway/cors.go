package gateway

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CORS is an API's cross-origin resource sharing configuration, as HTTP
// APIs of the managed service have it. The gateway answers preflight
// requests itself (whatever the routes) and sets the CORS headers on every
// response to an allowed origin, gateway errors included; CORS headers
// sent by integrations are replaced by these.
type CORS struct {
	// AllowOrigins lists the allowed origins ("https://example.com"), or
	// "*" for any. A request from another origin gets no CORS headers.
	AllowOrigins []string
	// AllowMethods lists the methods a preflight allows, or "*". If empty,
	// the method asked for is not allowed.
	AllowMethods []string
	// AllowHeaders lists the request headers a preflight allows, or "*".
	AllowHeaders []string
	// ExposeHeaders lists the response headers scripts may read.
	ExposeHeaders []string
	// AllowCredentials lets requests carry cookies and credentials. It
	// cannot be combined with the "*" origin.
	AllowCredentials bool
	// MaxAge is how long a browser may cache a preflight answer. If zero,
	// no Access-Control-Max-Age header is sent.
	MaxAge time.Duration
}

// corsPolicy is a compiled CORS configuration.
type corsPolicy struct {
	anyOrigin   bool
	origins     []string
	methods     []string // upper-case, or ["*"]
	headers     []string // lower-case, or ["*"]
	allowHdrs   string
	exposeHdrs  string
	credentials bool
	maxAge      string
}

func (c *CORS) compile() (*corsPolicy, error) {
	if c == nil {
		return nil, nil
	}
	p := &corsPolicy{credentials: c.AllowCredentials}
	var errs []error
	for _, o := range c.AllowOrigins {
		switch {
		case o == "*":
			p.anyOrigin = true
		case !validOrigin(o):
			errs = append(errs, fmt.Errorf("AllowOrigins: %q is not an origin (scheme://host[:port])", o))
		default:
			p.origins = append(p.origins, strings.ToLower(o))
		}
	}
	if p.anyOrigin && p.credentials {
		errs = append(errs, errors.New(`AllowCredentials cannot be combined with the "*" origin`))
	}
	for _, m := range c.AllowMethods {
		if m != "*" && !validHeaderName(m) {
			errs = append(errs, fmt.Errorf("AllowMethods: invalid method %q", m))
		}
		p.methods = append(p.methods, strings.ToUpper(m))
	}
	for _, h := range c.AllowHeaders {
		if h != "*" && !validHeaderName(h) {
			errs = append(errs, fmt.Errorf("AllowHeaders: invalid header %q", h))
		}
		p.headers = append(p.headers, strings.ToLower(h))
	}
	for _, h := range c.ExposeHeaders {
		if h != "*" && !validHeaderName(h) {
			errs = append(errs, fmt.Errorf("ExposeHeaders: invalid header %q", h))
		}
	}
	if c.MaxAge < 0 {
		errs = append(errs, errors.New("MaxAge is negative"))
	}
	if c.MaxAge > 0 {
		p.maxAge = strconv.Itoa(int(c.MaxAge / time.Second))
	}
	p.allowHdrs = strings.Join(c.AllowHeaders, ", ")
	p.exposeHdrs = strings.Join(c.ExposeHeaders, ", ")
	return p, errors.Join(errs...)
}

func validOrigin(o string) bool {
	scheme, host, ok := strings.Cut(o, "://")
	return ok && (scheme == "http" || scheme == "https") && host != "" && !strings.ContainsAny(host, "/?#* ") && validHost(host)
}

func (p *corsPolicy) allowsOrigin(origin string) bool {
	if p.anyOrigin {
		return true
	}
	for _, o := range p.origins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// preflight answers a CORS preflight request (OPTIONS with Origin and
// Access-Control-Request-Method) and reports whether it did.
func (p *corsPolicy) preflight(w http.ResponseWriter, r *http.Request, origin string) bool {
	if r.Method != http.MethodOptions {
		return false
	}
	reqMethod := r.Header.Get("Access-Control-Request-Method")
	if reqMethod == "" {
		return false
	}
	h := w.Header()
	h["Vary"] = append(h["Vary"], "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
	if p.allowsOrigin(origin) && p.allowsMethod(reqMethod) && p.allowsHeaders(r.Header.Values("Access-Control-Request-Headers")) {
		p.setOrigin(h, origin)
		h.Set("Access-Control-Allow-Methods", reqMethod)
		if reqHdrs := r.Header.Values("Access-Control-Request-Headers"); len(reqHdrs) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(reqHdrs, ","))
		}
		if p.maxAge != "" {
			h.Set("Access-Control-Max-Age", p.maxAge)
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

func (p *corsPolicy) allowsMethod(m string) bool {
	return slices.Contains(p.methods, "*") || slices.Contains(p.methods, strings.ToUpper(m))
}

func (p *corsPolicy) allowsHeaders(values []string) bool {
	if slices.Contains(p.headers, "*") {
		return true
	}
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "" && !slices.Contains(p.headers, name) {
				return false
			}
		}
	}
	return true
}

func (p *corsPolicy) setOrigin(h http.Header, origin string) {
	if p.anyOrigin && !p.credentials {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
	}
	if p.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

// wrap returns a ResponseWriter that, when the response starts, replaces
// any CORS headers with the policy's for origin.
func (p *corsPolicy) wrap(w http.ResponseWriter, origin string) *corsWriter {
	return &corsWriter{ResponseWriter: w, p: p, origin: origin}
}

// corsWriter sets CORS headers as the response starts. It keeps Flush and
// Hijack working and unwraps for http.ResponseController.
type corsWriter struct {
	http.ResponseWriter
	p      *corsPolicy
	origin string
	done   bool
}

func (cw *corsWriter) setHeaders() {
	if cw.done {
		return
	}
	cw.done = true
	h := cw.ResponseWriter.Header()
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			delete(h, k)
		}
	}
	if !cw.p.anyOrigin || cw.p.credentials {
		h["Vary"] = append(h["Vary"], "Origin")
	}
	if !cw.p.allowsOrigin(cw.origin) {
		return
	}
	cw.p.setOrigin(h, cw.origin)
	if cw.p.exposeHdrs != "" {
		h.Set("Access-Control-Expose-Headers", cw.p.exposeHdrs)
	}
}

func (cw *corsWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		cw.setHeaders()
	}
	cw.ResponseWriter.WriteHeader(code)
}

func (cw *corsWriter) Write(b []byte) (int, error) {
	cw.setHeaders()
	return cw.ResponseWriter.Write(b)
}

// Flush sends buffered data to the client, if the underlying writer can.
func (cw *corsWriter) Flush() {
	cw.setHeaders()
	_ = http.NewResponseController(cw.ResponseWriter).Flush()
}

// Hijack lets the caller take over the connection, if the underlying
// writer can.
func (cw *corsWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(cw.ResponseWriter).Hijack()
}

// Unwrap returns the underlying ResponseWriter.
func (cw *corsWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }
