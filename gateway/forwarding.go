package gateway

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// forwardingHeaders are the request headers the gateway sets itself for
// backends. Client-sent values never reach an integration: for a trusted
// proxy they are read first, then every one of them is removed, in any
// spelling that [isForwardingHeader] matches.
var forwardingHeaders = []string{
	"Forwarded",
	"X-Forwarded-For",
	"X-Forwarded-Host",
	"X-Forwarded-Port",
	"X-Forwarded-Proto",
	"X-Real-Ip",
	"X-Request-Id",
}

// forwarding fills the source IP, protocol and forwarding chain of s, and
// removes client-sent forwarding headers from r, the gateway's own copy of
// the request: its Header becomes a copy without them, so the caller's
// request is not modified.
func (g *Gateway) forwarding(r *http.Request, s *reqState) {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	s.sourceIP, s.https = peer, r.TLS != nil
	present := false
	for k := range r.Header {
		if isForwardingHeader(k) {
			present = true
			break
		}
	}
	if !present {
		return
	}
	if g.trusts(peer) {
		g.readForwarded(r.Header, s, peer)
	}
	h := r.Header.Clone()
	for k := range h {
		if isForwardingHeader(k) {
			delete(h, k)
		}
	}
	r.Header = h
}

// isForwardingHeader reports whether the header name k is one of
// forwardingHeaders, ignoring case and taking '_' for '-'. Go keeps
// "X_Forwarded_For" as a header of its own, but CGI, FastCGI and WSGI
// backends read it as the same variable (HTTP_X_FORWARDED_FOR) as
// X-Forwarded-For, so a client must not be able to send either.
func isForwardingHeader(k string) bool {
	if k == "" || (k[0]|0x20 != 'x' && k[0]|0x20 != 'f') {
		return false // most headers: no forwarding header starts otherwise
	}
	for _, f := range forwardingHeaders {
		if len(k) != len(f) {
			continue
		}
		i := 0
		for ; i < len(k); i++ {
			c := k[i]
			switch {
			case c == '_':
				c = '-'
			case 'a' <= c && c <= 'z':
				c -= 'a' - 'A'
			}
			d := f[i]
			if 'a' <= d && d <= 'z' {
				d -= 'a' - 'A'
			}
			if c != d {
				break
			}
		}
		if i == len(k) {
			return true
		}
	}
	return false
}

func (g *Gateway) trusts(ip string) bool {
	if len(g.cfg.trusted) == 0 {
		return false
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range g.cfg.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwarded is what a trusted proxy told the gateway.
type forwarded struct {
	chain string // its X-Forwarded-For, extended with the proxy itself
	host  string // its X-Forwarded-Host, or ""
}

// forwardedFor returns the X-Forwarded-For value for backends.
func (s *reqState) forwardedFor() string {
	if s.fwd != nil && s.fwd.chain != "" {
		return s.fwd.chain
	}
	return s.sourceIP
}

// host returns the host the client asked for.
func (s *reqState) host(r *http.Request) string {
	if s.fwd != nil && s.fwd.host != "" {
		return s.fwd.host
	}
	return r.Host
}

// readForwarded takes the client's address, protocol and host from the
// headers a trusted peer sent. The source IP is the right-most address of
// X-Forwarded-For that is not itself a trusted proxy: everything left of it
// could have been written by the client.
func (g *Gateway) readForwarded(h http.Header, s *reqState, peer string) {
	s.fwd = &forwarded{}
	if xff := h["X-Forwarded-For"]; len(xff) > 0 {
		chain := strings.Join(xff, ",")
		hops := strings.Split(chain, ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop := strings.TrimSpace(hops[i])
			if _, err := netip.ParseAddr(hop); err != nil {
				break
			}
			s.sourceIP = hop
			if !g.trusts(hop) {
				break
			}
		}
		s.fwd.chain = chain + ", " + peer
	}
	if p := h.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		s.https = p == "https"
	}
	if host := h.Get("X-Forwarded-Host"); host != "" && validHost(host) {
		s.fwd.host = host
	}
}

// validHost reports whether h looks like a host[:port] (no spaces, no
// separators that would let a value smuggle a path or a second host).
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !isAlnum(c) && !strings.ContainsRune(".-:[]_", rune(c)) {
			return false
		}
	}
	return true
}
