package auth

import (
	"context"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/gatekit/gatekit/internal/clocktest"
)

func TestJWKSParse(t *testing.T) {
	rsa := jwtKey("rsa1", "rsa", "").jwk()
	p256 := jwtKey("p256", "p256", "").jwk()
	p384 := jwtKey("p384", "p384", "").jwk()
	p521 := jwtKey("p521", "p521", "").jwk()
	ed := jwtKey("ed", "ed", "").jwk()
	with := func(k map[string]any, kv ...any) map[string]any {
		k = maps.Clone(k)
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(k, kv[i].(string))
			} else {
				k[kv[i].(string)] = kv[i+1]
			}
		}
		return k
	}
	b64 := base64.RawURLEncoding.EncodeToString
	n, _ := base64.RawURLEncoding.DecodeString(rsa["n"].(string))
	y, _ := base64.RawURLEncoding.DecodeString(p256["y"].(string))
	y[len(y)-1] ^= 1
	evenN := append([]byte(nil), n...)
	evenN[len(evenN)-1] &^= 1

	tests := []struct {
		name string
		key  any
		why  string // why the key is skipped; "" means it is usable
	}{
		{"RSA", rsa, ""},
		{"EC P-256", p256, ""},
		{"EC P-384", p384, ""},
		{"EC P-521", p521, ""},
		{"Ed25519", ed, ""},
		{"no use", with(rsa, "use", nil), ""},
		{"key_ops verify", with(rsa, "use", nil, "key_ops", []string{"verify"}), ""},
		{"alg that fits", with(p256, "alg", "ES256"), ""},
		{"padded base64", with(rsa, "e", "AQAB===="), ""},
		{"private members are ignored", with(p256, "d", "c2VjcmV0"), ""},
		{"use enc", with(rsa, "use", "enc"), `use is "enc"`},
		{"key_ops encrypt", with(rsa, "use", nil, "key_ops", []string{"encrypt"}), "lack verify"},
		{"symmetric", map[string]any{"kty": "oct", "kid": "oct", "k": "c2VjcmV0"}, "symmetric"},
		{"unknown kty", with(rsa, "kty", "DSA"), `kty "DSA"`},
		{"no kty", with(rsa, "kty", nil), `kty ""`},
		{"RSA 1024 bits", with(rsa, "n", b64(n[:128])), "1024 bits"},
		{"RSA even modulus", with(rsa, "n", b64(evenN)), "even"},
		{"RSA e=1", with(rsa, "e", "AQ"), "exponent 1"},
		{"RSA e even", with(rsa, "e", "AQAA"), "exponent 65536"},
		{"RSA e too large", with(rsa, "e", b64([]byte{1, 0, 0, 0, 1})), "exponent"},
		{"RSA n not base64url", with(rsa, "n", "n+/="), "n:"},
		{"RSA n a number", with(rsa, "n", 5), "cannot unmarshal"},
		{"EC point off the curve", with(p256, "y", b64(y)), "point"},
		{"EC short coordinate", with(p256, "x", b64(y[1:])), "want 32"},
		{"EC unsupported curve", with(p256, "crv", "secp256k1"), `curve "secp256k1"`},
		{"EC alg for another curve", with(p256, "alg", "ES384"), `alg "ES384" does not fit`},
		{"RSA alg ES256", with(rsa, "alg", "ES256"), `alg "ES256" does not fit`},
		{"unknown alg", with(p521, "alg", "ES521"), `alg "ES521" does not fit`},
		{"Ed448", with(ed, "crv", "Ed448"), `curve "Ed448"`},
		{"Ed25519 short", with(ed, "x", b64(make([]byte, 31))), "want 32"},
		{"not an object", []int{1}, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"keys": []any{tt.key}})
			s, err := parseJWKS(body)
			if err != nil {
				t.Fatalf("parseJWKS: %v", err)
			}
			if tt.why == "" {
				if len(s.keys) != 1 || len(s.skipped) != 0 {
					t.Fatalf("parseJWKS kept %d keys, skipped %v; want the key kept", len(s.keys), s.skipped)
				}
				return
			}
			if len(s.keys) != 0 {
				t.Fatalf("parseJWKS kept the key; want it skipped for %q", tt.why)
			}
			for _, why := range s.skipped {
				if !strings.Contains(why, tt.why) {
					t.Errorf("skipped because %q; want %q", why, tt.why)
				}
			}
		})
	}
}

