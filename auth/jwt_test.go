package auth

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/gatekit/gatekit/internal/clocktest"
)

func TestNewJWTConfigErrors(t *testing.T) {
	ok := JWTConfig{Issuer: "https://idp.example.test", Audiences: []string{"api"}}
	tests := []struct {
		name string
		edit func(*JWTConfig)
		want []string // each must appear in the error; none means no error
	}{
		{"minimal", func(*JWTConfig) {}, nil},
		{"no issuer", func(c *JWTConfig) { c.Issuer = "" }, []string{"Issuer is required"}},
		{"issuer with control characters", func(c *JWTConfig) { c.Issuer = "https://idp\n" }, []string{"Issuer", "control characters"}},
		{"no audiences", func(c *JWTConfig) { c.Audiences = nil }, []string{"Audiences"}},
		{"empty audience", func(c *JWTConfig) { c.Audiences = []string{"api", ""} }, []string{"Audiences[1] is empty"}},
		{"issuer not a URL for discovery", func(c *JWTConfig) { c.Issuer = "my-issuer" }, []string{"Issuer:", "JWKSURL is empty"}},
		{"issuer any string with JWKSURL", func(c *JWTConfig) { c.Issuer, c.JWKSURL = "my-issuer", "https://idp.example.test/keys" }, nil},
		{"plain http issuer", func(c *JWTConfig) { c.Issuer = "http://idp.example.test" }, []string{"Issuer:", "https"}},
		{"plain http on loopback", func(c *JWTConfig) { c.Issuer = "http://127.0.0.1:8080" }, nil},
		{"plain http JWKSURL", func(c *JWTConfig) { c.JWKSURL = "http://idp.example.test/keys" }, []string{"JWKSURL:"}},
		{"alg none", func(c *JWTConfig) { c.Algorithms = []string{"RS256", "none"} }, []string{`Algorithms[1]: "none" is never accepted`}},
		{"unknown alg", func(c *JWTConfig) { c.Algorithms = []string{"RS1"} }, []string{`Algorithms[0]: "RS1" is not supported`}},
		{"HS without secret", func(c *JWTConfig) { c.Algorithms = []string{"HS256"} }, []string{"Algorithms[0]: HS256 needs Secret"}},
		{"HS512 with a short secret", func(c *JWTConfig) {
			c.Secret, c.Algorithms = make([]byte, 32), []string{"HS256", "HS512"}
		}, []string{"Algorithms[1]: HS512 needs a Secret of at least 64 bytes, not 32"}},
		{"secret too short for HS256", func(c *JWTConfig) { c.Secret = []byte("short") }, []string{"Secret is 5 bytes"}},
		{"secret unused", func(c *JWTConfig) { c.Secret, c.Algorithms = make([]byte, 32), []string{"RS256"} }, []string{"Secret is set but"}},
		{"HS only needs no key set", func(c *JWTConfig) {
			c.Issuer, c.Secret, c.Algorithms = "my-issuer", make([]byte, 32), []string{"HS256"}
		}, nil},
		{"HS only with JWKSURL", func(c *JWTConfig) {
			c.Secret, c.Algorithms, c.JWKSURL = make([]byte, 32), []string{"HS256"}, "https://idp.example.test/keys"
		}, []string{"JWKSURL is set but"}},
		{"bad identity source", func(c *JWTConfig) { c.IdentitySource = "$request.body.token" }, []string{"IdentitySource:"}},
		{"bad header name", func(c *JWTConfig) { c.IdentitySource = "$request.header.X Token" }, []string{"IdentitySource:", "not a header name"}},
		{"empty query name", func(c *JWTConfig) { c.IdentitySource = "$request.querystring." }, []string{"IdentitySource:"}},
		{"client without timeout", func(c *JWTConfig) { c.Client = &http.Client{} }, []string{"Client has no Timeout"}},
		{"negative MaxJWKSBytes", func(c *JWTConfig) { c.MaxJWKSBytes = -1 }, []string{"MaxJWKSBytes"}},
		{"negative RefetchInterval", func(c *JWTConfig) { c.RefetchInterval = -time.Second }, []string{"RefetchInterval"}},
		{"every mistake at once", func(c *JWTConfig) {
			*c = JWTConfig{Algorithms: []string{"none"}, MaxJWKSBytes: -1}
		}, []string{"Issuer is required", "Audiences", "never accepted", "MaxJWKSBytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			j, err := NewJWT(cfg)
			if len(tt.want) == 0 {
				if err != nil || j == nil {
					t.Fatalf("NewJWT = %v, %v; want a JWT", j, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("NewJWT succeeded; want an error with %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("NewJWT error %q lacks %q", err, w)
				}
			}
			if !strings.HasPrefix(err.Error(), "auth: jwt: ") {
				t.Errorf("NewJWT error %q lacks the package prefix", err)
			}
		})
	}
}

func TestJWTZeroValue(t *testing.T) {
	var j JWT
	_, err := j.Authorize(context.Background(), jwtRequest("a.b.c"))
	if err == nil || errors.Is(err, ErrUnauthorized) {
		t.Fatalf("zero JWT: Authorize error = %v; want a non-Unauthorized error", err)
	}
}

func TestJWTAlgorithms(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	keys := []*jwtTestKey{
		jwtKey("rsa1", "rsa", ""), jwtKey("p256", "p256", "ES256"), jwtKey("p384", "p384", "ES384"),
		jwtKey("p521", "p521", "ES512"), jwtKey("ed", "ed", "EdDSA"),
	}
	idp := newJWTTestIdP(t, keys...)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.Secret = secret })
	tests := []struct {
		alg string
		key any
		kid string
	}{
		{"RS256", keys[0].priv, "rsa"},
		{"RS384", keys[0].priv, "rsa"},
		{"RS512", keys[0].priv, "rsa"},
		{"PS256", keys[0].priv, "rsa"},
		{"PS384", keys[0].priv, "rsa"},
		{"PS512", keys[0].priv, "rsa"},
		{"ES256", keys[1].priv, "p256"},
		{"ES384", keys[2].priv, "p384"},
		{"ES512", keys[3].priv, "p521"},
		{"EdDSA", keys[4].priv, "ed"},
		{"HS256", secret, ""},
		{"HS384", secret, ""},
		{"HS512", secret, "any-kid-is-ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			claims := idp.claims(clock.Now())
			claims["sub"] = "user-" + tt.alg
			tok := jwtSign(t, tt.alg, tt.kid, tt.key, claims, nil)
			id, err := j.Authorize(context.Background(), jwtRequest(tok))
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			if id.Kind != "jwt" || id.Principal != "user-"+tt.alg {
				t.Errorf("identity = %+v; want kind jwt, principal user-%s", id, tt.alg)
			}
			if id.Claims["iss"] != idp.URL || id.Claims["aud"] != "api" {
				t.Errorf("claims = %v; want iss and aud", id.Claims)
			}
			if exp, ok := id.Claims["exp"].(json.Number); !ok || exp.String() != fmt.Sprint(claims["exp"]) {
				t.Errorf("claims[exp] = %#v; want json.Number %v", id.Claims["exp"], claims["exp"])
			}
		})
	}
	if n := idp.fetches.Load(); n != 1 {
		t.Errorf("key set fetched %d times; want 1", n)
	}
	if n := idp.discoveries.Load(); n != 1 {
		t.Errorf("discovery document fetched %d times; want 1", n)
	}
}

