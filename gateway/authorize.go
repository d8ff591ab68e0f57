package gateway

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/gatekit/gatekit/auth"
	"github.com/gatekit/gatekit/internal/lambdaevent"
)

// RegisterAuthorizer names an authorizer so that routes can use it (see
// [Route.Authorizer]); deployments made afterwards can. An authorizer with
// a Validate() error method is validated here, so that its configuration
// mistakes show before anything is served.
func (g *Gateway) RegisterAuthorizer(name string, a auth.Authorizer) error {
	if name == "" {
		return errors.New("gateway: RegisterAuthorizer: empty name")
	}
	if a == nil {
		return fmt.Errorf("gateway: RegisterAuthorizer %q: nil authorizer", name)
	}
	if v, ok := a.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("gateway: RegisterAuthorizer %q: %w", name, err)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.authorizers == nil {
		g.authorizers = map[string]auth.Authorizer{}
	}
	g.authorizers[name] = a
	return nil
}

// Authorizer returns the authorizer registered under name, or nil.
func (g *Gateway) Authorizer(name string) auth.Authorizer {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.authorizers[name]
}

// APIKeys returns the gateway's API keys: create, enable, disable and
// list them there. Routes with APIKeyRequired accept their values.
func (g *Gateway) APIKeys() *auth.APIKeys { return g.keys }

// authorize runs the route's authorizer, checks its scopes and API key,
// and answers the request itself when one of them refuses it.
func (g *Gateway) authorize(w http.ResponseWriter, r *http.Request, s *reqState) bool {
	rt := s.route
	as := &authState{}
	s.auth = as
	if rt.authz != nil || s.dep.policy != nil {
		end := s.child("authorizer")
		ok := g.runAuthorizers(w, r, s)
		end(nil)
		if !ok {
			s.out.authzDecision = string(s.out.errType)
			return false
		}
		s.out.authzDecision = "allow"
	}
	if rt.keyRequired {
		value := r.Header.Get("X-Api-Key")
		if as.identity != nil && as.identity.UsageIdentifierKey != "" {
			value = as.identity.UsageIdentifierKey
		}
		k, err := g.keys.Check(r.Context(), value)
		if err != nil {
			typ := InvalidAPIKey
			if !errors.Is(err, auth.ErrForbidden) {
				typ = APIConfigurationError // the key store failed
			}
			g.writeError(w, s, &Error{Type: typ, Err: err})
			return false
		}
		as.apiKeyID, as.keyValue = k.ID, value
		if err := g.limiter.SyncKey(k.ID, k.UsagePlans); err != nil {
			// Only plans that differ between gateways sharing the key
			// store can conflict; the key keeps the plans it was on.
			g.cfg.logger.Warn("gateway: API key plans", "request_id", s.requestID(), "err", err)
		}
	}
	return true
}

// runAuthorizers runs the API's resource policy and the route's
// authorizer, and answers the request itself when one refuses it.
func (g *Gateway) runAuthorizers(w http.ResponseWriter, r *http.Request, s *reqState) bool {
	rt, as := s.route, s.auth
	var bodyErr error // why an authorizer could not read the body
	ar := &auth.Request{
		HTTP: r, Method: r.Method, Path: s.path, RouteKey: rt.key,
		APIID: s.dep.name, Stage: s.stageName(), Region: g.cfg.region, AccountID: g.cfg.account,
		StageVariables: s.vars, SourceIP: s.sourceIP, Now: s.time(),
		Body: func() ([]byte, error) {
			b, err := bufferBody(r)
			bodyErr = err
			return b, err
		},
	}
	refuse := func(a auth.Authorizer, err error) bool {
		if bodyErr != nil {
			// The body, not the credentials, is what failed: 413 or 400.
			writeBodyError(w, r, bodyErr)
		} else {
			g.refuse(w, s, a, err)
		}
		return false
	}
	if p := s.dep.policy; p != nil {
		if _, err := p.Authorize(r.Context(), ar); err != nil {
			return refuse(p, err)
		}
	}
	if rt.authz != nil {
		id, err := rt.authz.Authorize(r.Context(), ar)
		if err != nil {
			return refuse(rt.authz, err)
		}
		if len(rt.scopes) > 0 && (id == nil || !slices.ContainsFunc(id.Scopes, func(sc string) bool { return slices.Contains(rt.scopes, sc) })) {
			g.writeError(w, s, &Error{Type: AccessDenied, Err: fmt.Errorf("the token grants none of the scopes %v", rt.scopes)})
			return false
		}
		as.identity = id
	}
	return true
}

// refuse answers a request its authorizer refused. Only the response
// type's generic message reaches the client; the detail is logged.
func (g *Gateway) refuse(w http.ResponseWriter, s *reqState, a auth.Authorizer, err error) {
	e := &Error{Err: err}
	switch {
	case errors.Is(err, auth.ErrUnauthorized):
		e.Type = Unauthorized
		if c, ok := a.(auth.Challenger); ok {
			if v := c.Challenge(err); v != "" {
				w.Header().Set("WWW-Authenticate", v)
			}
		}
	case errors.Is(err, auth.ErrForbidden):
		e.Type = AccessDenied
	case errors.Is(err, auth.ErrInvalidSignature):
		e.Type = InvalidSignature
	case errors.Is(err, auth.ErrExpiredToken):
		e.Type = ExpiredToken
	default:
		e.Type = AuthorizerFailure
	}
	if e.status() < 500 {
		g.cfg.logger.Info("gateway: request refused", "request_id", s.requestID(), "route", routeKeyOf(s), "type", string(e.Type), "err", err)
	}
	g.writeError(w, s, e)
}

// bufferBody reads r's body whole, within the size limit in force, and
// puts it back for the integration.
func bufferBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if rb, ok := r.Body.(*bufferedBody); ok {
		return rb.data, nil
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	_ = r.Body.Close()
	r.Body, r.ContentLength = &bufferedBody{Reader: bytes.NewReader(data), data: data}, int64(len(data))
	r.TransferEncoding = nil
	return data, nil
}

// bufferedBody is a request body read ahead of the integration.
type bufferedBody struct {
	*bytes.Reader
	data []byte
}

func (*bufferedBody) Close() error { return nil }

// authorizerInfo is the identity in the shape of function payloads.
func (s *reqState) authorizerInfo() (string, string, *lambdaevent.Authorizer) {
	as := s.auth
	if as == nil {
		return "", "", nil
	}
	if as.identity == nil {
		return as.keyValue, as.apiKeyID, nil
	}
	id := as.identity
	a := &lambdaevent.Authorizer{Kind: id.Kind, Principal: id.Principal, Claims: id.Claims, Scopes: id.Scopes, Context: id.Context}
	if id.Kind == "sigv4" {
		if k, ok := id.Context["accessKey"].(string); ok {
			a.AccessKey = k
		}
	}
	return as.keyValue, as.apiKeyID, a
}