func TestJWKSParseDocument(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // in the error; "" means success
	}{
		{"empty set", `{"keys": []}`, ""},
		{"other members", `{"keys": [], "extra": 1}`, ""},
		{"not JSON", `<html>`, "key set:"},
		{"no keys", `{}`, `no "keys" array`},
		{"keys null", `{"keys": null}`, `no "keys" array`},
		{"keys not an array", `{"keys": {}}`, "cannot unmarshal"},
		{"array", `[]`, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseJWKS([]byte(tt.body))
			if tt.want == "" && err != nil {
				t.Errorf("parseJWKS: %v", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("parseJWKS error = %v; want %q", err, tt.want)
			}
		})
	}
}

func TestJWKSLookup(t *testing.T) {
	body, _ := json.Marshal(map[string]any{"keys": []any{
		jwtKey("rsa1", "rsa", "").jwk(),
		jwtKey("p256", "es", "ES256").jwk(),
		jwtKey("rsa2", "dup", "RS256").jwk(),
		jwtKey("p256b", "dup", "").jwk(),
		map[string]any{"kty": "oct", "kid": "oct", "k": "c2VjcmV0"},
	}})
	s, err := parseJWKS(body)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kid, alg string
		want     string // the signer whose key is found; else part of the error
	}{
		{"rsa", "RS256", "rsa1"},
		{"rsa", "PS512", "rsa1"},
		{"es", "ES256", "p256"},
		{"dup", "RS256", "rsa2"},
		{"dup", "ES256", "p256b"},
		{"dup", "PS256", `key "dup" does not fit alg PS256`},
		{"rsa", "ES256", `key "rsa" does not fit alg ES256`},
		{"es", "ES384", `key "es" does not fit`},
		{"unknown", "RS256", `no key with kid "unknown"`},
		{"oct", "HS256", `no key with kid "oct" that can be used (keys[4]: symmetric`},
		{"", "RS256", "has 4 keys, not 1"},
	}
	for _, tt := range tests {
		t.Run(tt.kid+"/"+tt.alg, func(t *testing.T) {
			key, err := s.lookup(tt.kid, tt.alg)
			if signer, ok := jwtTestSigners()[tt.want]; ok {
				if err != nil || !signer.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(key) {
					t.Errorf("lookup = %v, %v; want %s's key", key, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("lookup error = %v; want %q", err, tt.want)
			}
			if unknown := strings.HasPrefix(tt.want, "no key"); errors.Is(err, errJWKUnknownKid) != unknown {
				t.Errorf("errors.Is(%v, errJWKUnknownKid) = %v; want %v", err, !unknown, unknown)
			}
		})
	}
}

func TestJWKSMaxAge(t *testing.T) {
	tests := []struct {
		header string
		want   time.Duration
	}{
		{"", time.Hour},
		{"public", time.Hour},
		{"max-age=600", 10 * time.Minute},
		{"public, max-age=7200, must-revalidate", 2 * time.Hour},
		{`Max-Age="300"`, 5 * time.Minute},
		{"max-age=0", time.Minute},
		{"max-age=5", time.Minute},
		{"max-age=9999999", 24 * time.Hour},
		{"max-age=99999999999", time.Hour},
		{"max-age=-5", time.Hour},
		{"max-age=abc", time.Hour},
		{"no-cache", time.Minute},
		{"max-age=600, no-store", time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := jwksMaxAge(tt.header); got != tt.want {
				t.Errorf("jwksMaxAge(%q) = %v; want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestJWKSUnknownKidRefetch(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k1", "")
	idp := newJWTTestIdP(t, key)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, nil)
	claims := idp.claims(clock.Now())
	if _, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "ES256", claims))); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	for i := range 100 {
		tok := jwtSign(t, "ES256", fmt.Sprintf("random-%d", i), key.priv, claims, nil)
		_, err := j.Authorize(context.Background(), jwtRequest(tok))
		if !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), "no key with kid") {
			t.Fatalf("kid random-%d: error = %v; want an unknown kid", i, err)
		}
	}
	if n := idp.fetches.Load(); n != 2 {
		t.Errorf("key set fetched %d times for 100 unknown kids; want 2 (the first fetch and one refetch)", n)
	}
	clock.Advance(time.Minute)
	j.Authorize(context.Background(), jwtRequest(jwtSign(t, "ES256", "later", key.priv, claims, nil)))
	if n := idp.fetches.Load(); n != 3 {
		t.Errorf("key set fetched %d times after RefetchInterval; want 3", n)
	}
}

func TestJWKSKeyRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey := jwtKey("rsa1", "2025", ""), jwtKey("rsa2", "2026", "")
	clock := clocktest.NewClock(jwtT0)

	t.Run("old key withdrawn", func(t *testing.T) {
		idp := newJWTTestIdP(t, oldKey)
		j := newJWTForIdP(t, idp, clock, nil)
		oldTok := oldKey.sign(t, "RS256", idp.claims(clock.Now()))
		if _, err := j.Authorize(context.Background(), jwtRequest(oldTok)); err != nil {
			t.Fatalf("old token: %v", err)
		}
		idp.setKeys(newKey)
		if _, err := j.Authorize(context.Background(), jwtRequest(newKey.sign(t, "RS256", idp.claims(clock.Now())))); err != nil {
			t.Fatalf("new token after rotation: %v", err)
		}
		if n := idp.fetches.Load(); n != 2 {
			t.Errorf("key set fetched %d times; want 2", n)
		}
		_, err := j.Authorize(context.Background(), jwtRequest(oldTok))
		if !errors.Is(err, ErrUnauthorized) {
			t.Errorf("cached token of a withdrawn key: error = %v; want ErrUnauthorized", err)
		}
	})
	t.Run("keys overlap", func(t *testing.T) {
		idp := newJWTTestIdP(t, oldKey)
		j := newJWTForIdP(t, idp, clock, nil)
		if _, err := j.Authorize(context.Background(), jwtRequest(oldKey.sign(t, "RS256", idp.claims(clock.Now())))); err != nil {
			t.Fatalf("old token: %v", err)
		}
		idp.setKeys(oldKey, newKey)
		if _, err := j.Authorize(context.Background(), jwtRequest(newKey.sign(t, "RS256", idp.claims(clock.Now())))); err != nil {
			t.Fatalf("new token after rotation: %v", err)
		}
		if n := j.cache.Len(); n != 2 {
			t.Errorf("cache holds %d tokens; want 2 (a fetch that keeps every key keeps the cache)", n)
		}
	})
}

func TestJWKSStale(t *testing.T) {
	t.Parallel()
	key := jwtKey("ed", "k", "")
	idp := newJWTTestIdP(t, key)
	idp.set(func(p *jwtTestIdP) { p.cacheControl = "max-age=120" })
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.CacheSize = -1 })
	authorize := func() error {
		_, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "EdDSA", idp.claims(clock.Now()))))
		return err
	}
	steps := []struct {
		name    string
		advance time.Duration
		status  int
		fetches int32
	}{
		{"first request fetches", 0, http.StatusOK, 1},
		{"fresh set is used", 119 * time.Second, http.StatusOK, 1},
		{"stale set is fetched again", time.Second, http.StatusOK, 2},
		{"stale set, issuer failing: old set used", 120 * time.Second, http.StatusInternalServerError, 3},
		{"no retry during backoff", 4 * time.Second, http.StatusInternalServerError, 3},
		{"retry after backoff", time.Second, http.StatusInternalServerError, 4},
		{"issuer back", 5 * time.Second, http.StatusOK, 5},
		{"fresh again", time.Second, http.StatusOK, 5},
	}
	for _, st := range steps {
		clock.Advance(st.advance)
		idp.set(func(p *jwtTestIdP) { p.status = st.status })
		if err := authorize(); err != nil {
			t.Errorf("%s: Authorize: %v", st.name, err)
		}
		if n := idp.fetches.Load(); n != st.fetches {
			t.Errorf("%s: %d fetches; want %d", st.name, n, st.fetches)
		}
	}
}