func TestJWTRefusals(t *testing.T) {
	t.Parallel()
	rsa1, p256 := jwtKey("rsa1", "rsa", "RS256"), jwtKey("p256", "p256", "")
	idp := newJWTTestIdP(t, rsa1, p256)
	clock := clocktest.NewClock(jwtT0)
	now := clock.Now()
	secret := []byte("0123456789abcdef0123456789abcdef")
	j := newJWTForIdP(t, idp, clock, nil)
	withSecret := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.Secret = secret })
	rsOnly := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.Algorithms = []string{"RS256"} })

	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := idp.claims(now)
		if edit != nil {
			edit(c)
		}
		return c
	}
	der, err := x509.MarshalPKIXPublicKey(rsa1.priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	publicPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	good := rsa1.sign(t, "RS256", claims(nil))
	attacker := jwtKey("rsa2", "rsa", "")

	tests := []struct {
		name string
		j    *JWT
		tok  string
		want string // in the error message
	}{
		{"alg none", j, jwtCompact(map[string]string{"alg": "none"}, claims(nil), nil), "malformed token: no signature"},
		{"alg none with a signature", j, jwtCompact(map[string]string{"alg": "none", "kid": "rsa"}, claims(nil), []byte("x")), `alg "none" is not allowed`},
		{"alg None", j, jwtCompact(map[string]string{"alg": "None"}, claims(nil), []byte("x")), `alg "None" is not allowed`},
		{"alg not in allow-list", rsOnly, p256.sign(t, "ES256", claims(nil)), `alg "ES256" is not allowed`},
		{"HS256 keyed with the RSA public key", j, jwtSign(t, "HS256", "rsa", publicPEM, claims(nil), nil), `alg "HS256" is not allowed`},
		{"HS256 keyed with the RSA public key, Secret set", withSecret, jwtSign(t, "HS256", "rsa", publicPEM, claims(nil), nil), "signature (alg HS256"},
		{"RSA key for ES256", j, jwtSign(t, "ES256", "rsa", p256.priv, claims(nil), nil), `key "rsa" does not fit alg ES256`},
		{"EC key for RS256", j, jwtSign(t, "RS256", "p256", rsa1.priv, claims(nil), nil), `key "p256" does not fit alg RS256`},
		{"JWK alg RS256 used for PS256", j, jwtSign(t, "PS256", "rsa", rsa1.priv, claims(nil), nil), `key "rsa" does not fit alg PS256`},
		{"P-256 key for ES384", j, jwtSign(t, "ES384", "p256", jwtTestSigners()["p384"], claims(nil), nil), `key "p256" does not fit alg ES384`},
		{"bad signature", j, good[:len(good)-4] + "AAAA", "signature (alg RS256"},
		{"signed by another key", j, attacker.sign(t, "RS256", claims(nil)), "signature (alg RS256"},
		{"embedded jwk header is ignored", j, jwtSign(t, "RS256", "rsa", attacker.priv, claims(nil), map[string]any{"jwk": attacker.jwk()}), "signature"},
		{"jku header is ignored", j, jwtSign(t, "RS256", "evil", attacker.priv, claims(nil), map[string]any{"jku": idp.URL + "/evil"}), `no key with kid "evil"`},
		{"crit header", j, jwtSign(t, "RS256", "rsa", rsa1.priv, claims(nil), map[string]any{"crit": []string{"exp"}, "exp": 1}), "crit"},
		{"expired", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() })), "token is expired"},
		{"not yet valid", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Minute).Unix() })), "token is not valid yet"},
		{"issued in the future", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Minute).Unix() })), "token used before issued"},
		{"no exp", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { delete(c, "exp") })), "exp claim is required"},
		{"exp a string", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["exp"] = "tomorrow" })), "invalid type for claim"},
		{"wrong issuer", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["iss"] = "https://evil.example.test" })), "token has invalid issuer"},
		{"no issuer", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { delete(c, "iss") })), "iss claim is required"},
		{"wrong audience", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["aud"] = "other" })), "token has invalid audience"},
		{"audience array without ours", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["aud"] = []string{"a", "b"} })), "token has invalid audience"},
		{"no audience", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { delete(c, "aud") })), "aud claim is required"},
		{"sub not a string", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["sub"] = 42 })), "invalid type for claim"},
		{"scope not a string", j, rsa1.sign(t, "RS256", claims(func(c jwt.MapClaims) { c["scope"] = 42 })), "claim scope"},
		{"claims not an object", j, jwtSign(t, "RS256", "rsa", rsa1.priv, nil, nil), "claims"},
		{"two parts", j, good[:strings.LastIndexByte(good, '.')], "2 parts, not 3"},
		{"four parts", j, good + ".AAAA", "4 parts, not 3"},
		{"padding", j, good + "==", "not base64url"},
		{"JSON serialization", j, `{"payload":"e30","signatures":[]}`, "not base64url"},
		{"garbage header", j, "e30K." + good[strings.IndexByte(good, '.')+1:], "header"},
		{"header without alg", j, jwtCompact(map[string]string{"kid": "rsa"}, claims(nil), []byte("x")), "no alg"},
		{"too long", j, strings.Repeat("A", jwtMaxTokenBytes+1), "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := tt.j.Authorize(context.Background(), jwtRequest(tt.tok))
			if err == nil {
				t.Fatalf("Authorize = %+v; want an error with %q", id, tt.want)
			}
			if !errors.Is(err, ErrUnauthorized) {
				t.Errorf("Authorize error %q does not wrap ErrUnauthorized", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "auth: jwt: ") {
				t.Errorf("Authorize error = %q; want %q", err, tt.want)
			}
			if got, want := tt.j.Challenge(err), `Bearer realm="`+idp.URL+`", error="invalid_token"`; got != want {
				t.Errorf("Challenge = %q; want %q", got, want)
			}
		})
	}
	if _, err := j.Authorize(context.Background(), jwtRequest(good)); err != nil {
		t.Errorf("the good token: %v", err)
	}
}

