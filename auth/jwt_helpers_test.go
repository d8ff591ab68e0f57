package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gatekit/gatekit/internal/clocktest"
)

// jwtT0 is when the tests' clocks start.
var jwtT0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// jwtTestKey is a signing key with the kid and alg its JWK names.
type jwtTestKey struct {
	kid  string
	alg  string // the JWK's alg member; "" leaves it out
	priv crypto.Signer
}

// jwtTestSigners are the tests' private keys, made once: RSA key
// generation is slow, the more so under the race detector.
var jwtTestSigners = sync.OnceValue(func() map[string]crypto.Signer {
	m := make(map[string]crypto.Signer)
	var mu sync.Mutex
	var wg sync.WaitGroup
	gen := func(name string, f func() (crypto.Signer, error)) {
		wg.Go(func() {
			k, err := f()
			if err != nil {
				panic(err)
			}
			mu.Lock()
			m[name] = k
			mu.Unlock()
		})
	}
	for _, name := range []string{"rsa1", "rsa2"} {
		gen(name, func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 2048) })
	}
	for name, c := range map[string]elliptic.Curve{"p256": elliptic.P256(), "p384": elliptic.P384(), "p521": elliptic.P521(), "p256b": elliptic.P256()} {
		gen(name, func() (crypto.Signer, error) { return ecdsa.GenerateKey(c, rand.Reader) })
	}
	gen("ed", func() (crypto.Signer, error) {
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	})
	wg.Wait()
	return m
})

// jwtKey returns the test key named signer, published with kid and alg.
func jwtKey(signer, kid, alg string) *jwtTestKey {
	return &jwtTestKey{kid: kid, alg: alg, priv: jwtTestSigners()[signer]}
}

// jwk returns k's public JWK.
func (k *jwtTestKey) jwk() map[string]any {
	m := map[string]any{"kid": k.kid, "use": "sig"}
	if k.alg != "" {
		m["alg"] = k.alg
	}
	b64 := base64.RawURLEncoding.EncodeToString
	switch pub := k.priv.Public().(type) {
	case *rsa.PublicKey:
		m["kty"], m["n"], m["e"] = "RSA", b64(pub.N.Bytes()), b64(big.NewInt(int64(pub.E)).Bytes())
	case *ecdsa.PublicKey:
		b, err := pub.Bytes()
		if err != nil {
			panic(err)
		}
		size := (len(b) - 1) / 2
		m["kty"], m["crv"] = "EC", pub.Curve.Params().Name
		m["x"], m["y"] = b64(b[1:1+size]), b64(b[1+size:])
	case ed25519.PublicKey:
		m["kty"], m["crv"], m["x"] = "OKP", "Ed25519", b64(pub)
	}
	return m
}

// sign returns a token with claims signed by k with alg, with k's kid.
func (k *jwtTestKey) sign(t testing.TB, alg string, claims jwt.MapClaims) string {
	t.Helper()
	return jwtSign(t, alg, k.kid, k.priv, claims, nil)
}

// jwtSign signs claims with key and alg. kid and extra go in the header.
func jwtSign(t testing.TB, alg, kid string, key any, claims jwt.MapClaims, extra map[string]any) string {
	t.Helper()
	m := jwtMethod(alg)
	if m == nil {
		t.Fatalf("no method for %s", alg)
	}
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	for k, v := range extra {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign %s: %v", alg, err)
	}
	return s
}

// jwtCompact joins a header and claims, as JSON, and a raw signature.
func jwtCompact(header, claims any, sig []byte) string {
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	b64 := base64.RawURLEncoding.EncodeToString
	return b64(h) + "." + b64(c) + "." + b64(sig)
}

// jwtTestIdP is an OpenID Connect issuer: a discovery document and a key
// set that tests may change, break or slow down, counting the fetches.
type jwtTestIdP struct {
	*httptest.Server
	discoveries, fetches atomic.Int32

	mu           sync.Mutex
	discovery    string // if not "", the discovery document served
	body         []byte
	status       int
	cacheControl string
	gate         chan struct{} // if not nil, /jwks answers once it is closed
}

func newJWTTestIdP(t testing.TB, keys ...*jwtTestKey) *jwtTestIdP {
	p := &jwtTestIdP{status: http.StatusOK}
	p.setKeys(keys...)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		p.discoveries.Add(1)
		p.mu.Lock()
		doc := p.discovery
		p.mu.Unlock()
		if doc != "" {
			w.Write([]byte(doc))
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"issuer": p.URL, "jwks_uri": p.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		p.fetches.Add(1)
		p.mu.Lock()
		body, status, cc, gate := p.body, p.status, p.cacheControl, p.gate
		p.mu.Unlock()
		if gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		if cc != "" {
			w.Header().Set("Cache-Control", cc)
		}
		w.WriteHeader(status)
		w.Write(body)
	})
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

// setKeys makes the key set publish keys.
func (p *jwtTestIdP) setKeys(keys ...*jwtTestKey) {
	jwks := make([]map[string]any, len(keys))
	for i, k := range keys {
		jwks[i] = k.jwk()
	}
	body, _ := json.Marshal(map[string]any{"keys": jwks})
	p.setBody(http.StatusOK, body)
}

func (p *jwtTestIdP) setBody(status int, body []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status, p.body = status, body
}

// set changes p's behaviour under its lock.
func (p *jwtTestIdP) set(f func(p *jwtTestIdP)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// claims returns claims valid at now: p as issuer, audience "api",
// subject "user-1", issued now, expiring in an hour.
func (p *jwtTestIdP) claims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": p.URL,
		"aud": "api",
		"sub": "user-1",
		"iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
	}
}

// newJWTForIdP returns a JWT authorizer for p's tokens with audience
// "api" and clock c, after edit changes its configuration.
func newJWTForIdP(t testing.TB, p *jwtTestIdP, c *clocktest.Clock, edit func(*JWTConfig)) *JWT {
	t.Helper()
	cfg := JWTConfig{
		Issuer:    p.URL,
		Audiences: []string{"api"},
		Client:    p.Client(),
		Clock:     c.Now,
	}
	cfg.Client.Timeout = 5 * time.Second
	if edit != nil {
		edit(&cfg)
	}
	j, err := NewJWT(cfg)
	if err != nil {
		t.Fatalf("NewJWT: %v", err)
	}
	return j
}

// jwtRequest returns a request carrying tok in its Authorization header.
func jwtRequest(tok string) *Request {
	r := httptest.NewRequest(http.MethodGet, "/pets", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	return &Request{HTTP: r, Method: r.Method, Path: "/pets"}
}