func TestJWKSFetchFailures(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k", "")
	tests := []struct {
		name string
		edit func(*jwtTestIdP, *JWTConfig)
		want string
	}{
		{"not found", func(p *jwtTestIdP, _ *JWTConfig) { p.setBody(http.StatusNotFound, []byte("{}")) }, "404 Not Found"},
		{"server error", func(p *jwtTestIdP, _ *JWTConfig) { p.setBody(http.StatusServiceUnavailable, nil) }, "503"},
		{"too large", func(p *jwtTestIdP, c *JWTConfig) { c.MaxJWKSBytes = 100 }, "more than MaxJWKSBytes (100)"},
		{"not JSON", func(p *jwtTestIdP, _ *JWTConfig) { p.setBody(http.StatusOK, []byte("<html>")) }, "key set:"},
		{"no keys", func(p *jwtTestIdP, _ *JWTConfig) { p.setBody(http.StatusOK, []byte(`{"kys": []}`)) }, `no "keys"`},
		{"slow", func(p *jwtTestIdP, c *JWTConfig) {
			p.set(func(p *jwtTestIdP) { p.gate = make(chan struct{}) })
			c.Client = &http.Client{Transport: p.Client().Transport, Timeout: 50 * time.Millisecond}
		}, "Timeout"},
		{"down", func(p *jwtTestIdP, c *JWTConfig) {
			c.JWKSURL = p.URL + "/jwks"
			p.Close()
		}, "connect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			idp := newJWTTestIdP(t, key)
			clock := clocktest.NewClock(jwtT0)
			j := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { tt.edit(idp, c) })
			tok := key.sign(t, "ES256", idp.claims(clock.Now()))
			_, err := j.Authorize(context.Background(), jwtRequest(tok))
			if err == nil || errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Authorize error = %v; want a non-Unauthorized error with %q", err, tt.want)
			}
			if got, want := j.Challenge(err), `Bearer realm="`+idp.URL+`"`; got != want {
				t.Errorf("Challenge = %q; want %q", got, want)
			}
			fetches := idp.fetches.Load()
			_, err2 := j.Authorize(context.Background(), jwtRequest(tok))
			if err2 == nil || errors.Is(err2, ErrUnauthorized) || idp.fetches.Load() != fetches {
				t.Errorf("within the backoff: error = %v after %d more fetches; want the same error, no fetch", err2, idp.fetches.Load()-fetches)
			}
		})
	}
}

func TestJWTIssuerDownAtStart(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k", "")
	idp := newJWTTestIdP(t, key)
	idp.setBody(http.StatusServiceUnavailable, nil)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, nil) // constructing does not need the issuer
	tok := key.sign(t, "ES256", idp.claims(clock.Now()))
	if _, err := j.Authorize(context.Background(), jwtRequest(tok)); err == nil || errors.Is(err, ErrUnauthorized) {
		t.Fatalf("Authorize while the issuer is down: error = %v; want a non-Unauthorized error", err)
	}
	idp.setKeys(key)
	clock.Advance(jwksFailureBackoff)
	if _, err := j.Authorize(context.Background(), jwtRequest(tok)); err != nil {
		t.Fatalf("Authorize after the issuer came back: %v", err)
	}
}