func TestJWTLeeway(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k", "")
	idp := newJWTTestIdP(t, key)
	clock := clocktest.NewClock(jwtT0)
	now := clock.Now()
	tests := []struct {
		name   string
		leeway time.Duration
		claim  string
		at     time.Time
		ok     bool
	}{
		{"expired 10s ago, default leeway", 0, "exp", now.Add(-10 * time.Second), true},
		{"expired 10s ago, no leeway", -1, "exp", now.Add(-10 * time.Second), false},
		{"expired 31s ago, default leeway", 0, "exp", now.Add(-31 * time.Second), false},
		{"expires now, no leeway", -1, "exp", now, false},
		{"expired 2m ago, 5m leeway", 5 * time.Minute, "exp", now.Add(-2 * time.Minute), true},
		{"nbf in 10s, default leeway", 0, "nbf", now.Add(10 * time.Second), true},
		{"nbf in 10s, no leeway", -1, "nbf", now.Add(10 * time.Second), false},
		{"nbf now, no leeway", -1, "nbf", now, true},
		{"iat in 10s, default leeway", 0, "iat", now.Add(10 * time.Second), true},
		{"iat in 10s, no leeway", -1, "iat", now.Add(10 * time.Second), false},
		{"iat in 1m, default leeway", 0, "iat", now.Add(time.Minute), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.Leeway = tt.leeway })
			claims := idp.claims(now.Add(-time.Minute))
			claims[tt.claim] = tt.at.Unix()
			_, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "ES256", claims)))
			if tt.ok && err != nil {
				t.Errorf("Authorize: %v; want success", err)
			}
			if !tt.ok && !errors.Is(err, ErrUnauthorized) {
				t.Errorf("Authorize error = %v; want ErrUnauthorized", err)
			}
		})
	}
}

