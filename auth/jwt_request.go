package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// jwtSource is where requests carry their token: an IdentitySource.
type jwtSource struct {
	expr   string // as configured, for messages
	header string // canonical header name, or "" for a query parameter
	query  string // query parameter name
	bearer bool   // the Authorization header: the token follows "Bearer "
}

func parseJWTSource(expr string) (jwtSource, error) {
	s := jwtSource{expr: expr}
	if name, ok := strings.CutPrefix(expr, "$request.header."); ok {
		if name == "" || strings.ContainsFunc(name, jwtNotTokenChar) {
			return s, fmt.Errorf("%q: %q is not a header name", expr, name)
		}
		s.header = http.CanonicalHeaderKey(name)
		s.bearer = s.header == "Authorization"
		return s, nil
	}
	if name, ok := strings.CutPrefix(expr, "$request.querystring."); ok && name != "" {
		s.query = name
		return s, nil
	}
	return s, fmt.Errorf("%q is neither $request.header.NAME nor $request.querystring.NAME", expr)
}

// token returns the request's token, or a *jwtError marked missing.
func (s jwtSource) token(r *Request) (string, error) {
	var v string
	switch {
	case r == nil || r.HTTP == nil:
	case s.header != "":
		if vs := r.HTTP.Header[s.header]; len(vs) > 0 {
			v = vs[0]
		}
	case r.HTTP.URL != nil:
		v = r.HTTP.URL.Query().Get(s.query)
	}
	if s.bearer && v != "" {
		scheme, tok, _ := strings.Cut(v, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return "", &jwtError{err: errors.New("the Authorization header holds no Bearer token"), missing: true}
		}
		v = strings.TrimLeft(tok, " ")
	}
	if v == "" {
		return "", &jwtError{err: fmt.Errorf("no token in %s", s.expr), missing: true}
	}
	return v, nil
}

// jwtNotTokenChar reports whether r may not appear in a header name
// (RFC 9110 §5.6.2).
func jwtNotTokenChar(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return false
	}
	return !strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// jwtCheckURL accepts https URLs, and http URLs on loopback hosts (for
// tests and sidecars): keys fetched over plain HTTP could be anyone's.
func jwtCheckURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	switch {
	case u.Host == "":
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && jwtIsLoopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("%q is not an https URL (http is allowed on loopback hosts only)", s)
}

func jwtIsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// jwtIdentity makes the identity of a verified token.
func jwtIdentity(claims jwt.MapClaims) (*Identity, error) {
	sub, err := claims.GetSubject()
	if err != nil {
		return nil, err
	}
	scopes, err := jwtScopes(claims)
	if err != nil {
		return nil, err
	}
	return &Identity{Kind: "jwt", Principal: sub, Claims: claims, Scopes: scopes}, nil
}

// jwtScopes reads the "scope" claim or, failing that, the "scp" claim:
// a space-separated string or an array of strings.
func jwtScopes(claims map[string]any) ([]string, error) {
	name := "scope"
	v, ok := claims[name]
	if !ok {
		name = "scp"
		if v, ok = claims[name]; !ok {
			return nil, nil
		}
	}
	switch v := v.(type) {
	case string:
		return strings.Fields(v), nil
	case []any:
		scopes := make([]string, 0, len(v))
		for _, s := range v {
			s, ok := s.(string)
			if !ok {
				return nil, fmt.Errorf("claim %s: want a string or an array of strings", name)
			}
			scopes = append(scopes, s)
		}
		return scopes, nil
	}
	return nil, fmt.Errorf("claim %s: want a string or an array of strings", name)
}

// jwtError is a refused token. It reads "auth: jwt: " and the cause, and
// matches both [ErrUnauthorized] and the cause.
type jwtError struct {
	err     error
	missing bool // no token at all, rather than a bad one
}

func (e *jwtError) Error() string   { return "auth: jwt: " + e.err.Error() }
func (e *jwtError) Unwrap() []error { return []error{ErrUnauthorized, e.err} }

func jwtInvalid(err error) error { return &jwtError{err: err} }

func jwtInvalidf(format string, args ...any) error {
	return &jwtError{err: fmt.Errorf(format, args...)}
}