func TestJWKSDiscovery(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k", "")
	tests := []struct {
		name string
		doc  func(url string) string
		want string // in the error; "" means success
	}{
		{"ok", func(u string) string { return `{"issuer":"` + u + `","jwks_uri":"` + u + `/jwks"}` }, ""},
		{"other issuer", func(u string) string { return `{"issuer":"https://evil.example.test","jwks_uri":"` + u + `/jwks"}` }, `issuer is "https://evil.example.test"`},
		{"no jwks_uri", func(u string) string { return `{"issuer":"` + u + `"}` }, "jwks_uri"},
		{"plain http jwks_uri", func(u string) string { return `{"issuer":"` + u + `","jwks_uri":"http://keys.example.test/jwks"}` }, "jwks_uri"},
		{"not JSON", func(string) string { return "<html>" }, "openid-configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			idp := newJWTTestIdP(t, key)
			idp.set(func(p *jwtTestIdP) { p.discovery = tt.doc(p.URL) })
			clock := clocktest.NewClock(jwtT0)
			j := newJWTForIdP(t, idp, clock, nil)
			_, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "ES256", idp.claims(clock.Now()))))
			if tt.want == "" && err != nil {
				t.Errorf("Authorize: %v", err)
			}
			if tt.want != "" && (err == nil || errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Authorize error = %v; want a non-Unauthorized error with %q", err, tt.want)
			}
		})
	}
	t.Run("JWKSURL skips discovery", func(t *testing.T) {
		idp := newJWTTestIdP(t, key)
		clock := clocktest.NewClock(jwtT0)
		j := newJWTForIdP(t, idp, clock, func(c *JWTConfig) { c.Issuer, c.JWKSURL = "any-issuer", idp.URL+"/jwks" })
		claims := idp.claims(clock.Now())
		claims["iss"] = "any-issuer"
		if _, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "ES256", claims))); err != nil {
			t.Fatalf("Authorize: %v", err)
		}
		if n := idp.discoveries.Load(); n != 0 {
			t.Errorf("discovery fetched %d times; want 0", n)
		}
	})
}

func TestJWKSSingleFlight(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k", "")
	idp := newJWTTestIdP(t, key)
	gate := make(chan struct{})
	idp.set(func(p *jwtTestIdP) { p.gate = gate })
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, nil)

	const n = 20
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		claims := idp.claims(clock.Now())
		claims["n"] = i
		tok := key.sign(t, "ES256", claims)
		wg.Go(func() {
			_, err := j.Authorize(context.Background(), jwtRequest(tok))
			errs <- err
		})
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for idp.fetches.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// A request that gives up waiting gets its context's error, not 401.
	_, err := j.Authorize(canceled, jwtRequest(key.sign(t, "ES256", idp.claims(clock.Now()))))
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("Authorize with a canceled context: error = %v; want context.Canceled", err)
	}
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Authorize: %v", err)
		}
	}
	if got := idp.fetches.Load(); got != 1 {
		t.Errorf("%d concurrent requests fetched the key set %d times; want 1", n, got)
	}
}

func TestJWKSFetchOutlivesLeader(t *testing.T) {
	t.Parallel()
	key := jwtKey("p256", "k", "")
	idp := newJWTTestIdP(t, key)
	gate := make(chan struct{})
	idp.set(func(p *jwtTestIdP) { p.gate = gate })
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := j.Authorize(ctx, jwtRequest(key.sign(t, "ES256", idp.claims(clock.Now()))))
		done <- err
	}()
	for idp.fetches.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel() // the client of the request leading the fetch goes away
	time.Sleep(10 * time.Millisecond)
	close(gate)
	if err := <-done; err != nil {
		t.Errorf("Authorize: %v; want the shared fetch to finish", err)
	}
}

func TestJWTLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	key := jwtKey("p256", "k", "")
	idp := newJWTTestIdP(t, key)
	clock := clocktest.NewClock(jwtT0)
	j := newJWTForIdP(t, idp, clock, nil)
	for i := range 3 {
		clock.Advance(time.Hour) // stale every time: fetch again
		claims := idp.claims(clock.Now())
		claims["n"] = i
		if _, err := j.Authorize(context.Background(), jwtRequest(key.sign(t, "ES256", claims))); err != nil {
			t.Fatal(err)
		}
	}
	idp.Close()
	idp.Client().CloseIdleConnections()
}