func TestJWTAudiences(t *testing.T) {
	t.Parallel()
	key := jwtKey("ed", "k", "EdDSA")
	idp := newJWTTestIdP(t, key)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.Audiences = []string{"api", "admin"} })
	tests := []struct {
		name string
		aud  any
		ok   bool
	}{
		{"string, first audience", "api", true},
		{"string, second audience", "admin", true},
		{"string, other", "web", false},
		{"array with one of ours", []string{"web", "admin"}, true},
		{"array without ours", []string{"web", "mobile"}, false},
		{"empty array", []string{}, false},
		{"empty string", "", false},
		{"case differs", "API", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := idp.claims(clock.Now())
			claims["aud"] = tt.aud
			_, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "EdDSA", claims)))
			if tt.ok != (err == nil) {
				t.Errorf("Authorize error = %v; want ok %v", err, tt.ok)
			}
		})
	}
}

func TestJWTMissingKid(t *testing.T) {
	t.Parallel()
	clock := clocktest.NewClock(jwtT0)
	one := jwtKey("p256", "only", "")
	t.Run("one key", func(t *testing.T) {
		idp := newJWTTestIdP(t, one)
		j := newJWTForIdP(t, idp, clock, nil)
		tok := jwtSign(t, "ES256", "", one.priv, idp.claims(clock.Now()), nil)
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); err != nil {
			t.Errorf("Authorize: %v", err)
		}
	})
	t.Run("one key of another type", func(t *testing.T) {
		idp := newJWTTestIdP(t, one)
		j := newJWTForIdP(t, idp, clock, nil)
		tok := jwtSign(t, "EdDSA", "", jwtTestSigners()["ed"], idp.claims(clock.Now()), nil)
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "does not fit") {
			t.Errorf("Authorize error = %v; want the key not fitting", err)
		}
	})
	t.Run("two keys", func(t *testing.T) {
		idp := newJWTTestIdP(t, one, jwtKey("p256b", "other", ""))
		j := newJWTForIdP(t, idp, clock, nil)
		tok := jwtSign(t, "ES256", "", one.priv, idp.claims(clock.Now()), nil)
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "has 2 keys") {
			t.Errorf("Authorize error = %v; want refusal for the missing kid", err)
		}
		if n := idp.fetches.Load(); n != 1 {
			t.Errorf("key set fetched %d times; want 1 (a missing kid is not an unknown one)", n)
		}
	})
}

func TestJWTIdentitySource(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k", "")
	idp := newJWTTestIdP(t, key)
	clock := clocktest.NewClock(jwtT0)
	tok := key.sign(t, "ES256", idp.claims(clock.Now()))
	tests := []struct {
		name    string
		source  string
		set     func(r *http.Request)
		missing bool // want a refusal for a missing token; else success
	}{
		{"bearer", "", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }, false},
		{"bearer, lower case, extra spaces", "", func(r *http.Request) { r.Header.Set("Authorization", "bearer   "+tok) }, false},
		{"explicit Authorization source", "$request.header.authorization", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }, false},
		{"no header", "", func(*http.Request) {}, true},
		{"token without scheme", "", func(r *http.Request) { r.Header.Set("Authorization", tok) }, true},
		{"basic scheme", "", func(r *http.Request) { r.Header.Set("Authorization", "Basic dXNlcjpwYXNz") }, true},
		{"bearer without token", "", func(r *http.Request) { r.Header.Set("Authorization", "Bearer ") }, true},
		{"custom header", "$request.header.X-Auth-Token", func(r *http.Request) { r.Header.Set("X-Auth-Token", tok) }, false},
		{"custom header, lower case source", "$request.header.x-auth-token", func(r *http.Request) { r.Header.Set("X-Auth-Token", tok) }, false},
		{"custom header missing", "$request.header.X-Auth-Token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }, true},
		{"query string", "$request.querystring.access_token", func(r *http.Request) { r.URL.RawQuery = "a=1&access_token=" + tok }, false},
		{"query string missing", "$request.querystring.access_token", func(r *http.Request) { r.URL.RawQuery = "token=" + tok }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.IdentitySource = tt.source })
			r := httptest.NewRequest(http.MethodGet, "/pets", nil)
			tt.set(r)
			id, err := j.Authorize(context.Background(), &Request{HTTP: r})
			if !tt.missing {
				if err != nil || id.Principal != "user-1" {
					t.Fatalf("Authorize = %+v, %v; want user-1", id, err)
				}
				return
			}
			if !errors.Is(err, ErrUnauthorized) {
				t.Fatalf("Authorize error = %v; want ErrUnauthorized", err)
			}
			if got, want := j.Challenge(err), `Bearer realm="`+idp.URL+`"`; got != want {
				t.Errorf("Challenge = %q; want %q", got, want)
			}
		})
	}
	t.Run("no HTTP request", func(t *testing.T) {
		j := newJWTForIdP(t, idp, clock, nil)
		if _, err := j.Authorize(context.Background(), &Request{}); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Authorize error = %v; want ErrUnauthorized", err)
		}
	})
}

func TestJWTScopes(t *testing.T) {
	t.Parallel()
	key := jwtKey("ed", "k", "")
	idp := newJWTTestIdP(t, key)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, nil)
	tests := []struct {
		name   string
		claims map[string]any
		want   []string
	}{
		{"none", nil, nil},
		{"scope string", map[string]any{"scope": "pets:read  pets:write"}, []string{"pets:read", "pets:write"}},
		{"scope array", map[string]any{"scope": []string{"a", "b"}}, []string{"a", "b"}},
		{"scp array", map[string]any{"scp": []string{"pets:read", "admin"}}, []string{"pets:read", "admin"}},
		{"scp string", map[string]any{"scp": "pets:read admin"}, []string{"pets:read", "admin"}},
		{"scope wins over scp", map[string]any{"scope": "a", "scp": []string{"b"}}, []string{"a"}},
		{"empty scope", map[string]any{"scope": ""}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := idp.claims(clock.Now())
			for k, v := range tt.claims {
				claims[k] = v
			}
			id, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "EdDSA", claims)))
			if err != nil {
				t.Fatalf("Authorize: %v", err)
			}
			if !reflect.DeepEqual(id.Scopes, tt.want) {
				t.Errorf("Scopes = %#v; want %#v", id.Scopes, tt.want)
			}
		})
	}
	t.Run("scp array with a number", func(t *testing.T) {
		claims := idp.claims(clock.Now())
		claims["scp"] = []any{"a", 1}
		_, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "EdDSA", claims)))
		if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "claim scp") {
			t.Errorf("Authorize error = %v; want a refusal for claim scp", err)
		}
	})
}

func TestJWTChallengeEscapes(t *testing.T) {
	j, err := NewJWT(JWTConfig{Issuer: `https://idp.example.test/a"b\c`, Audiences: []string{"api"}})
	if err != nil {
		t.Fatal(err)
	}
	_, authErr := j.Authorize(context.Background(), jwtRequest("x"))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"missing", &jwtError{err: errors.New("x"), missing: true}, `Bearer realm="https://idp.example.test/a\"b\\c"`},
		{"invalid", authErr, `Bearer realm="https://idp.example.test/a\"b\\c", error="invalid_token"`},
		{"wrapped invalid", errors.Join(errors.New("gateway"), authErr), `Bearer realm="https://idp.example.test/a\"b\\c", error="invalid_token"`},
		{"other error", errors.New("boom"), `Bearer realm="https://idp.example.test/a\"b\\c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := j.Challenge(tt.err); got != tt.want {
				t.Errorf("Challenge = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestJWTCache(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	clock := clocktest.NewClock(jwtT0)
	cfg := JWTConfig{Issuer: "my-issuer", Audiences: []string{"api"}, Secret: secret, Algorithms: []string{"HS256"}, Clock: clock.Now, Leeway: -1}
	claims := jwt.MapClaims{"iss": "my-issuer", "aud": "api", "sub": "u", "exp": clock.Now().Add(time.Minute).Unix()}
	tok := jwtSign(t, "HS256", "", secret, claims, nil)

	t.Run("hit does no signature work", func(t *testing.T) {
		j, err := NewJWT(cfg)
		if err != nil {
			t.Fatal(err)
		}
		first, err := j.Authorize(context.Background(), jwtRequest(tok))
		if err != nil {
			t.Fatalf("first Authorize: %v", err)
		}
		first.Principal = "changed by the caller"
		j.secret = []byte("a different secret, so verifying would fail")
		second, err := j.Authorize(context.Background(), jwtRequest(tok))
		if err != nil {
			t.Fatalf("second Authorize verified the token again: %v", err)
		}
		if second.Principal != "u" {
			t.Errorf("second Principal = %q; want u (identities are copies)", second.Principal)
		}
		other := jwtSign(t, "HS256", "", secret, jwt.MapClaims{"iss": "my-issuer", "aud": "api", "exp": claims["exp"], "n": 2}, nil)
		if _, err := j.Authorize(context.Background(), jwtRequest(other)); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("an uncached token: error = %v; want verification against the changed secret to fail", err)
		}
	})
	t.Run("hit respects expiry", func(t *testing.T) {
		c := clocktest.NewClock(jwtT0)
		cfg := cfg
		cfg.Clock = c.Now
		j, err := NewJWT(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); err != nil {
			t.Fatalf("Authorize: %v", err)
		}
		c.Advance(59 * time.Second)
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); err != nil {
			t.Fatalf("Authorize a second before exp: %v", err)
		}
		c.Advance(time.Second)
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); !errors.Is(err, jwt.ErrTokenExpired) {
			t.Errorf("Authorize at exp: error = %v; want expired", err)
		}
	})
	t.Run("leeway does not extend a cached token", func(t *testing.T) {
		c := clocktest.NewClock(jwtT0)
		cfg := cfg
		cfg.Clock, cfg.Leeway = c.Now, time.Hour
		j, err := NewJWT(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); err != nil {
			t.Fatalf("Authorize: %v", err)
		}
		c.Advance(2 * time.Minute) // past exp, within leeway: valid, but verified again
		j.secret = []byte("a different secret, so verifying would fail")
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Authorize past exp: error = %v; want a fresh (failing) verification", err)
		}
	})
	t.Run("failures are not cached", func(t *testing.T) {
		j, err := NewJWT(cfg)
		if err != nil {
			t.Fatal(err)
		}
		j.Authorize(context.Background(), jwtRequest(tok+"x"))
		if n := j.cache.Len(); n != 0 {
			t.Errorf("cache holds %d entries after a failure; want 0", n)
		}
	})
	t.Run("negative size disables", func(t *testing.T) {
		cfg := cfg
		cfg.CacheSize = -1
		j, err := NewJWT(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); err != nil {
			t.Fatalf("Authorize: %v", err)
		}
		j.secret = []byte("a different secret, so verifying would fail")
		if _, err := j.Authorize(context.Background(), jwtRequest(tok)); !errors.Is(err, ErrUnauthorized) {
			t.Errorf("Authorize without a cache: error = %v; want a fresh (failing) verification", err)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		cfg := cfg
		cfg.CacheSize = 2
		j, err := NewJWT(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			c := jwt.MapClaims{"iss": "my-issuer", "aud": "api", "exp": claims["exp"], "n": i}
			if _, err := j.Authorize(context.Background(), jwtRequest(jwtSign(t, "HS256", "", secret, c, nil))); err != nil {
				t.Fatal(err)
			}
		}
		if n := j.cache.Len(); n != 2 {
			t.Errorf("cache holds %d entries; want 2", n)
		}
	})
}

func TestJWTCacheHitAllocs(t *testing.T) {
	key := jwtKey("rsa1", "k", "")
	idp := newJWTTestIdP(t, key)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, nil)
	r := jwtRequest(key.sign(t, "RS256", idp.claims(clock.Now())))
	if _, err := j.Authorize(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	// One allocation: the caller's copy of the Identity. A verification
	// would make dozens.
	if n := testing.AllocsPerRun(100, func() { j.Authorize(context.Background(), r) }); n > 1 {
		t.Errorf("a cache hit allocates %v times; want at most 1", n)
	}
}

// TestJWTConfigReturned: Config returns what NewJWT was given, as a copy.
func TestJWTConfigReturned(t *testing.T) {
	cfg := JWTConfig{Issuer: "https://issuer.example.com", Audiences: []string{"a", "b"}, IdentitySource: "$request.querystring.token"}
	j, err := NewJWT(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := j.Config()
	if got.Issuer != cfg.Issuer || strings.Join(got.Audiences, ",") != "a,b" || got.IdentitySource != cfg.IdentitySource {
		t.Errorf("Config() = %+v", got)
	}
	cfg.Audiences[0] = "changed"
	got.Audiences[1] = "changed"
	if again := j.Config(); strings.Join(again.Audiences, ",") != "a,b" {
		t.Errorf("Config() shares its slices: %v", again.Audiences)
	}
}
